"""The weekly digest: each owner and admin gets what falls due in the next two weeks, and what is
overdue, once per ISO week (whichever worker runs first; the unique row decides)."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from mamori.audits.actions import calendar_items
from mamori.audits.models import DigestLog
from mamori.platform.tenancy.models import Membership, Organization, Role


def send_weekly_digests(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    iso = today.isocalendar()
    week = f"{iso.year}W{iso.week:02d}"
    sent = 0
    for org in Organization.objects.all():
        items = calendar_items(org, today, today + dt.timedelta(days=14), today)
        if not items:
            continue
        lines = [
            f"{i['date']}　{i['kind']}　{i['title']}{'（期限超過）' if i['overdue'] else ''}"
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
