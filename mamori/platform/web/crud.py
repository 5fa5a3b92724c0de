"""Declarative list / detail / create / edit / delete / export pages for a domain model.

Every view goes through the one scoping mechanism (``scoped`` / ``get_scoped``) and every change
through :mod:`mamori.platform.tenancy.objects` (trail, re-check, hooks). A resource says what to show;
the views are written once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from mamori.platform import registry
from mamori.platform.tenancy.models import OrgOwned, Perm
from mamori.platform.tenancy.objects import HasHistory, can_end, delete_object, end_object, history, save_form
from mamori.platform.tenancy.scoping import get_scoped, org_view, require, scoped
from mamori.platform.trail.services import Actor
from mamori.platform.web import exports


@dataclass
class Column:
    label: str
    value: Callable  # obj -> display value
    sort: str | None = None  # order_by expression when sortable
    link: bool = False


@dataclass
class Filter:
    param: str
    label: str
    choices: list[tuple[str, str]]
    apply: Callable  # (queryset, value) -> queryset


@dataclass
class Resource:
    name: str  # URL prefix and URL-name prefix, e.g. "vendors"
    model: type[OrgOwned]
    form_class: type
    label: str  # plural, shown as the page title
    singular: str
    columns: list[Column]
    search: list[str] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    select_related: tuple[str, ...] = ()
    default_sort: str = "name"
    detail_template: str = "crud/detail.html"
    form_template: str = "crud/form.html"  # may extend crud/form.html and override its "fields" block
    detail_context: Callable | None = None  # (request, obj) -> dict
    prepare: Callable | None = None  # (form) -> callable(obj) run before saving
    export_fields: list[tuple[str, Callable]] = field(default_factory=list)
    initial_from_query: tuple[str, ...] = ()  # form fields prefilled from ?field=<uuid>
    after_save_url: Callable | None = None  # (obj) -> url
    per_page: int = 50
    importable: bool = False  # an Excel/CSV import exists (mamori.platform.web.import_views)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, URL name): related pages

    # --- URLs ---------------------------------------------------------------------------------
    def url(self, view: str, *args) -> str:
        return reverse(f"{self.name}:{view}", args=args)

    def urls(self) -> tuple[list, str]:
        return (
            [
                path("", self.list_view, name="list"),
                path("new/", self.create_view, name="create"),
                path("export.<str:fmt>", self.export_view, name="export"),
                path("<uuid:uuid>/", self.detail_view, name="detail"),
                path("<uuid:uuid>/edit/", self.edit_view, name="edit"),
                path("<uuid:uuid>/delete/", self.delete_view, name="delete"),
                path("<uuid:uuid>/end/", self.end_view, name="end"),
            ],
            self.name,
        )

    # --- Queries ------------------------------------------------------------------------------
    def queryset(self, request):
        return scoped(request, self.model).select_related(*self.select_related)

    def filtered(self, request):
        qs = self.queryset(request)
        q = request.GET.get("q", "").strip()
        if q and self.search:
            cond = Q()
            for f in self.search:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        active = {}
        for flt in self.filters:
            value = request.GET.get(flt.param, "")
            if value and value in {c for c, _l in flt.choices}:
                qs = flt.apply(qs, value)
                active[flt.param] = value
        sorts = {c.sort: c for c in self.columns if c.sort}
        sort = request.GET.get("sort", self.default_sort)
        if sort.lstrip("-") not in {s.lstrip("-") for s in sorts} | {self.default_sort.lstrip("-")}:
            sort = self.default_sort
        return qs.order_by(sort, "pk"), q, active, sort

    # --- Views --------------------------------------------------------------------------------
    @property
    def list_view(self):
        @org_view(Perm.VIEW)
        def view(request):
            qs, q, active, sort = self.filtered(request)
            try:
                per = min(200, max(10, int(request.GET.get("per", self.per_page))))
            except ValueError:
                per = self.per_page
            page = Paginator(qs, per).get_page(request.GET.get("page"))
            query = request.GET.copy()
            query.pop("page", None)
            sort_query = query.copy()
            sort_query.pop("sort", None)
            rows = [(obj, [c.value(obj) for c in self.columns]) for obj in page.object_list]
            template = "crud/_table.html" if request.htmx else "crud/list.html"
            return render(
                request,
                template,
                {
                    "r": self,
                    "page": page,
                    "rows": rows,
                    "q": q,
                    "active": active,
                    "sort": sort,
                    "query": query.urlencode(),
                    "sort_query": sort_query.urlencode(),
                },
            )

        return view

    @property
    def detail_view(self):
        @org_view(Perm.VIEW)
        def view(request, uuid):
            obj = get_scoped(request, self.model, uuid=uuid)
            context = {"r": self, "obj": obj, "fields": _fields(obj, self.form_class)}
            if self.detail_context:
                context.update(self.detail_context(request, obj))
            panels = registry.panels_for(self.model._meta.label)
            for panel in panels:
                context.update(panel.context(request, obj))
            context["panels"] = panels
            return render(request, self.detail_template, context)

        return view

    def _form(self, request, instance=None):
        initial = {}
        for name in self.initial_from_query:
            if request.GET.get(name):
                initial[name] = request.GET[name]
        return self.form_class(
            request.POST or None, request.FILES or None, instance=instance, org=request.org, initial=initial
        )

    def _save(self, request, form):
        prepare = self.prepare(form) if self.prepare else None
        obj = save_form(request, form, Actor.from_request(request), prepare)
        messages.success(request, _("Saved."))
        return redirect(self.after_save_url(obj) if self.after_save_url else self.url("detail", obj.uuid))

    @property
    def create_view(self):
        @org_view(Perm.EDIT)
        def view(request):
            form = self._form(request)
            if request.method == "POST" and form.is_valid():
                return self._save(request, form)
            return render(request, self.form_template, {"r": self, "form": form, "obj": None})

        return view

    @property
    def edit_view(self):
        @org_view(Perm.EDIT)
        def view(request, uuid):
            obj = get_scoped(request, self.model, uuid=uuid)
            form = self._form(request, instance=obj)
            if request.method == "POST" and form.is_valid():
                return self._save(request, form)
            return render(request, self.form_template, {"r": self, "form": form, "obj": obj})

        return view

    @property
    def delete_view(self):
        @org_view(Perm.EDIT)
        def view(request, uuid):
            obj = get_scoped(request, self.model, uuid=uuid)
            if request.method == "POST":
                try:
                    delete_object(request, obj, Actor.from_request(request))
                except HasHistory as exc:
                    return self._refuse_delete(request, obj, exc.message)
                messages.success(request, _("Deleted."))
                return redirect(self.url("list"))
            if records := history(obj):
                return self._refuse_delete(request, obj, HasHistory(obj, records).message, status=200)
            return render(request, "crud/confirm_delete.html", {"r": self, "obj": obj})

        return view

    def _refuse_delete(self, request, obj, message: str, status: int = 409):
        context = {"r": self, "obj": obj, "refused": message, "can_end": can_end(obj)}
        return render(request, "crud/confirm_delete.html", context, status=status)

    @property
    def end_view(self):
        @org_view(Perm.EDIT)
        def view(request, uuid):
            obj = get_scoped(request, self.model, uuid=uuid)
            if request.method != "POST" or not can_end(obj):
                return redirect(self.url("detail", obj.uuid))
            end_object(request, obj, Actor.from_request(request))
            messages.success(request, _("Ended. Its records are kept."))
            return redirect(self.url("detail", obj.uuid))

        return view

    @property
    def export_view(self):
        @org_view(Perm.VIEW)
        def view(request, fmt):
            require(request, Perm.VIEW)
            qs, _q, _a, _s = self.filtered(request)
            fields = self.export_fields or [(c.label, c.value) for c in self.columns]
            return exports.respond(request, qs, fields, self.name, fmt, title=str(self.label))

        return view


def _fields(obj, form_class=None) -> list[tuple[str, object]]:
    """(label, value) of the object's editable fields, as a person reads them: choices and list
    items by their labels, files by their name."""
    form_fields = getattr(form_class, "base_fields", {}) if form_class else {}
    out = []
    for f in obj._meta.concrete_fields:
        if not f.editable or f.name in ("id", "uuid", "organization"):
            continue
        value = getattr(obj, f"get_{f.name}_display")() if f.choices else getattr(obj, f.name)
        if isinstance(value, list | tuple):
            labels = dict(getattr(form_fields.get(f.name), "choices", None) or ())
            value = "、".join(str(labels.get(v, v)) for v in value) or None
        elif isinstance(value, dict):
            value = "、".join(f"{k}: {v}" for k, v in value.items()) or None
        elif isinstance(f, models.FileField):
            value = os.path.basename(value.name) if value else None
        out.append((f.verbose_name, value))
    return out
