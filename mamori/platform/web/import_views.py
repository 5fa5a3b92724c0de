"""Import pages and template downloads for every import the apps registered
(:func:`mamori.platform.registry.register_import`).

An upload is checked completely before anything is written. When it would change records that
exist (a re-import), the page first shows what will change — new records, changed fields,
unchanged rows — and the file waits in the owner-only pending folder until the user confirms
(or uploads another); confirming reads and checks it again, then writes it in one transaction."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.platform import registry
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view
from mamori.platform.web import exports
from mamori.platform.web.imports import ImportFailed, apply, parse, read_path, read_rows, without_gc


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel (.xlsx) or CSV file"))


def _session_key(request, kind: str) -> str:
    return f"import-pending:{request.org.pk}:{kind}"


def _pending(request, kind: str) -> tuple[Path, str] | None:
    """The file waiting for confirmation, if it is still there (a name only, inside the folder)."""
    stored = request.session.get(_session_key(request, kind))
    if not stored:
        return None
    folder = Path(settings.MAMORI_PENDING_DIR)
    path = folder / Path(stored["file"]).name
    return (path, stored["name"]) if path.is_file() else None


def _forget(request, kind: str) -> None:
    found = _pending(request, kind)
    if found:
        found[0].unlink(missing_ok=True)
    request.session.pop(_session_key(request, kind), None)


def _done(request, kind: str, plan, saved: int):
    messages.success(
        request,
        _("%(n)s rows were imported: %(new)s new, %(changed)s updated, %(same)s unchanged.")
        % {
            "n": saved + len(plan.unchanged),
            "new": len(plan.new) + len(plan.deferred),
            "changed": len(plan.changed),
            "same": len(plan.unchanged),
        },
    )
    return redirect(f"{kind}:list")


@org_view(Perm.EDIT)
def import_view(request, kind):
    with without_gc():
        return _import_view(request, kind)


def _import_view(request, kind):
    spec = registry.imports.get(kind)
    if spec is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and "confirm" in request.POST:
        found = _pending(request, kind)
        if found is None:
            errors = [_("The file to confirm is no longer there. Upload it again.")]
        else:
            try:
                plan = parse(spec, request, read_path(*found))
                saved = apply(spec, request, plan)
            except ImportFailed as exc:
                errors = exc.errors
            else:
                _forget(request, kind)
                return _done(request, kind, plan, saved)
            _forget(request, kind)
        form = ImportForm()
    elif request.method == "POST" and "cancel" in request.POST:
        _forget(request, kind)
        return redirect(f"{kind}:list")
    elif request.method == "POST" and form.is_valid():
        _forget(request, kind)
        upload = form.cleaned_data["file"]
        path = None
        try:
            rows, path = read_rows(upload, keep=True)
            plan = parse(spec, request, rows)
            if plan.needs_confirmation:
                request.session[_session_key(request, kind)] = {"file": path.name, "name": upload.name}
                path = None  # kept until confirmed
                return render(request, "crud/import_preview.html", {"spec": spec, "plan": plan, "kind": kind})
            saved = apply(spec, request, plan)
        except ImportFailed as exc:
            errors = exc.errors
        else:
            return _done(request, kind, plan, saved)
        finally:
            if path is not None:
                path.unlink(missing_ok=True)
    return render(request, "crud/import.html", {"spec": spec, "form": form, "errors": errors, "kind": kind})


@org_view(Perm.VIEW)
def template_view(request, kind, fmt):
    spec = registry.imports.get(kind)
    if spec is None or fmt not in ("xlsx", "csv"):
        raise Http404
    response = HttpResponse(
        spec.template(fmt), content_type=exports.XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="mamori-{kind}-template.{fmt}"'
    return response
