"""Import pages and template downloads for every import the apps registered
(:func:`mamori.platform.registry.register_import`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.platform import registry
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view
from mamori.platform.web import exports
from mamori.platform.web.imports import ImportFailed, run


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel (.xlsx) or CSV file"))


@org_view(Perm.EDIT)
def import_view(request, kind):
    spec = registry.imports.get(kind)
    if spec is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = run(spec, request, form.cleaned_data["file"])
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)s rows were imported.") % {"n": saved})
            return redirect(f"{kind}:list")
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
