"""Ledger actions: a data set made from a file the scanner reads (in the worker) and discards."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from mamori.core.items import ITEM_LABELS
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.objects import run_hooks
from mamori.platform.trail import services as trail
from mamori.platform.web.jobs import JobFailed, scan_file

SCAN_JOB = "ledger.from_file"


def create_from_scan(org, name: str, file_name: str, result: dict, actor: trail.Actor) -> DataAsset:
    """A new data set whose items and number of people come from the scanner's ``result`` for
    a file. Only what was found is kept (the items, the count, a summary without values), never
    the file. Raises JobFailed when the scanner could not read it."""
    summary = result["summary"]
    errors = [f["error"] for f in result["files"] if f["error"]]
    if errors and not summary["rows"]:
        raise JobFailed(errors[0])
    with transaction.atomic(), trail.acting_as(actor):
        asset = DataAsset(
            organization=org,
            name=name,
            items=sorted(k for k in summary["types"] if k in ITEM_LABELS),
            special_care=summary["special_care"],
            individuals=summary["individuals"],
            individuals_estimated=False,
            scan_summary={"file": file_name[:200], **summary},
        )
        asset.save()
        run_hooks(asset, deleted=False)
    return asset


def run_scan_job(job, path: Path, actor: trail.Actor) -> tuple[str, str]:
    """In the worker: scan the uploaded file (in the isolated child) and create the data set."""
    asset = create_from_scan(job.organization, job.params["name"], job.file_name, scan_file(path), actor)
    return (
        reverse("ledger:edit", args=[asset.uuid]),
        _("The file was scanned and discarded; review the data set and complete it."),
    )
