"""Stateless legal calculations: the APPI assessment and the JNSA damage estimate (no storage)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Router, Schema
from pydantic import Field

from mamori.core.appi import assess
from mamori.core.appi.facts import CAUSES, ITEMS, SPECIAL_CARE
from mamori.core.jnsa import estimate
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import require

router = Router(tags=["law"])

BreachType = Literal["leak", "loss", "damage"]
Item = Literal[ITEMS]  # type: ignore[valid-type]
SpecialCare = Literal[SPECIAL_CARE]  # type: ignore[valid-type]
Cause = Literal[CAUSES]  # type: ignore[valid-type]


class FactsIn(Schema):
    aware_date: dt.date = Field(description="the day the business became aware (day 1 of the clock)")
    breach_types: list[BreachType] = Field(default=["leak"], description="漏えい・滅失・毀損")
    suspected: bool = Field(default=False, description="true: it may have happened (おそれ)")
    individuals: int | None = Field(default=None, ge=0, description="the number, or the maximum possible")
    items: list[Item] = Field(
        default=[], description="the scanner's type vocabulary plus payment_credentials"
    )
    special_care: list[SpecialCare] = []
    cause: Cause | None = None
    improper_purpose: bool | Literal["yes", "no", "unknown"] | None = Field(
        default=None, description="規則7条3号; null/unknown: derived from the cause, else 判定保留"
    )
    financial_damage_risk: bool | Literal["yes", "no", "unknown"] | None = Field(
        default=None, description="規則7条2号; null/unknown: derived from the items"
    )
    caused_by: Literal["self", "vendor", "third_party"] | None = Field(
        default=None, description="who caused it: 自社・委託先・第三者"
    )
    individuals_kind: Literal["exact", "estimate", "range", "unknown"] | None = None
    individuals_min: int | None = Field(default=None, ge=0)
    individuals_max: int | None = Field(default=None, ge=0)
    individuals_basis: str | None = None
    special_care_unconfirmed: list[SpecialCare] = []
    my_number: bool | Literal["yes", "no", "unknown"] | None = None
    my_number_system: bool | Literal["yes", "no", "unknown"] | None = None
    principal_notified_on: dt.date | None = None
    occurred_date: dt.date | None = None
    discovered_date: dt.date | None = None
    highly_encrypted: bool = False
    copy_exists: bool = False
    recovered_before_access: bool = False
    personal_info_being_acquired: bool = False
    role: Literal["principal", "vendor"] = "principal"
    vendor_notified_principal: bool = False
    over_1000_known_date: dt.date | None = None
    secondary_damage: bool | None = None
    publicly_viewable: bool | Literal["yes", "no", "unknown"] | None = None


class CostsIn(Schema):
    letter_per_person: int | None = Field(default=None, ge=0)
    call_centre_per_day: int | None = Field(default=None, ge=0)
    call_centre_days_low: int | None = Field(default=None, ge=0)
    call_centre_days_high: int | None = Field(default=None, ge=0)
    gift_card_per_person: int | None = Field(default=None, ge=0)
    fixed_low: int | None = Field(default=None, ge=0)
    fixed_high: int | None = Field(default=None, ge=0)


class EstimateIn(Schema):
    individuals: int = Field(ge=0)
    items: list[str] = Field(default=[], description="Mamori item names or JNSA EP-map labels")
    special_care: list[SpecialCare] = []
    social_responsibility: Literal[1, 2] = 1
    response: Literal["appropriate", "inappropriate", "unknown"] = "appropriate"
    costs: CostsIn | None = None


@router.post(
    "/assess", response=dict, summary="APPI Art. 26 assessment: reportable, who, by when, what to say"
)
def assess_route(request, facts: FactsIn):
    require(request, Perm.VIEW)
    from django.utils import timezone

    return assess(facts.model_dump(exclude_unset=True), today=timezone.localdate())


@router.post("/estimate", response=dict, summary="JNSA damage estimate, precedents and response-cost budget")
def estimate_route(request, body: EstimateIn):
    require(request, Perm.VIEW)
    data = body.model_dump(exclude_unset=True)
    if body.costs is not None:
        data["costs"] = body.costs.model_dump(exclude_none=True)
    return estimate(data)
