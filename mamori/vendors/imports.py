"""The vendors' and entrustments' Excel/CSV imports (registered in :mod:`mamori.vendors.apps`); their
columns come from the fields declared in :mod:`mamori.vendors.resources`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.scoping import scoped
from mamori.platform.web.imports import Col, ImportSpec, choice, date, digits
from mamori.vendors.forms import EntrustmentForm, VendorForm
from mamori.vendors.models import Certification, CertificationKind, Entrustment, Vendor, VendorContact
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


class VendorLookups:
    """What a vendor import reads once for the whole file: the vendors by corporate number and by
    name (a row naming one updates it), their contacts and certifications."""

    def __init__(self, request):
        self.request = request
        self.by_number: dict[str, Vendor] = {}
        self.by_name: dict[str, Vendor] = {}
        for vendor in scoped(request, Vendor).order_by("created_at", "pk"):
            if vendor.corporate_number:
                self.by_number.setdefault(vendor.corporate_number, vendor)
            self.by_name.setdefault(vendor.name, vendor)
        self.numbers = {n: (v.pk, v.name) for n, v in self.by_number.items()}
        self.contacts: dict[int, set] = {}
        for vendor_id, name in scoped(request, VendorContact).values_list("vendor_id", "name"):
            self.contacts.setdefault(vendor_id, set()).add(name)
        self.certs: dict[int, set] = {}
        for vendor_id, kind, number in scoped(request, Certification).values_list(
            "vendor_id", "kind", "number"
        ):
            self.certs.setdefault(vendor_id, set()).add((kind, number))


def match_vendor(data: dict, ctx: VendorLookups) -> Vendor | None:
    """The registered vendor a row updates: the one with its 法人番号, else the one with its name
    (when that vendor has no other 法人番号)."""
    number = data.get("corporate_number") or ""
    if number and number in ctx.by_number:
        return ctx.by_number[number]
    found = ctx.by_name.get(data.get("name") or "")
    if found is not None and (not number or not found.corporate_number):
        return found
    return None


def vendor_parts(form: VendorForm, existing: Vendor | None, ctx: VendorLookups) -> list:
    if existing is None:
        return form.parts(None, set(), set())
    return form.parts(existing, ctx.contacts.get(existing.pk, set()), ctx.certs.get(existing.pk, set()))


CONTACT_COLUMNS = [
    Col("担当者名", "contact_name"),
    Col("担当者の部署", "contact_department"),
    Col("担当者のメール", "contact_email"),
    Col("担当者の電話", "contact_phone"),
    Col("認証", "certification_kind", choice(CertificationKind.choices)),
    Col("認証の登録番号", "certification_number"),
    Col("認証の有効期限", "certification_expires_on", date),
]


VENDORS = ImportSpec(
    name="vendors",
    label="委託先",
    form_class=VendorForm,
    context=VendorLookups,
    columns=VENDOR.import_columns(convert={"corporate_number": digits}) + CONTACT_COLUMNS,
    example=[
        *VENDOR.import_example(),
        *[
            "山田 花子",
            "情報システム部",
            "yamada@example.jp",
            "03-1234-5678",
            "プライバシーマーク（Pマーク）",
        ],
        *["10820001", "2027-03-31"],
    ],
    match=match_vendor,
    key=lambda data: data.get("corporate_number") or None,
    form_kwargs=lambda ctx: {"corporate_numbers": ctx.numbers},
    children=vendor_parts,
    child_link="vendor",
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
