from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Router, Schema

from mamori.ledger.forms import DataAssetForm
from mamori.ledger.models import DataAsset
from mamori.platform.api.crud import register

router = Router(tags=["ledger"])


class DataAssetIn(Schema):
    name: str | None = None
    status: str | None = None
    description: str | None = None
    department: str | None = None
    items: list[str] | None = None
    special_care: list[str] | None = None
    other_items: str | None = None
    individuals: int | None = None
    individuals_estimated: bool | None = None
    purposes: str | None = None
    disclosure: str | None = None
    storage_kind: str | None = None
    storage_location: str | None = None
    access: str | None = None
    highly_encrypted: bool | None = None
    retention: str | None = None
    deletion_rule: str | None = None
    last_reviewed: dt.date | None = None


class DataAssetCreate(DataAssetIn):
    name: str


class DataAssetOut(Schema):
    uuid: UUID
    name: str
    status: str
    description: str
    department: str
    items: list[str]
    special_care: list[str]
    other_items: str
    individuals: int | None
    individuals_estimated: bool
    purposes: str
    disclosure: str
    storage_kind: str
    storage_location: str
    access: str
    highly_encrypted: bool
    retention: str
    deletion_rule: str
    last_reviewed: dt.date | None
    has_special_care: bool
    has_my_number: bool
    has_financial: bool


register(
    router,
    model=DataAsset,
    form_class=DataAssetForm,
    out=DataAssetOut,
    create_in=DataAssetCreate,
    update_in=DataAssetIn,
    search=["name", "description", "department"],
    label="data_sets",
    filters={
        "special_care": lambda qs, v: qs.filter(has_special_care=v in ("1", "true")),
        "my_number": lambda qs, v: qs.filter(has_my_number=v in ("1", "true")),
        "financial": lambda qs, v: qs.filter(has_financial=v in ("1", "true")),
    },
)
