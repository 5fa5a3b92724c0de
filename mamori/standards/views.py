from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.objects import save_form
from mamori.platform.tenancy.scoping import get_scoped, org_view, require
from mamori.platform.trail.services import Actor
from mamori.standards import actions
from mamori.standards.forms import RequiredStarForm
from mamori.standards.models import RequiredStar
from mamori.vendors.models import Vendor


@org_view(Perm.VIEW)
def vendor_lenses_view(request, uuid):
    vendor = get_scoped(request, Vendor, uuid=uuid)
    form = None
    if request.method == "POST":
        require(request, Perm.EDIT)
        entrustment = request.POST.get("entrustment", "")
        existing = (
            RequiredStar.objects.for_org(request.org)
            .filter(entrustment__uuid=entrustment, entrustment__vendor=vendor)
            .first()
            if entrustment
            else None
        )
        form = RequiredStarForm(request.POST, instance=existing, org=request.org)
        form.fields["entrustment"].queryset = form.fields["entrustment"].queryset.filter(vendor=vendor)
        if form.is_valid():
            save_form(request, form, Actor.from_request(request))
            messages.success(request, _("Saved."))
            return redirect("vendor_lenses", vendor.uuid)
    if form is None:
        form = RequiredStarForm(org=request.org)
        form.fields["entrustment"].queryset = form.fields["entrustment"].queryset.filter(vendor=vendor)
    context = {"vendor": vendor, "form": form, **actions.lens_report(vendor)}
    return render(request, "standards/vendor_lenses.html", context, status=400 if form.errors else 200)
