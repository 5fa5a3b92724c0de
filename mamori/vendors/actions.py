"""Vendor registry actions: inherent risk, contract documents, entrustment chains."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging

from django.db.models import prefetch_related_objects
from django.utils import timezone

from mamori.core import contracts as clauses_core
from mamori.core import risk
from mamori.ledger.models import DataAsset
from mamori.platform.actor import current_actor
from mamori.platform.tenancy.objects import after_change, after_change_many
from mamori.vendors.events import tier_assessed
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor, VendorContact

log = logging.getLogger(__name__)


def vendor_facts(
    vendor: Vendor, today: dt.date, children: dict | None = None, parts: tuple | None = None
) -> risk.VendorFacts:
    """``children``: the re-subcontracts by parent entrustment id, ``parts``: the vendor's
    (entrustments, contracts, certifications), when loaded for many vendors at once."""
    if parts is None:
        parts = (
            list(vendor.entrustments.all()),
            list(vendor.contracts.all()),
            list(vendor.certifications.all()),
        )
    entrustments, contracts, certifications = parts
    if children is None:
        children = {}
        for child in Entrustment.objects.filter(parent__vendor=vendor).only("parent_id", "approved"):
            children.setdefault(child.parent_id, []).append(child)
    facts = []
    for e in entrustments:
        subs = children.get(e.id, [])
        facts.append(
            risk.EntrustmentFacts.from_items(
                e.items or [],
                e.special_care or [],
                individuals=e.individuals or 0,
                access_method=e.access_method,
                subcontracted=bool(subs),
                unapproved_subcontracting=any(not s.approved for s in subs),
                active=e.active_on(today),
            )
        )
    current = [c for c in contracts if c.ends_on is None or c.ends_on >= today or c.auto_renewal]
    missing = min((len(clauses_core.missing(c.clauses or {})) for c in current), default=0)
    expired = sum(1 for c in certifications if c.expired_on(today))
    return risk.VendorFacts(
        entrustments=tuple(facts),
        missing_clauses=missing,
        has_contract=bool(current),
        expired_certifications=expired,
    )


def refresh_tier(vendor: Vendor, today: dt.date) -> risk.Tier:
    tier = risk.inherent_tier(vendor_facts(vendor, today))
    Vendor.objects.filter(pk=vendor.pk).update(
        inherent_tier=tier.tier, tier_points=tier.points, tier_explanation=tier.explanation[:500]
    )
    vendor.inherent_tier, vendor.tier_points, vendor.tier_explanation = (
        tier.tier,
        tier.points,
        tier.explanation,
    )
    tier_assessed.send(Vendor, organization=vendor.organization, vendors=[vendor], actor=current_actor())
    return tier


BATCH = 500


def refresh_tiers(vendor_ids, today: dt.date) -> None:
    """:func:`refresh_tier` for many vendors (an import) in a bounded number of queries per batch
    of 500: their parts are loaded together, the tiers written grouped by value, and the rating
    told once per batch (:data:`tier_assessed`)."""
    ids = sorted(set(vendor_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        vendors = list(
            Vendor.objects.filter(pk__in=chunk)
            .select_related("organization")
            .only("id", "uuid", "name", "organization", "inherent_tier", "tier_points", "tier_explanation")
        )
        loaded: dict = {}
        for index, model in enumerate((Entrustment, Contract, Certification)):
            for part in model.objects.filter(vendor_id__in=chunk):
                loaded.setdefault(part.vendor_id, ([], [], []))[index].append(part)
        children: dict = {}
        for child in Entrustment.objects.filter(parent__vendor__in=chunk).only("parent_id", "approved"):
            children.setdefault(child.parent_id, []).append(child)
        groups: dict = {}
        nothing = None  # the tier of a vendor without entrustments, contracts or certifications
        for vendor in vendors:
            parts = loaded.get(vendor.pk)
            if parts is None:
                nothing = nothing or risk.inherent_tier(vendor_facts(vendor, today, {}, ([], [], [])))
                tier = nothing
            else:
                tier = risk.inherent_tier(vendor_facts(vendor, today, children, parts))
            values = (tier.tier, tier.points, tier.explanation[:500])
            vendor.inherent_tier, vendor.tier_points, vendor.tier_explanation = values
            groups.setdefault(values, []).append(vendor.pk)
        for (tier_, points, explanation), pks in groups.items():
            Vendor.objects.filter(pk__in=pks).exclude(
                inherent_tier=tier_, tier_points=points, tier_explanation=explanation
            ).update(inherent_tier=tier_, tier_points=points, tier_explanation=explanation)
        by_org: dict = {}
        for vendor in vendors:
            by_org.setdefault(vendor.organization_id, []).append(vendor)
        for group in by_org.values():
            tier_assessed.send(
                Vendor, organization=group[0].organization, vendors=group, actor=current_actor()
            )


@after_change_many(Vendor, Certification, VendorContact, Contract)
def _many_changed(objs) -> None:
    ids = [obj.pk if isinstance(obj, Vendor) else obj.vendor_id for obj in objs]
    refresh_tiers(ids, timezone.localdate())


@after_change(Vendor)
def _vendor_changed(obj: Vendor, deleted: bool) -> None:
    if not deleted:
        refresh_tier(obj, timezone.localdate())


@after_change(Entrustment, Contract, Certification, VendorContact)
def _part_changed(obj, deleted: bool) -> None:
    vendors = {obj.vendor_id}
    if isinstance(obj, Entrustment) and obj.parent_id:
        parent_vendor = (
            Entrustment.objects.filter(pk=obj.parent_id).values_list("vendor_id", flat=True).first()
        )
        if parent_vendor:
            vendors.add(parent_vendor)
    today = timezone.localdate()
    for vendor in Vendor.objects.filter(pk__in=vendors).select_related("organization"):
        refresh_tier(vendor, today)


@after_change(DataAsset)
def _asset_changed(obj: DataAsset, deleted: bool) -> None:
    if deleted:
        return
    today = timezone.localdate()
    for vendor in (
        Vendor.objects.filter(entrustments__data_asset=obj).distinct().select_related("organization")
    ):
        refresh_tier(vendor, today)


def document_text(name: str, content: bytes) -> str:
    """Text of a Word or text-based PDF contract, for the clause suggestions (empty when none)."""
    lower = name.lower()
    try:
        if lower.endswith(".docx"):
            import docx

            document = docx.Document(io.BytesIO(content))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
            return "\n".join(parts)
        if lower.endswith(".pdf"):
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(content))
            return "\n".join((page.extract_text() or "") for page in reader.pages[:100])
        if lower.endswith(".txt"):
            return content.decode("utf-8", errors="replace")
    except Exception as exc:  # a damaged document still gets stored; the user ticks the clauses by hand
        log.info("no text from contract document: %s", type(exc).__name__)
    return ""


def prepare_contract(form):
    """Before saving a contract: hash and read its document, record the confirmed clauses."""

    def prepare(contract: Contract) -> None:
        contract.clauses = form.confirmed_clauses()
        upload = form.cleaned_data.get("document")
        if upload and hasattr(upload, "read") and "document" in form.changed_data:
            content = upload.read()
            upload.seek(0)
            contract.document_name = upload.name[:255]
            contract.document_sha256 = hashlib.sha256(content).hexdigest()
            contract.suggested_clauses = clauses_core.suggest(document_text(upload.name, content))

    return prepare


def chain(entrustments) -> list[dict]:
    """Entrustments as a tree (root first, then its re-subcontracts), with the unapproved marked."""
    by_parent: dict[int | None, list[Entrustment]] = {}
    ids = {e.id for e in entrustments}
    for e in entrustments:
        key = e.parent_id if e.parent_id in ids else None
        by_parent.setdefault(key, []).append(e)

    # The latest check sheet of every vendor in the chain (answers passed down come back here),
    # through the vendor's reverse relation: the check sheets are an app above this one.
    vendors = list({e.vendor_id: e.vendor for e in entrustments}.values())
    prefetch_related_objects(vendors, "assessments")
    latest = {
        v.id: max(v.assessments.all(), key=lambda a: a.created_at) for v in vendors if v.assessments.all()
    }

    def walk(parent_id, depth):
        out = []
        for e in by_parent.get(parent_id, []):
            out.append(
                {
                    "entrustment": e,
                    "depth": depth,
                    "unapproved": e.parent_id is not None and not e.approved,
                    "assessment": latest.get(e.vendor_id),
                }
            )
            out += walk(e.id, depth + 1)
        return out

    return walk(None, 0)


def chain_for_asset(asset: DataAsset) -> list[dict]:
    return chain(list(asset.entrustments.select_related("vendor", "parent__vendor").order_by("created_at")))


def chain_for_vendor(vendor: Vendor) -> list[dict]:
    """The vendor's entrustments with everything passed on below them, and those passed to it."""
    own = list(vendor.entrustments.select_related("vendor", "data_asset", "parent__vendor"))
    seen = {e.id for e in own}
    frontier = list(seen)
    while frontier:
        children = list(
            Entrustment.objects.filter(parent_id__in=frontier).select_related(
                "vendor", "data_asset", "parent__vendor"
            )
        )
        frontier = [c.id for c in children if c.id not in seen]
        seen.update(frontier)
        own += [c for c in children if c.id in frontier]
    return chain(sorted(own, key=lambda e: e.created_at))
