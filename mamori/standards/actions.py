"""A vendor's answers through every lens, and the ★ level required of it per entrustment."""

from __future__ import annotations

from mamori.checksheets.models import Answer, Assessment
from mamori.core import standards
from mamori.standards.models import RequiredStar
from mamori.vendors.models import Entrustment, Vendor

SCORED_STATES = ("submitted", "approved", "returned")


def latest_answers(vendor: Vendor) -> tuple[Assessment | None, dict[str, str]]:
    """The vendor's answers on its latest submitted check sheet (keys of the built-in sheets)."""
    assessment = (
        Assessment.objects.for_org(vendor.organization)
        .filter(vendor=vendor, state__in=SCORED_STATES)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if assessment is None:
        return None, {}
    answers = {
        a.question: a.value
        for a in Answer.objects.for_org(vendor.organization).filter(assessment=assessment)
        if isinstance(a.value, str)
    }
    return assessment, answers


def lens_report(vendor: Vendor) -> dict:
    assessment, answers = latest_answers(vendor)
    star = standards.star_level(answers) if answers else 0
    requirements = []
    for e in (
        Entrustment.objects.for_org(vendor.organization).filter(vendor=vendor).select_related("data_asset")
    ):
        required = RequiredStar.objects.for_org(vendor.organization).filter(entrustment=e).first()
        requirements.append(
            {
                "entrustment": e,
                "required": required.level if required else None,
                "short": bool(required and star < required.level),
            }
        )
    return {
        "assessment": assessment,
        "lenses": standards.score_all(answers) if answers else [],
        "star": star,
        "requirements": requirements,
    }
