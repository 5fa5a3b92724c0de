"""The weekly digest: each owner and admin gets what falls due in the next two weeks, and what is
overdue, once per ISO week (whichever worker runs first; the unique row decides).

Not sent when the organization turned it off (設定 › 組織の設定), nor when nothing in it asks for
action: in an organization's first week, audits it merely plans do not make a digest on their own."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from mamori.audits.actions import calendar_items
from mamori.audits.models import DigestLog
from mamori.platform.tenancy.models import Membership, Organization, OrganizationProfile, Role

SETTLING_DAYS = 7  # an organization's first days: planned audits alone are not worth a mail
PLANNED_AUDIT = "audit"  # the calendar item code of a planned audit


def send_weekly_digests(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    iso = today.isocalendar()
    week = f"{iso.year}W{iso.week:02d}"
    sent = 0
    off = set(
        OrganizationProfile.objects.filter(digest_enabled=False).values_list("organization_id", flat=True)
    )
    for org in Organization.objects.exclude(pk__in=off):
        with translation.override("ja"):
            items = calendar_items(org, today, today + dt.timedelta(days=14), today)
        if not worth_sending(org, items, today):
            continue
        lines = [
            f"{date_format(i['date'], 'Y年n月j日')}　{i['kind']}　{i['title']}{'（期限超過）' if i['overdue'] else ''}"
            for i in items[:100]
        ]
        for m in Membership.objects.filter(
            organization=org, role__in=(Role.OWNER, Role.ADMIN)
        ).select_related("user"):
            try:
                with transaction.atomic():
                    DigestLog.objects.create(organization=org, user=m.user, week=week)
                    send_mail(
                        subject=f"【Mamori】今週の期限（{org.name}）",
                        message=f"{m.user.display_name} 様\n\n今後2週間の期限と、期限を過ぎているもの：\n\n"
                        + "\n".join(lines)
                        + "\n\nMamori のカレンダーで詳しく確認できます。\n",
                        from_email=None,
                        recipient_list=[m.user.email],
                    )
            except IntegrityError:
                continue  # already sent this week
            sent += 1
    return sent


def worth_sending(org, items: list[dict], today: dt.date) -> bool:
    """Something in the digest asks for action: anything overdue, or any deadline — except, in the
    organization's first days, audits that are only planned (the plan was just made)."""
    if any(i["overdue"] for i in items):
        return True
    young = (today - timezone.localdate(org.created_at)).days < SETTLING_DAYS
    return any(not (young and i["code"] == PLANNED_AUDIT) for i in items)
