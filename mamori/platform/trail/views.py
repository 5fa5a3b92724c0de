from __future__ import annotations

import csv
import datetime as dt
import itertools
import json

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.platform.tables import neutralise
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view, scoped
from mamori.platform.trail import present, services
from mamori.platform.trail.anchors import latest_anchor
from mamori.platform.trail.models import Action, TrailEntry


class TrailFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("All")), *list(Action.choices)],
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _filtered(request):
    form = TrailFilterForm(request.GET or None)
    entries = scoped(request, TrailEntry).select_related("actor")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            entries = entries.filter(object_repr__icontains=data["q"]) | entries.filter(
                actor_label__icontains=data["q"]
            )
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
    return form, entries.order_by("-seq")


@org_view(Perm.TRAIL)
def trail_view(request):
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = present.rows(page.object_list, request.org)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "anchor": latest_anchor(request.org),
    }
    return render(request, "trail/list.html", context)


@org_view(Perm.TRAIL)
@require_POST
def verify_view(request):
    breaks = services.verify([request.org])
    if breaks:
        b = breaks[0]
        messages.error(
            request,
            _("The trail is broken at entry %(seq)s: %(reason)s") % {"seq": b.seq, "reason": b.reason},
        )
    else:
        messages.success(request, _("The trail is intact: every entry links to the one before it."))
    return redirect("trail:list")


@org_view(Perm.TRAIL)
def export_view(request):
    _form, entries = _filtered(request)
    services.record(
        org=request.org,
        actor=services.Actor.from_request(request),
        action=Action.EXPORT,
        object_type="trail.trailentry",
        object_repr="trail.csv",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mamori-trail.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("No."),
            _("When (Japan time)"),
            _("Who"),
            _("Through"),
            _("Action"),
            _("Kind"),
            _("What"),
            _("Changes"),
            # For machines: the stored values, as hashed.
            "at_utc",
            "actor_label",
            "action_code",
            "object_type",
            "object_id",
            "changes_json",
            "code",
            "params_json",
            "hash",
        ]
    )
    for chunk in _chunks(entries.iterator(chunk_size=500), 500):
        for row in present.rows(chunk, request.org, limit=None):
            e = row.entry
            writer.writerow(
                [
                    e.seq,
                    row.at,
                    neutralise(row.actor),
                    row.door,
                    row.action,
                    row.kind,
                    neutralise(row.object),
                    neutralise(row.changes_text()),
                    e.at.astimezone(dt.UTC).isoformat(),
                    neutralise(e.actor_label),
                    e.action,
                    e.object_type,
                    e.object_id,
                    neutralise(json.dumps(e.changes, ensure_ascii=False, sort_keys=True)),
                    e.code,
                    neutralise(json.dumps(e.params, ensure_ascii=False, sort_keys=True)) if e.code else "",
                    e.hash,
                ]
            )
    return response


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
