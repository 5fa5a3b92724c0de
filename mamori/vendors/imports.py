"""The vendors' and entrustments' Excel/CSV imports (registered in :mod:`mamori.vendors.apps`); their
columns come from the fields declared in :mod:`mamori.vendors.resources`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.scoping import scoped
from mamori.platform.web.imports import ImportSpec
from mamori.vendors.forms import EntrustmentForm, VendorForm
from mamori.vendors.models import Entrustment, Vendor
from mamori.vendors.resources import ENTRUSTMENT, VENDOR


class Lookups:
    def __init__(self, request):
        self.request = request
        self.vendors = {v.name: str(v.uuid) for v in scoped(request, Vendor).only("name", "uuid")}
        self.vendors.update(
            {v.corporate_number: str(v.uuid) for v in scoped(request, Vendor).exclude(corporate_number="")}
        )
        self.assets = {a.name: str(a.uuid) for a in scoped(request, DataAsset).only("name", "uuid")}


def vendor_ref(value, ctx: Lookups):
    if not value:
        return ""
    if value not in ctx.vendors:
        found = scoped(ctx.request, Vendor).filter(name=value).first()
        if found is None:
            raise ValueError(_("no vendor named '%(v)s'; import the vendors first") % {"v": value})
        ctx.vendors[value] = str(found.uuid)
    return ctx.vendors[value]


def asset_ref(value, ctx: Lookups):
    if value not in ctx.assets:
        raise ValueError(_("no data set named '%(v)s'; import the data sets first") % {"v": value})
    return ctx.assets[value]


def resolve_parent(data: dict, ctx: Lookups) -> dict:
    """The re-subcontract's parent: the entrustment of the same data set to the named vendor."""
    name = data.get("parent")
    if not name:
        data["parent"] = ""
        return data
    parent = (
        scoped(ctx.request, Entrustment)
        .filter(data_asset__uuid=data.get("data_asset"), vendor__name=name)
        .order_by("created_at")
        .first()
    )
    if parent is None:
        raise ValueError(_("no entrustment of this data set to '%(v)s' to re-subcontract from") % {"v": name})
    data["parent"] = str(parent.uuid)
    return data


VENDORS = ImportSpec(
    name="vendors",
    label="委託先",
    form_class=VendorForm,
    context=Lookups,
    columns=VENDOR.import_columns(),
    example=VENDOR.import_example(),
)


ENTRUSTMENTS = ImportSpec(
    name="entrustments",
    label="委託",
    form_class=EntrustmentForm,
    context=Lookups,
    # The re-subcontract's parent is named by its vendor and found once the row is read (finish).
    columns=ENTRUSTMENT.import_columns(convert={"data_asset": asset_ref, "vendor": vendor_ref}),
    example=ENTRUSTMENT.import_example(),
    finish=lambda data, ctx: resolve_parent(data, ctx),
)
