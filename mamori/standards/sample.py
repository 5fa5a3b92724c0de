"""The sample organization's required ★ levels (called by :mod:`mamori.demo`)."""

from __future__ import annotations

import datetime as dt

from mamori.platform import actor as trail
from mamori.standards.models import RequiredStar
from mamori.vendors.models import Entrustment


def seed(org, today: dt.date, actor: trail.Actor) -> None:
    entrustments = list(Entrustment.objects.for_org(org).filter(parent__isnull=True).select_related("vendor"))
    with trail.acting_as(actor):
        for e in entrustments:
            if e.vendor.name == "株式会社クラウドペイメント":
                RequiredStar.objects.create(
                    organization=org,
                    entrustment=e,
                    level=4,
                    reason="カード情報を扱い、当社システムと接続しているため",
                )
            elif e.vendor.name == "株式会社みなとダイレクト":
                RequiredStar.objects.create(
                    organization=org, entrustment=e, level=3, reason="会員の氏名・住所を預けるため"
                )
