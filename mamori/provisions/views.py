from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from mamori.core.appi import provision as rules
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view
from mamori.platform.web.crud import Column, Filter, Resource
from mamori.provisions import actions
from mamori.provisions.forms import DataUseForm, OptOutNoticeForm, ProvisionRecordForm, PurposeNoticeForm
from mamori.provisions.models import DataUse, Direction, OptOutNotice, ProvisionRecord, PurposeNotice


def _record_detail(request, obj):
    required, why = rules.record_required(obj.direction, obj.basis)
    until, rule = obj.retention
    items = (
        rules.required_items(obj.direction, obj.basis, obj.counterparty_is_corporation) if required else []
    )
    missing = {
        i.code
        for i in rules.missing_items(obj.direction, obj.basis, obj.values(), obj.counterparty_is_corporation)
    }
    return {
        "required": required,
        "why": why,
        "until": until,
        "rule": rule,
        "items": [(i, i.code not in missing) for i in items],
    }


records = Resource(
    name="provision_records",
    model=ProvisionRecord,
    form_class=ProvisionRecordForm,
    label=gettext_lazy("Third-party provision records"),
    singular=gettext_lazy("provision record"),
    select_related=("data_asset",),
    default_sort="-provided_on",
    initial_from_query=("data_asset",),
    columns=[
        Column(gettext_lazy("Data set"), lambda o: o.data_asset.name, sort="data_asset__name", link=True),
        Column(gettext_lazy("Direction"), lambda o: o.get_direction_display(), sort="direction"),
        Column(gettext_lazy("Third party"), lambda o: o.counterparty, sort="counterparty"),
        Column(gettext_lazy("Date"), lambda o: o.provided_on, sort="-provided_on"),
        Column(gettext_lazy("Legal basis"), lambda o: o.get_basis_display()),
        Column(gettext_lazy("Keep until"), lambda o: o.retention_until if o.record_required else "—"),
    ],
    search=["counterparty", "data_asset__name", "items", "notes"],
    filters=[
        Filter(
            "direction",
            gettext_lazy("Direction"),
            list(Direction.choices),
            lambda qs, v: qs.filter(direction=v),
        )
    ],
    detail_template="provisions/record_detail.html",
    detail_context=_record_detail,
)

opt_outs = Resource(
    name="opt_out_notices",
    model=OptOutNotice,
    form_class=OptOutNoticeForm,
    label=gettext_lazy("Opt-out notices"),
    singular=gettext_lazy("opt-out notice"),
    select_related=("data_asset",),
    default_sort="-filed_on",
    initial_from_query=("data_asset",),
    columns=[
        Column(gettext_lazy("Data set"), lambda o: o.data_asset.name, sort="data_asset__name", link=True),
        Column(gettext_lazy("Items"), lambda o: o.items),
        Column(gettext_lazy("Notified on"), lambda o: o.notified_on, sort="notified_on"),
        Column(gettext_lazy("Filed with the PPC on"), lambda o: o.filed_on, sort="-filed_on"),
    ],
    search=["data_asset__name", "items", "where"],
)

purposes = Resource(
    name="purpose_notices",
    model=PurposeNotice,
    form_class=PurposeNoticeForm,
    label=gettext_lazy("Purposes of use"),
    singular=gettext_lazy("purpose of use"),
    select_related=("data_asset",),
    default_sort="data_asset__name",
    initial_from_query=("data_asset",),
    columns=[
        Column(gettext_lazy("Data set"), lambda o: o.data_asset.name, sort="data_asset__name"),
        Column(gettext_lazy("Purpose of use"), lambda o: o.purpose, link=True),
        Column(gettext_lazy("How"), lambda o: o.get_way_display()),
        Column(gettext_lazy("Since"), lambda o: o.since, sort="since"),
    ],
    search=["data_asset__name", "purpose", "where"],
)

uses = Resource(
    name="data_uses",
    model=DataUse,
    form_class=DataUseForm,
    label=gettext_lazy("Uses of data sets"),
    singular=gettext_lazy("use of a data set"),
    select_related=("data_asset", "purpose"),
    default_sort="data_asset__name",
    initial_from_query=("data_asset",),
    columns=[
        Column(gettext_lazy("Data set"), lambda o: o.data_asset.name, sort="data_asset__name"),
        Column(gettext_lazy("Use"), lambda o: o.description, link=True),
        Column(gettext_lazy("Purpose of use"), lambda o: o.purpose.purpose if o.purpose_id else "—"),
        Column(gettext_lazy("Since"), lambda o: o.since, sort="since"),
    ],
    search=["data_asset__name", "description"],
)

RESOURCES = [records, opt_outs, purposes, uses]


@org_view(Perm.VIEW)
def check_view(request):
    results = actions.check(request.org)
    total = sum(len(r.gaps) for r in results)
    return render(request, "provisions/check.html", {"results": results, "total": total})
