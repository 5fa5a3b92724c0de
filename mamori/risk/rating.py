"""The vendor rating: a read model of four apps, stored on the vendor.

- check sheets: the latest scored one gives the control score and rating (A–D), and names the
  critical questions answered いいえ;
- audits: each open finding lowers the control score by its severity's points;
- incidents: one linked to the vendor in the past year raises the risk one level;
- vendors: the inherent tier (固有リスク), the other axis of the matrix.

Stored in ``Vendor.control_score``, ``control_rating``, ``risk_rating`` and ``risk_explanation``;
the arithmetic and the words are in :mod:`mamori.core.checksheets.scoring`. The apps do not call
this module: they emit named events (:data:`INPUTS`), and :class:`~mamori.risk.apps.RiskConfig`
connects :func:`on_input_changed` to them. The rating is recomputed synchronously, in the
transaction of the change, and the change of the rating is trailed as the event's actor.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from mamori.audits.events import finding_changed
from mamori.audits.models import Finding
from mamori.checksheets.events import answers_scored, assessment_reviewed
from mamori.checksheets.models import Assessment
from mamori.core.checksheets import scoring
from mamori.core.checksheets.structure import question_map
from mamori.incidents.events import incident_vendor_linked
from mamori.incidents.models import Incident
from mamori.platform.actor import Actor, acting_as
from mamori.vendors.events import tier_assessed
from mamori.vendors.models import Entrustment, Vendor

INPUTS = (answers_scored, assessment_reviewed, finding_changed, incident_vendor_linked, tier_assessed)

SEVERITY_PENALTY = {"high": 10, "medium": 5, "low": 2}
INCIDENT_WINDOW = dt.timedelta(days=365)


def on_input_changed(sender, *, organization, vendors, actor: Actor, **event) -> None:
    """An input of the rating changed for ``vendors``: rate them again, as ``actor`` (many at
    once, e.g. an import, in a bounded number of queries: :func:`refresh_vendor_ratings`)."""
    for vendor in vendors:
        if vendor.organization_id != organization.pk:
            raise ValueError(f"vendor {vendor.pk} is not in organization {organization.pk}")
    if len(vendors) > 1:
        refresh_vendor_ratings(vendors, actor)
        return
    for vendor in vendors:
        refresh_vendor_rating(vendor, actor)
        # A re-subcontractor's rating is part of its principals' risk: rate them again, up the chain.
        seen = {vendor.pk}
        todo = principals(vendor)
        while todo:
            parent = todo.pop()
            if parent.pk in seen:
                continue
            seen.add(parent.pk)
            refresh_vendor_rating(parent, actor)
            todo += principals(parent)


def principals(vendor: Vendor) -> list[Vendor]:
    """The vendors that passed data on to ``vendor`` (its principals in a re-subcontract)."""
    ids = Entrustment.objects.filter(vendor=vendor, parent__isnull=False).values_list(
        "parent__vendor_id", flat=True
    )
    return list(Vendor.objects.filter(pk__in=ids))


def failing_subcontractors(vendor: Vendor) -> list[str]:
    """The names of ``vendor``'s re-subcontractors rated D (their controls are insufficient)."""
    ids = Entrustment.objects.filter(parent__vendor=vendor).values_list("vendor_id", flat=True)
    return list(
        Vendor.objects.filter(pk__in=ids, control_rating="D")
        .exclude(pk=vendor.pk)
        .order_by("name")
        .values_list("name", flat=True)
    )


def latest_rated(vendor: Vendor) -> Assessment | None:
    """The latest scored sheet. A sheet returned (or reopened) for answers again keeps rating the
    vendor with its last scored answers until the new answers are submitted and scored."""
    return (
        Assessment.objects.filter(vendor=vendor, submitted_at__isnull=False)
        .exclude(rating="")
        .order_by("-submitted_at")
        .first()
    )


def open_findings(vendor: Vendor) -> list[Finding]:
    return list(Finding.objects.filter(audit__vendor=vendor, closed_on__isnull=True))


def control_penalty(vendor: Vendor) -> tuple[int, int]:
    """The points the open findings take off the control score, and how many there are."""
    findings = open_findings(vendor)
    return sum(SEVERITY_PENALTY[f.severity] for f in findings), len(findings)


def recent_incidents(vendor: Vendor) -> int:
    return Incident.objects.filter(
        vendor=vendor, aware_on__gte=timezone.localdate() - INCIDENT_WINDOW
    ).count()


RATING_FIELDS = ("control_score", "control_rating", "risk_rating", "risk_explanation")


def _rated(
    vendor: Vendor, a: Assessment | None, findings: list[str], incidents: int, failing: list[str]
) -> dict:
    """The rating fields of a vendor from its latest scored check sheet, the severities of its
    open findings, its recent incidents and the names of its re-subcontractors rated D."""
    qmap = question_map(a.version.structure) if a else {}
    critical = [qmap[k]["text"] for k in (a.critical_failed if a else []) if k in qmap]
    penalty = sum(SEVERITY_PENALTY[s] for s in findings)
    score = max(0.0, a.score - penalty) if a and a.score is not None else None
    rating = (scoring.rating_for(score, bool(critical)) or "") if a else ""
    risk, words = scoring.risk_rating(
        vendor.inherent_tier, rating or None, critical, open_findings=len(findings), incidents=incidents
    )
    if penalty and score is not None:
        words += f"（未是正の指摘により管理状況のスコアを{penalty}点下げています）"
    failing = [name for name in failing if name != vendor.name]
    if failing:
        risk = scoring.BUMP[risk or vendor.inherent_tier]
        words += (
            f"。再委託先の管理状況がD（不十分）のため、リスクを{scoring.RISK_LABELS[risk]}としています："
            + "、".join(failing[:5])
        )
    return dict(zip(RATING_FIELDS, (score, rating, risk or "", words[:500]), strict=True))


def refresh_vendor_ratings(vendors: list[Vendor], actor: Actor, batch: int = 500) -> None:
    """:func:`refresh_vendor_rating` for many vendors: each input loaded once per batch of 500,
    the changed ratings written grouped by value (and trailed, as ``actor``)."""
    ids = sorted({v.pk for v in vendors})
    since = timezone.localdate() - INCIDENT_WINDOW
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        fresh = Vendor.objects.filter(pk__in=chunk).only(
            "id", "organization_id", "inherent_tier", *RATING_FIELDS
        )
        latest: dict = {}
        for a in (
            Assessment.objects.filter(vendor_id__in=chunk, submitted_at__isnull=False)
            .exclude(rating="")
            .select_related("version")
            .order_by("vendor_id", "-submitted_at")
        ):
            latest.setdefault(a.vendor_id, a)
        findings: dict = {}
        for vendor_id, severity in Finding.objects.filter(
            audit__vendor_id__in=chunk, closed_on__isnull=True
        ).values_list("audit__vendor_id", "severity"):
            findings.setdefault(vendor_id, []).append(severity)
        incidents = dict(
            Incident.objects.filter(vendor_id__in=chunk, aware_on__gte=since)
            .values("vendor_id")
            .annotate(n=Count("id"))
            .values_list("vendor_id", "n")
        )
        failing: dict = {}
        for principal_id, name in (
            Entrustment.objects.filter(parent__vendor_id__in=chunk, vendor__control_rating="D")
            .values_list("parent__vendor_id", "vendor__name")
            .order_by("vendor__name")
            .distinct()
        ):
            failing.setdefault(principal_id, []).append(name)
        groups: dict = {}
        for vendor in fresh:
            rated = _rated(
                vendor,
                latest.get(vendor.pk),
                findings.get(vendor.pk, []),
                incidents.get(vendor.pk, 0),
                failing.get(vendor.pk, []),
            )
            if any(getattr(vendor, name) != value for name, value in rated.items()):
                groups.setdefault(tuple(rated.items()), []).append(vendor.pk)
        with acting_as(actor):
            for values, pks in groups.items():
                Vendor.objects.filter(pk__in=pks).update(**dict(values))


def refresh_vendor_rating(vendor: Vendor, actor: Actor) -> None:
    """Control score from the latest scored check sheet, lowered by open audit findings; with the
    inherent tier and recent incidents, the risk rating in words. Written (and trailed, as
    ``actor``) only when it changed."""
    vendor.refresh_from_db(fields=["inherent_tier", *RATING_FIELDS])
    severities = [f.severity for f in open_findings(vendor)]
    rated = _rated(
        vendor, latest_rated(vendor), severities, recent_incidents(vendor), failing_subcontractors(vendor)
    )
    if all(getattr(vendor, name) == value for name, value in rated.items()):
        return
    with acting_as(actor):
        Vendor.objects.filter(pk=vendor.pk).update(**rated)
    for name, value in rated.items():
        setattr(vendor, name, value)
