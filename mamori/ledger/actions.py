"""Ledger actions: a data set made from a file the scanner reads and discards."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction

from mamori.core.items import ITEM_LABELS
from mamori.ledger.models import DataAsset
from mamori.platform.rules import RuleError
from mamori.platform.tenancy.objects import run_hooks
from mamori.platform.trail import services as trail


def create_from_scan(org, name: str, upload, actor: trail.Actor) -> DataAsset:
    """A new data set whose items and number of people come from scanning ``upload``. Only what
    was found is kept (the items, the count, a summary without values), never the file."""
    from mamori.scan import scan_paths  # polars loads only when a file is scanned

    suffix = Path(upload.name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="mamori-upload-") as tmp:
        target = Path(tmp) / f"upload{suffix}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result = scan_paths([target])
    summary = result["summary"]
    errors = [f["error"] for f in result["files"] if f["error"]]
    if errors and not summary["rows"]:
        raise RuleError({"file": [errors[0]]})
    with transaction.atomic(), trail.acting_as(actor):
        asset = DataAsset(
            organization=org,
            name=name,
            items=sorted(k for k in summary["types"] if k in ITEM_LABELS),
            special_care=summary["special_care"],
            individuals=summary["individuals"],
            individuals_estimated=False,
            scan_summary={"file": upload.name[:200], **summary},
        )
        asset.save()
        run_hooks(asset, deleted=False)
    return asset
