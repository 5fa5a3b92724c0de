"""Reviewing a submitted check sheet: approved, or returned with comments for answers again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mamori.checksheets.actions.errors import ChecksheetError
from mamori.checksheets.actions.sending import deliver_mail, settings_for
from mamori.checksheets.events import assessment_reviewed
from mamori.checksheets.models import Assessment, Comment, MailKind, MailLog, State
from mamori.core.checksheets.structure import question_map
from mamori.platform.trail import services as trail


def review(a: Assessment, *, approve: bool, comments: dict[str, str], actor: trail.Actor) -> None:
    if a.state != State.SUBMITTED:
        raise ChecksheetError("提出済みのチェックシートだけを承認・差戻しできます。")
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    if not approve and not comments:
        raise ChecksheetError("差し戻すときは、少なくとも1つコメントを書いてください。")
    qmap = question_map(a.version.structure)
    with transaction.atomic(), trail.acting_as(actor):
        for key, text in comments.items():
            Comment.objects.create(
                organization=a.organization,
                assessment=a,
                question=key if key in qmap else "",
                text=text[:5000],
                round=a.round,
                author=actor.user,
            )
        now = timezone.now()
        if approve:
            Assessment.objects.filter(pk=a.pk).update(state=State.APPROVED, reviewed_at=now)
            # The vendor is told (its links stay valid to read the answers).
            for r in a.recipients.filter(revoked_at__isnull=True).exclude(email=""):
                mail = MailLog.objects.create(
                    organization=a.organization, assessment=a, recipient=r, kind=MailKind.APPROVED
                )
                deliver_mail.enqueue(mail.id)
        else:
            Assessment.objects.filter(pk=a.pk).update(
                state=State.RETURNED, reviewed_at=now, round=a.round + 1
            )
            org_settings = settings_for(a.organization)
            for r in a.recipients.filter(revoked_at__isnull=True):
                if r.expires_at < now + dt.timedelta(days=7):
                    r.expires_at = now + dt.timedelta(days=max(7, org_settings.grace_days))
                    r.save(update_fields=["expires_at"])
                if r.email:
                    mail = MailLog.objects.create(
                        organization=a.organization, assessment=a, recipient=r, kind=MailKind.RETURNED
                    )
                    deliver_mail.enqueue(mail.id)
        a.refresh_from_db()
        assessment_reviewed.send(
            Assessment, organization=a.organization, vendors=[a.vendor], actor=actor, assessment=a
        )
