from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Router, Schema

from mamori.core.contracts import CLAUSES
from mamori.platform.api.crud import register
from mamori.vendors.actions import prepare_contract
from mamori.vendors.forms import ContractForm, EntrustmentForm, VendorForm
from mamori.vendors.models import Contract, Entrustment, Vendor

vendors_router = Router(tags=["vendors"])
entrustments_router = Router(tags=["entrustments"])
contracts_router = Router(tags=["contracts"])


class VendorIn(Schema):
    name: str | None = None
    corporate_number: str | None = None
    address: str | None = None
    services: str | None = None
    status: str | None = None
    notes: str | None = None
    tags: str | None = None


class VendorCreate(VendorIn):
    name: str


class VendorOut(Schema):
    uuid: UUID
    name: str
    corporate_number: str
    address: str
    services: str
    status: str
    notes: str
    tags: str
    inherent_tier: str
    tier_explanation: str


class EntrustmentIn(Schema):
    vendor: UUID | None = None
    data_asset: UUID | None = None
    parent: UUID | None = None
    items: list[str] | None = None
    special_care: list[str] | None = None
    individuals: int | None = None
    purpose: str | None = None
    access_method: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    end_handling: str | None = None
    end_handled_on: dt.date | None = None
    end_evidence: str | None = None
    approved: bool | None = None
    approved_on: dt.date | None = None


class EntrustmentCreate(EntrustmentIn):
    vendor: UUID
    data_asset: UUID


class EntrustmentOut(Schema):
    uuid: UUID
    vendor: UUID
    data_asset: UUID
    parent: UUID | None
    items: list[str]
    special_care: list[str]
    individuals: int | None
    purpose: str
    access_method: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    end_handling: str
    approved: bool

    @staticmethod
    def resolve_vendor(obj):
        return obj.vendor.uuid

    @staticmethod
    def resolve_data_asset(obj):
        return obj.data_asset.uuid

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.uuid if obj.parent_id else None


class ContractIn(Schema):
    vendor: UUID | None = None
    title: str | None = None
    status: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    auto_renewal: bool | None = None
    clauses: dict[str, bool] | None = None


class ContractCreate(ContractIn):
    vendor: UUID
    title: str


class ContractOut(Schema):
    uuid: UUID
    vendor: UUID
    title: str
    status: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    auto_renewal: bool
    clauses: dict[str, bool]
    missing_clauses: list[str]
    suggested_clauses: list[str]
    document_name: str
    document_sha256: str

    @staticmethod
    def resolve_vendor(obj):
        return obj.vendor.uuid

    @staticmethod
    def resolve_missing_clauses(obj):
        return [code for code, _l, _p in CLAUSES if not (obj.clauses or {}).get(code)]


def contract_form_data(data: dict) -> dict:
    clauses = data.pop("clauses", None)
    if clauses is not None:
        for code, _l, _p in CLAUSES:
            data[f"clause_{code}"] = bool(clauses.get(code))
    return data


register(
    vendors_router,
    model=Vendor,
    form_class=VendorForm,
    out=VendorOut,
    create_in=VendorCreate,
    update_in=VendorIn,
    search=["name", "corporate_number", "services", "tags"],
    label="vendors",
    filters={"status": lambda qs, v: qs.filter(status=v), "tier": lambda qs, v: qs.filter(inherent_tier=v)},
)
register(
    entrustments_router,
    model=Entrustment,
    form_class=EntrustmentForm,
    out=EntrustmentOut,
    create_in=EntrustmentCreate,
    update_in=EntrustmentIn,
    search=["purpose", "vendor__name", "data_asset__name"],
    select_related=("vendor", "data_asset", "parent"),
    label="entrustments",
    filters={
        "vendor": lambda qs, v: qs.filter(vendor__uuid=v),
        "data_asset": lambda qs, v: qs.filter(data_asset__uuid=v),
    },
)
register(
    contracts_router,
    model=Contract,
    form_class=ContractForm,
    out=ContractOut,
    create_in=ContractCreate,
    update_in=ContractIn,
    search=["title", "vendor__name"],
    select_related=("vendor",),
    label="contracts",
    to_form=contract_form_data,
    prepare=prepare_contract,
    filters={"vendor": lambda qs, v: qs.filter(vendor__uuid=v)},
)
