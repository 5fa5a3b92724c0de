"""The provision and purpose check of one organization: the gaps per data set (rules in
:mod:`mamori.core.appi.provision`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mamori.core.appi import provision as rules
from mamori.ledger.models import DataAsset
from mamori.provisions.models import DataUse, OptOutNotice, ProvisionRecord, PurposeNotice, Status


@dataclass
class DataSetCheck:
    data_asset: DataAsset
    gaps: list[rules.Gap] = field(default_factory=list)
    provisions: int = 0
    purposes: int = 0
    uses: int = 0


def check(org) -> list[DataSetCheck]:
    """Every active data set that has purposes, uses or provisions recorded (or none at all): the gaps
    of its provision records and of its uses against its notified purposes."""
    assets = list(DataAsset.objects.for_org(org).exclude(status="ended").order_by("name"))
    purposes = list(PurposeNotice.objects.for_org(org).filter(status=Status.ACTIVE))
    uses = list(DataUse.objects.for_org(org).filter(status=Status.ACTIVE))
    records = list(
        ProvisionRecord.objects.for_org(org).filter(status=Status.ACTIVE).select_related("data_asset")
    )
    filed = {
        n.data_asset_id for n in OptOutNotice.objects.for_org(org).filter(status=Status.ACTIVE) if n.complete
    }
    out = []
    for asset in assets:
        result = DataSetCheck(asset)
        mine = [p for p in purposes if p.data_asset_id == asset.pk]
        core_purposes = [
            rules.Purpose(f"purpose:{p.uuid}", p.purpose, p.way or None, p.since, p.third_party) for p in mine
        ]
        core_uses = [
            rules.Use(
                f"use:{u.uuid}", u.description, f"purpose:{u.purpose.uuid}" if u.purpose_id else None, u.since
            )
            for u in uses
            if u.data_asset_id == asset.pk
        ]
        for r in records:
            if r.data_asset_id != asset.pk:
                continue
            ref = f"provision:{r.uuid}"
            result.gaps += rules.check_provision(
                rules.Provision(
                    ref=ref,
                    direction=r.direction,
                    basis=r.basis,
                    data_set=asset.name,
                    values=r.values(),
                    counterparty_is_corporation=r.counterparty_is_corporation,
                    special_care=asset.has_special_care,
                    opt_out_notice_filed=asset.pk in filed,
                    from_opt_out=r.from_opt_out,
                    foreign=r.foreign,
                )
            )
            if r.direction == rules.PROVIDING and r.basis not in rules.EXEMPT_BASES:
                # Providing to a third party is itself a use of the data set.
                core_uses.append(
                    rules.Use(
                        ref,
                        f"{r.counterparty}への提供",
                        f"purpose:{r.purpose.uuid}" if r.purpose_id else None,
                        r.provided_on,
                        r.basis,
                    )
                )
            result.provisions += 1
        if mine or core_uses:
            result.gaps += rules.check_purposes(asset.name, core_purposes, core_uses)
        elif asset.disclosure == "none":
            result.gaps.append(
                rules.Gap(
                    asset.name,
                    "no_purpose",
                    "利用目的が登録されておらず、台帳でも通知・公表が「未」です。",
                    "法21条1項",
                )
            )
        result.purposes, result.uses = len(mine), len(core_uses)
        out.append(result)
    return out
