from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.core import contracts as contracts_core
from mamori.core.contracts import CLAUSE_LABELS, CLAUSES
from mamori.platform import actor as actor_module
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.objects import run_hooks, save_form
from mamori.platform.tenancy.scoping import get_scoped, org_view, recheck
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.platform.web.crud import Column, Filter, Resource
from mamori.vendors import actions
from mamori.vendors.forms import (
    ApprovalForm,
    CertificationForm,
    ContractForm,
    EntrustmentForm,
    VendorContactForm,
    VendorForm,
)
from mamori.vendors.models import (
    Certification,
    Contract,
    Entrustment,
    Tier,
    Vendor,
    VendorContact,
    VendorStatus,
)
from mamori.vendors.resources import ENTRUSTMENT, VENDOR

SOON = dt.timedelta(days=60)


def expiring(day: dt.date | None) -> bool:
    today = timezone.localdate()
    return day is not None and today <= day <= today + SOON


def _vendor_detail(request, vendor):
    contracts = list(vendor.contracts.all())
    for c in contracts:
        c.missing = [CLAUSE_NAMES[m] for m in actions.clauses_core.missing(c.clauses or {})]
        c.expiring = expiring(c.ends_on)
    certs = list(vendor.certifications.all())
    for c in certs:
        c.expiring = expiring(c.expires_on)
    chain = actions.chain_for_vendor(vendor)
    return {
        "contacts": vendor.contacts.all(),
        "certifications": certs,
        "contracts": contracts,
        "chain": chain,
        "unapproved": [n for n in chain if n["unapproved"]],
        "no_contract": not contracts,
        "assessments": vendor.assessments.select_related("version__template").order_by("-created_at")[:10],
        "incidents": vendor.incidents.order_by("-aware_on")[:10],
        "audits": vendor.audits.prefetch_related("findings").order_by("-performed_on")[:10],
    }


# The clause names in the interface's language (the law's list is in mamori.core.contracts).
CLAUSE_NAMES = {
    "security_measures": gettext_lazy("Security measures"),
    "confidentiality": gettext_lazy("Confidentiality"),
    "purpose_limitation": gettext_lazy("No use beyond the entrusted purpose"),
    "subcontracting": gettext_lazy("Conditions for re-subcontracting"),
    "incident_reporting": gettext_lazy("Duty and deadline to report incidents"),
    "audit": gettext_lazy("Audits and requests for reports"),
    "return_erasure": gettext_lazy("Return or erasure at the end"),
    "damages": gettext_lazy("Damages"),
    "staff_supervision": gettext_lazy("Supervision and training of staff"),
    "handling_reports": gettext_lazy("Reports on the handling"),
}


def _document_sentences(contract) -> dict[str, str]:
    if not contract.document:
        return {}
    try:
        with contract.document.open("rb") as f:
            content = f.read(20 * 1024 * 1024)
    except OSError:
        return {}
    return contracts_core.matching_sentences(actions.document_text(contract.document_name or "", content))


def _contract_detail(request, contract):
    confirmed = contract.clauses or {}
    suggested = set(contract.suggested_clauses or [])
    sentences = _document_sentences(contract) if suggested else {}
    rows = []
    for code, _label, _p in CLAUSES:
        if confirmed.get(code):
            state, label = "confirmed", _("Present (confirmed)")
        elif code in suggested:
            state, label = "suggested", _("Present (suggested)")
        elif contract.document:
            state, label = "absent", _("Not found in the document")
        else:
            state, label = "unchecked", _("Not checked")
        rows.append(
            {
                "code": code,
                "label": CLAUSE_NAMES.get(code, _label),
                "state": state,
                "state_label": label,
                "sentence": sentences.get(code, "") if state == "suggested" else "",
            }
        )
    return {"clause_rows": rows, "missing": [r["label"] for r in rows if r["state"] != "confirmed"]}


@org_view(Perm.EDIT)
@require_POST
def clause_confirm_view(request, uuid):
    """Confirm in one click that the contract holds a clause (a suggestion or the user's own reading)."""
    contract = get_scoped(request, Contract, uuid=uuid)
    code = request.POST.get("clause", "")
    if code not in CLAUSE_LABELS:
        raise Http404
    with transaction.atomic(), actor_module.acting_as(trail.Actor.from_request(request)):
        contract.clauses = {**(contract.clauses or {}), code: request.POST.get("present", "1") == "1"}
        contract.save()
        recheck(request, contract)
        run_hooks(contract, deleted=False)
    messages.success(request, _("Clause confirmed: %(clause)s") % {"clause": CLAUSE_NAMES[code]})
    return redirect(contracts.url("detail", contract.uuid) + "#clauses")


vendors = Resource(
    name="vendors",
    model=Vendor,
    form_class=VendorForm,
    label=gettext_lazy("Vendors"),
    singular=gettext_lazy("vendor"),
    columns=VENDOR.list_columns("name", "status", "inherent_tier", "corporate_number", "tags"),
    search=["name", "corporate_number", "services", "tags", "address"],
    filters=[
        Filter(
            "status", gettext_lazy("Status"), list(VendorStatus.choices), lambda qs, v: qs.filter(status=v)
        ),
        Filter(
            "tier",
            gettext_lazy("Inherent risk"),
            list(Tier.choices),
            lambda qs, v: qs.filter(inherent_tier=v),
        ),
        Filter(
            "risk",
            gettext_lazy("Risk rating"),
            list(Tier.choices),
            lambda qs, v: qs.filter(risk_rating=v),
        ),
    ],
    detail_template="vendors/detail.html",
    importable=True,
    links=[(gettext_lazy("Portfolio"), "portfolio")],
    detail_context=_vendor_detail,
    export_fields=VENDOR.export_fields(),
)


def _back_to_vendor(obj):
    return vendors.url("detail", obj.vendor.uuid)


contacts = Resource(
    name="contacts",
    model=VendorContact,
    form_class=VendorContactForm,
    label=gettext_lazy("Vendor contacts"),
    singular=gettext_lazy("contact"),
    select_related=("vendor",),
    columns=[
        Column(gettext_lazy("Name"), lambda o: o.name, sort="name", link=True),
        Column(gettext_lazy("Vendor"), lambda o: o.vendor.name, sort="vendor__name"),
        Column(gettext_lazy("Department"), lambda o: o.department),
        Column(gettext_lazy("E-mail address"), lambda o: o.email),
        Column(gettext_lazy("Phone"), lambda o: o.phone),
    ],
    search=["name", "email", "vendor__name"],
    initial_from_query=("vendor",),
    after_save_url=_back_to_vendor,
)

certifications = Resource(
    name="certifications",
    model=Certification,
    form_class=CertificationForm,
    label=gettext_lazy("Certifications"),
    singular=gettext_lazy("certification"),
    select_related=("vendor",),
    default_sort="expires_on",
    columns=[
        Column(gettext_lazy("Vendor"), lambda o: o.vendor.name, sort="vendor__name", link=True),
        Column(gettext_lazy("Certification"), lambda o: o.get_kind_display(), sort="kind"),
        Column(gettext_lazy("Number"), lambda o: o.number),
        Column(gettext_lazy("Valid until"), lambda o: o.expires_on, sort="expires_on"),
    ],
    search=["number", "vendor__name"],
    initial_from_query=("vendor",),
    after_save_url=_back_to_vendor,
)

entrustments = Resource(
    name="entrustments",
    model=Entrustment,
    form_class=EntrustmentForm,
    label=gettext_lazy("Entrustments"),
    singular=gettext_lazy("entrustment"),
    select_related=("vendor", "data_asset", "parent__vendor"),
    default_sort="-created_at",
    columns=ENTRUSTMENT.list_columns(
        "data_asset", "vendor", "parent", "items", "individuals", "access_method", "created_at"
    ),
    search=["vendor__name", "data_asset__name", "purpose"],
    filters=[
        Filter(
            "sub",
            gettext_lazy("Re-subcontracts only"),
            [("1", gettext_lazy("Yes"))],
            lambda qs, v: qs.filter(parent__isnull=False),
        )
    ],
    initial_from_query=("vendor", "data_asset", "parent"),
    importable=True,
    export_fields=ENTRUSTMENT.export_fields(),
)

contracts = Resource(
    name="contracts",
    model=Contract,
    form_class=ContractForm,
    label=gettext_lazy("Contracts"),
    singular=gettext_lazy("contract"),
    select_related=("vendor",),
    default_sort="-starts_on",
    columns=[
        Column(gettext_lazy("Title"), lambda o: o.title, sort="title", link=True),
        Column(gettext_lazy("Vendor"), lambda o: o.vendor.name, sort="vendor__name"),
        Column(gettext_lazy("Start"), lambda o: o.starts_on, sort="-starts_on"),
        Column(gettext_lazy("End"), lambda o: o.ends_on, sort="ends_on"),
        Column(gettext_lazy("Missing clauses"), lambda o: len(actions.clauses_core.missing(o.clauses or {}))),
    ],
    search=["title", "vendor__name"],
    initial_from_query=("vendor",),
    prepare=actions.prepare_contract,
    detail_template="vendors/contract_detail.html",
    detail_context=_contract_detail,
)

RESOURCES = [vendors, contacts, certifications, entrustments, contracts]


@org_view(Perm.VIEW)
def contract_document_view(request, uuid):
    contract = get_scoped(request, Contract, uuid=uuid)
    if not contract.document:
        raise Http404
    trail.record(
        org=request.org,
        actor=trail.Actor.from_request(request),
        action=Action.DOWNLOAD,
        obj=contract,
        object_repr=f"{contract.title}: {contract.document_name}",
    )
    return FileResponse(
        contract.document.open("rb"),
        as_attachment=True,
        filename=contract.document_name or contract.document.name.rsplit("/", 1)[-1],
    )


def _next_or(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@org_view(Perm.EDIT)
def approve_view(request, uuid):
    """「再委託を承認」: record our approval of a re-subcontract — the date (today unless changed)
    and, optionally, the evidence — in one click from the warning, the chain or the dashboard."""
    entrustment = get_scoped(request, Entrustment, uuid=uuid)
    if entrustment.parent_id is None:
        raise Http404
    back = _next_or(request, entrustments.url("detail", entrustment.uuid))
    initial = {"approved_on": entrustment.approved_on or timezone.localdate()}
    form = ApprovalForm(request.POST or None, instance=entrustment, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():

        def approve(obj):
            obj.approved = True

        save_form(request, form, trail.Actor.from_request(request), approve)
        messages.success(
            request,
            _("Approval of the re-subcontracting to %(vendor)s recorded.")
            % {"vendor": entrustment.vendor.name},
        )
        return redirect(back)
    return render(
        request,
        "vendors/approve.html",
        {"form": form, "entrustment": entrustment, "next": back},
    )
