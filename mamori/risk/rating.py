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
    """An input of the rating changed for ``vendors``: rate them again, as ``actor``."""
    for vendor in vendors:
        if vendor.organization_id != organization.pk:
            raise ValueError(f"vendor {vendor.pk} is not in organization {organization.pk}")
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


def refresh_vendor_rating(vendor: Vendor, actor: Actor) -> None:
    """Control score from the latest scored check sheet, lowered by open audit findings; with the
    inherent tier and recent incidents, the risk rating in words. Written (and trailed, as
    ``actor``) only when it changed."""
    vendor.refresh_from_db(fields=["inherent_tier", *RATING_FIELDS])
    a = latest_rated(vendor)
    qmap = question_map(a.version.structure) if a else {}
    critical = [qmap[k]["text"] for k in (a.critical_failed if a else []) if k in qmap]
    penalty, findings = control_penalty(vendor)
    score = max(0.0, a.score - penalty) if a and a.score is not None else None
    rating = (scoring.rating_for(score, bool(critical)) or "") if a else ""
    incidents = recent_incidents(vendor)
    risk, words = scoring.risk_rating(
        vendor.inherent_tier, rating or None, critical, open_findings=findings, incidents=incidents
    )
    if penalty and score is not None:
        words += f"（未是正の指摘により管理状況のスコアを{penalty}点下げています）"
    failing = failing_subcontractors(vendor)
    if failing:
        risk = scoring.BUMP[risk or vendor.inherent_tier]
        words += (
            f"。再委託先の管理状況がD（不十分）のため、リスクを{scoring.RISK_LABELS[risk]}としています："
            + "、".join(failing[:5])
        )
    rated = dict(zip(RATING_FIELDS, (score, rating, risk or "", words[:500]), strict=True))
    if all(getattr(vendor, name) == value for name, value in rated.items()):
        return
    with acting_as(actor):
        Vendor.objects.filter(pk=vendor.pk).update(**rated)
    for name, value in rated.items():
        setattr(vendor, name, value)
