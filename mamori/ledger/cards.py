"""The ledger's dashboard card (registered in :mod:`mamori.ledger.apps`)."""

from __future__ import annotations

from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.scoping import scoped


def stats(request) -> dict:
    assets = scoped(request, DataAsset)
    return {
        "asset_count": assets.count(),
        "special_care_assets": assets.filter(has_special_care=True).count(),
    }
