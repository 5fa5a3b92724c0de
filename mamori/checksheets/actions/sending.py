"""Sending check sheets: one assessment per vendor, private links per recipient, their mails
(invitations, reminders, the overdue, the returned, receipts) through the worker."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from mamori.checksheets import rules
from mamori.checksheets.models import (
    OPEN_STATES,
    Answer,
    Assessment,
    MailKind,
    MailLog,
    MailStatus,
    Recipient,
    Settings,
    State,
    TemplateVersion,
)
from mamori.platform.tenancy.models import Membership, Role, profile_for
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.taskleases.leases import deliver_once
from mamori.vendors.models import Vendor, VendorContact

log = logging.getLogger(__name__)
# Shown to the sender (the server's own words when it gave any; the exception class is only logged).
MAIL_FAILED = "メールサーバーに送信できませんでした。"


def settings_for(org) -> Settings:
    obj, _created = Settings.objects.get_or_create(organization=org)
    return obj


def _expiry(org_settings: Settings, due_on: dt.date) -> dt.datetime:
    end = dt.datetime.combine(due_on + dt.timedelta(days=org_settings.grace_days), dt.time(23, 59))
    return timezone.make_aware(end)


def first_reminder(org_settings: Settings, due_on: dt.date, now: dt.datetime) -> dt.datetime | None:
    at = timezone.make_aware(
        dt.datetime.combine(due_on - dt.timedelta(days=org_settings.remind_days_before), dt.time(9))
    )
    if at <= now:
        at = timezone.make_aware(dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time(9)))
    return at


def send(
    *,
    org,
    version: TemplateVersion,
    vendors: list[Vendor],
    due_on: dt.date,
    actor: trail.Actor,
    contacts: dict[int, list[VendorContact]] | None = None,
    parent: Assessment | None = None,
    prefill: bool = False,
) -> list[Assessment]:
    """Create and send one assessment per vendor, one private link per recipient.

    ``contacts`` maps a vendor id to the chosen contacts (default: all of the vendor's contacts).
    All rows are written in one transaction with bulk inserts; the mails go out through the worker.
    """
    now = timezone.now()
    rules.check_send(org=org, version=version, vendors=vendors, due_on=due_on, today=timezone.localdate(now))
    org_settings = settings_for(org)
    if contacts is None:
        contacts = {}
        for c in VendorContact.objects.filter(organization=org, vendor__in=vendors):
            contacts.setdefault(c.vendor_id, []).append(c)
    with transaction.atomic(), trail.acting_as(actor):
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    organization=org,
                    vendor=v,
                    version=version,
                    due_on=due_on,
                    state=State.SENT,
                    sent_at=now,
                    parent=parent,
                    sent_by=actor.user if getattr(actor.user, "pk", None) else None,
                )
                for v in vendors
            ]
        )
        recipients, logs = [], []
        expires, reminder = _expiry(org_settings, due_on), first_reminder(org_settings, due_on, now)
        for a in assessments:
            for c in contacts.get(a.vendor_id, []):
                r = Recipient(
                    organization=org,
                    assessment=a,
                    contact=c,
                    name=c.name,
                    email=c.email,
                    expires_at=expires,
                    next_reminder_at=reminder if c.email else None,
                )
                r.new_link()
                recipients.append(r)
        Recipient.objects.bulk_create(recipients)
        for r in recipients:
            logs.append(
                MailLog(
                    organization=org,
                    assessment=r.assessment,
                    recipient=r,
                    kind=MailKind.INVITATION,
                    status=MailStatus.QUEUED if r.email else MailStatus.NO_ADDRESS,
                )
            )
        MailLog.objects.bulk_create(logs)
        if prefill:
            prefill_from_last_year(assessments)
        # The task rows are written in this transaction (database queue): no mail without its assessment.
        for log_ in logs:
            if log_.status == MailStatus.QUEUED:
                deliver_mail.enqueue(log_.id)
    return assessments


def prefill_from_last_year(assessments: list[Assessment]) -> int:
    """Each new sheet starts with the vendor's last submitted answers to the same check sheet (the
    questions that still exist), marked as pre-filled: they count once the vendor confirms or
    changes them."""
    from mamori.core.checksheets.structure import question_map

    copied = []
    for a in assessments:
        last = (
            Assessment.objects.filter(
                vendor_id=a.vendor_id,
                version__template_id=a.version.template_id,
                submitted_at__isnull=False,
            )
            .exclude(pk=a.pk)
            .order_by("-submitted_at")
            .first()
        )
        if last is None:
            continue
        keys = question_map(a.version.structure)
        for ans in last.answers.filter(question__in=list(keys)):
            copied.append(
                Answer(
                    organization=a.organization,
                    assessment=a,
                    question=ans.question,
                    value=ans.value,
                    remark=ans.remark,
                    na_reason=ans.na_reason,
                    prefilled=True,
                )
            )
    Answer.objects.bulk_create(copied)
    return len(copied)


def add_recipient(
    assessment: Assessment, *, name: str, email: str, actor: trail.Actor, contact=None
) -> Recipient:
    rules.check_recipient(assessment, name=name, email=email, contact=contact)
    org_settings = settings_for(assessment.organization)
    with transaction.atomic(), trail.acting_as(actor):
        r = Recipient(
            organization=assessment.organization,
            assessment=assessment,
            contact=contact,
            name=name,
            email=email,
            expires_at=_expiry(org_settings, assessment.due_on),
            next_reminder_at=first_reminder(org_settings, assessment.due_on, timezone.now())
            if email
            else None,
        )
        r.new_link()
        r.save()
        mail = MailLog.objects.create(
            organization=r.organization,
            assessment=assessment,
            recipient=r,
            kind=MailKind.INVITATION,
            status=MailStatus.QUEUED if email else MailStatus.NO_ADDRESS,
        )
        if email:
            deliver_mail.enqueue(mail.id)
    return r


def _working_until(a: Assessment, org_settings: Settings, now: dt.datetime) -> dt.datetime:
    """How long a link handed out now stays valid: the due date plus the grace days, and at least a
    week from now (a link sent after the due date must still open)."""
    return max(_expiry(org_settings, a.due_on), now + dt.timedelta(days=7))


def _reopened_state(a: Assessment) -> str:
    if a.submitted_at:
        return State.RETURNED
    return State.IN_PROGRESS if a.answers.exists() else State.SENT


def regenerate_link(recipient: Recipient, actor: trail.Actor) -> None:
    """A new link that works: the old one stops, the new one is valid (and an expired sheet opens
    again, so the vendor can answer through it)."""
    now = timezone.now()
    a = recipient.assessment
    with transaction.atomic(), trail.acting_as(actor):
        recipient.new_link()
        recipient.revoked_at = None
        recipient.expires_at = max(recipient.expires_at, _working_until(a, settings_for(a.organization), now))
        recipient.save(update_fields=["lookup", "nonce", "revoked_at", "expires_at"])
        if a.state == State.EXPIRED:
            a.state = _reopened_state(a)
            a.save(update_fields=["state"])
        # The link's secret is not trailed (trail_exclude): say that it changed.
        trail.record(
            org=recipient.organization,
            actor=actor,
            action=Action.UPDATE,
            obj=recipient,
            changes={"link": ["old", "reissued"]},  # codes, worded by Recipient.trail_labels
        )


def revoke_link(recipient: Recipient, actor: trail.Actor) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        recipient.revoked_at = timezone.now()
        recipient.next_reminder_at = None
        recipient.save(update_fields=["revoked_at", "next_reminder_at"])


def resend(recipient: Recipient, actor: trail.Actor) -> MailLog | None:
    """Send the request again, with a link that opens: a revoked link is refused (reissue it first),
    an expired one is extended."""
    from mamori.checksheets.actions.errors import ChecksheetError

    if not recipient.email:
        return None
    if recipient.revoked_at is not None:
        raise ChecksheetError(
            "このリンクは取り消されています。先に「リンク再発行」をしてから再送してください。"
        )
    a = recipient.assessment
    if a.state not in OPEN_STATES:
        raise ChecksheetError(
            "このチェックシートは回答受付中ではありません。期限の延長か再開をしてから再送してください。"
        )
    with transaction.atomic(), trail.acting_as(actor):
        now = timezone.now()
        if recipient.expires_at <= now + dt.timedelta(days=1):
            recipient.expires_at = _working_until(a, settings_for(a.organization), now)
            recipient.save(update_fields=["expires_at"])
        mail = MailLog.objects.create(
            organization=recipient.organization,
            assessment=recipient.assessment,
            recipient=recipient,
            kind=MailKind.INVITATION,
        )
        deliver_mail.enqueue(mail.id)
    return mail


SUBJECTS = {
    MailKind.INVITATION: "【チェックシートのご回答のお願い】{org}より",
    MailKind.REMINDER: "【リマインド】チェックシートのご回答期限が近づいています（{org}）",
    MailKind.OVERDUE: "【期限超過】チェックシートのご回答をお願いします（{org}）",
    MailKind.RETURNED: "【再回答のお願い】チェックシートにコメントがあります（{org}）",
    MailKind.RECEIPT: "【受付完了】チェックシートのご回答を受け付けました（{org}）",
    MailKind.APPROVED: "【承認】チェックシートのご回答が承認されました（{org}）",
    MailKind.SUBMITTED: "【回答提出】{vendor} がチェックシートを提出しました",
}


def requester_body(a: Assessment) -> str:
    """The mail to the company's own side when a vendor submits."""
    link = settings.BASE_URL + f"/checksheets/{a.uuid}/"
    return (
        f"{a.vendor.name} から「{a.version.template.name}」の回答が提出されました"
        f"（{a.round}回目）。\n内容を確認し、承認または差戻しをしてください。\n\n{link}\n\n-- \nMamori"
    )


def chain(a: Assessment) -> list[str]:
    """Who asks whom, from the organization down to this vendor (a sheet passed down names its
    principal): ["株式会社守り", "株式会社発送代行", "株式会社印刷"]."""
    names, node, seen = [a.vendor.name], a.parent, {a.pk}
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names.append(node.vendor.name)
        node = node.parent
    names.append(a.organization.name)
    return list(reversed(names))


def open_elsewhere(org, vendors: list[Vendor], version: TemplateVersion) -> list[Assessment]:
    """The sheets of the same check sheet still open for these vendors (warned before sending again)."""
    return list(
        Assessment.objects.filter(
            organization=org,
            vendor__in=vendors,
            version__template_id=version.template_id,
            state__in=OPEN_STATES,
        ).select_related("vendor")
    )


def extend_due(a: Assessment, due_on: dt.date, actor: trail.Actor) -> None:
    """A new due date: the links stay valid until it (plus the grace days), the reminders follow it,
    and an expired sheet opens again."""
    from mamori.checksheets.actions.errors import ChecksheetError

    now = timezone.now()
    if due_on < timezone.localdate(now):
        raise ChecksheetError("新しい回答期限が過去の日付です。")
    if a.state in (State.SUBMITTED, State.APPROVED, State.DRAFT):
        raise ChecksheetError("回答受付中または期限切れのチェックシートだけ期限を延長できます。")
    org_settings = settings_for(a.organization)
    with transaction.atomic(), trail.acting_as(actor):
        a.due_on = due_on
        fields = ["due_on"]
        if a.state == State.EXPIRED:
            a.state = _reopened_state(a)
            fields.append("state")
        a.save(update_fields=fields)
        for r in a.recipients.filter(revoked_at__isnull=True):
            r.expires_at = max(r.expires_at, _expiry(org_settings, due_on))
            r.next_reminder_at = first_reminder(org_settings, due_on, now) if r.email else None
            r.save(update_fields=["expires_at", "next_reminder_at"])


def reopen(a: Assessment, due_on: dt.date, actor: trail.Actor) -> None:
    """An approved (or expired) sheet answered again: a new round, the earlier rounds kept as they
    were submitted; the vendor's links work until the new due date."""
    from mamori.checksheets.actions.errors import ChecksheetError

    if a.state == State.EXPIRED:
        extend_due(a, due_on, actor)
        return
    if a.state != State.APPROVED:
        raise ChecksheetError("承認済みまたは期限切れのチェックシートだけ再開できます。")
    if due_on < timezone.localdate():
        raise ChecksheetError("新しい回答期限が過去の日付です。")
    with transaction.atomic(), trail.acting_as(actor):
        a.state, a.round = State.RETURNED, a.round + 1
        a.save(update_fields=["state", "round"])
        extend_due(a, due_on, actor)


def remind_overdue(org, actor: trail.Actor) -> tuple[int, int]:
    """One overdue reminder to every recipient (with an address and a working link) of every
    overdue sheet, at once. Returns (sheets, mails)."""
    now = timezone.now()
    sheets = mails = 0
    overdue = Assessment.objects.filter(
        organization=org, state__in=OPEN_STATES, due_on__lt=timezone.localdate(now)
    )
    with transaction.atomic(), trail.acting_as(actor):
        for a in overdue:
            reached = False
            for r in a.recipients.filter(revoked_at__isnull=True, expires_at__gt=now).exclude(email=""):
                mail = MailLog.objects.create(
                    organization=org, assessment=a, recipient=r, kind=MailKind.OVERDUE
                )
                deliver_mail.enqueue(mail.id)
                mails += 1
                reached = True
            sheets += reached
    return sheets, mails


def mail_sender(org) -> dict:
    """Who a check-sheet mail comes from and whom the vendor contacts (設定 › 組織の設定): the
    sender name on the From line, the Reply-To address, and a named person with department and
    phone — the organization's owner when nobody is set, so a mail always names someone."""
    from email.headerregistry import Address
    from email.utils import parseaddr

    profile = profile_for(org)
    owner = (
        Membership.objects.filter(organization=org, role=Role.OWNER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    contact = profile.contact_name or (owner.user.display_name if owner else "")
    reply_to = profile.reply_to or (owner.user.email if owner else "")
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    display = profile.sender_name or org.name
    return {
        "from_email": str(Address(display_name=f"{display}（Mamori）".replace("\n", " "), addr_spec=address))
        if address
        else None,
        "reply_to": [reply_to] if reply_to else [],
        "contact": contact,
        "department": profile.department,
        "phone": profile.phone,
        "email": reply_to,
        "message": profile.checksheet_message,
        "display": display,
    }


@task()
def deliver_mail(mail_id: int) -> str:
    """Render and send one check-sheet mail; the log always ends as sent or failed."""
    mail = (
        MailLog.objects.select_related(
            "recipient", "assessment__vendor", "assessment__version__template", "organization"
        )
        .filter(pk=mail_id)
        .first()
    )
    if mail is None or mail.status != MailStatus.QUEUED:
        return "skipped"
    r, a = mail.recipient, mail.assessment
    sender = mail_sender(mail.organization)
    if mail.kind == MailKind.SUBMITTED or r is None:
        to, body = mail.address, requester_body(a)
    else:
        to, body = r.email, _vendor_body(mail, r, a, sender)
    message = EmailMessage(
        subject=SUBJECTS[mail.kind].format(org=mail.organization.name, vendor=a.vendor.name),
        body=body,
        from_email=sender["from_email"],
        reply_to=sender["reply_to"],
        to=[to],
        connection=get_connection(settings.MAMORI_DELIVERY_EMAIL_BACKEND, fail_silently=False),
    )
    try:
        deliver_once(message)  # at most once, even when the worker dies half-way
    except Exception as exc:  # SMTP down, refused address …: recorded, shown to the sender, retried by resend
        MailLog.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, error=(str(exc) or MAIL_FAILED)[:300]
        )
        log.warning("check-sheet mail %s not sent: %s", mail.pk, type(exc).__name__)
        return "failed"
    MailLog.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=timezone.now(), error="")
    return "sent"


def _vendor_body(mail: MailLog, r: Recipient, a: Assessment, sender: dict) -> str:
    with translation.override("ja"):
        context = {
            "r": r,
            "a": a,
            "sender": sender,
            "org": mail.organization,
            "link": r.link,
            "kind": mail.kind,
            "comments": list(a.comments.filter(round=a.round - 1)) if mail.kind == MailKind.RETURNED else [],
            "chain": chain(a),
            "principal": a.parent.vendor.name if a.parent_id else "",
        }
        return render_to_string("checksheets/email/request.txt", context)


@task()
def send_due_reminders() -> int:
    return process_due_reminders()


def process_due_reminders(now: dt.datetime | None = None) -> int:
    """Send every reminder that is due (missed days are caught up), each claimed once."""
    now = now or timezone.now()
    sent = 0
    due = (
        Recipient.objects.filter(next_reminder_at__lte=now, revoked_at__isnull=True)
        .exclude(email="")
        .select_related("assessment")
    )
    for r in due.iterator(chunk_size=500):
        a = r.assessment
        # Never a reminder with a dead link: past the link's end, nothing more is sent.
        if a.state not in OPEN_STATES or now >= r.expires_at:
            Recipient.objects.filter(pk=r.pk).update(next_reminder_at=None)
            continue
        org_settings = settings_for(r.organization)
        overdue = a.due_on < timezone.localdate(now)
        if overdue:
            following = now + dt.timedelta(days=max(1, org_settings.overdue_every_days))
            if following >= r.expires_at:
                following = None
        else:
            following = timezone.make_aware(dt.datetime.combine(a.due_on + dt.timedelta(days=1), dt.time(9)))
        # Claim by conditional update: another worker that got here first wins, nothing is sent twice.
        claimed = Recipient.objects.filter(pk=r.pk, next_reminder_at=r.next_reminder_at).update(
            next_reminder_at=following
        )
        if not claimed:
            continue
        with transaction.atomic():
            mail = MailLog.objects.create(
                organization=r.organization,
                assessment=a,
                recipient=r,
                kind=MailKind.OVERDUE if overdue else MailKind.REMINDER,
            )
            deliver_mail.enqueue(mail.id)
        sent += 1
    # Past the grace period with no submission: expired.
    expired = Assessment.objects.filter(state__in=OPEN_STATES).filter(
        ~Q(recipients__expires_at__gt=now), due_on__lt=timezone.localdate(now)
    )
    for a in expired.distinct():
        Assessment.objects.filter(pk=a.pk, state__in=OPEN_STATES).update(state=State.EXPIRED)
    return sent
