"""The ledger's Excel/CSV import (registered in :mod:`mamori.ledger.apps`); its columns come from the
fields declared in :mod:`mamori.ledger.resources`."""

from __future__ import annotations

from mamori.ledger.forms import DataAssetForm
from mamori.ledger.resources import DATA_ASSET
from mamori.platform.web.imports import ImportSpec

LEDGER = ImportSpec(
    name="ledger",
    label="個人データ管理台帳",
    form_class=DataAssetForm,
    columns=DATA_ASSET.import_columns(),
    example=DATA_ASSET.import_example(),
)
