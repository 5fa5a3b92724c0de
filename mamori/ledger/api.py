from __future__ import annotations

from ninja import Router

from mamori.ledger.forms import DataAssetForm
from mamori.ledger.models import DataAsset
from mamori.platform.api.crud import register
from mamori.platform.api.schemas import input_schemas, output_schema

router = Router(tags=["ledger"])


DataAssetCreate, DataAssetIn = input_schemas(DataAsset, DataAssetForm, name="DataAsset", module=__name__)
DataAssetOut = output_schema(
    DataAsset,
    [*DataAssetForm._meta.fields, "has_special_care", "has_my_number", "has_financial"],
    name="DataAssetOut",
    module=__name__,
)


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
