"""Check-sheet actions: templates, sending, answering, submitting, reviewing, reminders.

Pages, the portal, the API and the worker call these. Every change is trailed by the saves
themselves (mamori.platform.trail.capture), in the same transaction; an action that is given an actor (or
a recipient, for the portal) makes its changes as that actor.
"""

from __future__ import annotations

import datetime as dt
import io
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
    Comment,
    Evidence,
    MailKind,
    MailLog,
    MailStatus,
    Recipient,
    Settings,
    State,
    Submission,
    Template,
    TemplateVersion,
)
from mamori.core.checksheets import builtin, scoring
from mamori.core.checksheets.structure import (
    TYPE_BY_LABEL,
    TYPES,
    StructureError,
    question_map,
    questions,
    validate,
)
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.platform.web.files import sha256_of, size_error
from mamori.vendors.models import Vendor, VendorContact

log = logging.getLogger(__name__)


class ChecksheetError(ValueError):
    pass


# --- Templates ---------------------------------------------------------------------------------


def ensure_builtin(org) -> None:
    """The organization's copies of the built-in templates (created once, on first use)."""
    existing = set(
        Template.objects.filter(organization=org)
        .exclude(builtin_key="")
        .values_list("builtin_key", flat=True)
    )
    for key, (name, description, build) in builtin.BUILTIN.items():
        if key in existing:
            continue
        with transaction.atomic():
            template = Template.objects.create(
                organization=org, name=name, description=description, builtin_key=key
            )
            structure = build()
            TemplateVersion.objects.create(
                organization=org,
                template=template,
                number=1,
                structure=structure,
                question_count=sum(1 for _ in questions(structure)),
            )


def add_version(template: Template, structure: dict, actor: trail.Actor) -> TemplateVersion:
    validate(structure)
    with transaction.atomic(), trail.acting_as(actor):
        number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = TemplateVersion.objects.create(
            organization=template.organization,
            template=template,
            number=number,
            structure=structure,
            question_count=sum(1 for _ in questions(structure)),
        )
    return version


EXCEL_HEADERS = ["セクション", "設問", "回答形式", "重み", "必須", "重要", "選択肢", "ガイダンス", "設問キー"]


def structure_from_rows(rows: list[list[str]]) -> dict:
    """One question per row: section, question, type, weight, required, critical, choices, guidance, key."""
    if not rows:
        raise StructureError(["行がありません。"])
    header = [str(h).replace("（必須）", "").strip() for h in rows[0]]
    missing = [h for h in ("セクション", "設問") if h not in header]
    if missing:
        raise StructureError([f"列が足りません：{'、'.join(missing)}。テンプレートから作成してください。"])
    idx = {h: header.index(h) for h in EXCEL_HEADERS if h in header}
    errors, sections, order = [], {}, []
    for n, row in enumerate(rows[1:], start=2):

        def cell(name, row=row):
            i = idx.get(name)
            return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

        if not any(str(c).strip() for c in row if c is not None):
            continue
        section, text = cell("セクション"), cell("設問")
        if not section or not text:
            errors.append(f"行{n}: セクションと設問は必須です。")
            continue
        type_text = cell("回答形式") or "ynp"
        qtype = type_text if type_text in TYPES else TYPE_BY_LABEL.get(type_text)
        if qtype is None:
            errors.append(f"行{n}: 回答形式「{type_text}」は使えません（{'、'.join(TYPES.values())}）。")
            continue
        try:
            weight = float(cell("重み") or 1)
            if weight < 0:
                raise ValueError
        except ValueError:
            errors.append(f"行{n}: 重み「{cell('重み')}」は0以上の数値にしてください。")
            continue
        q = {
            "key": cell("設問キー") or f"q{n}",
            "text": text,
            "type": qtype,
            "weight": weight if qtype in ("ynp", "single", "multiple") else 0,
            "required": cell("必須") not in ("", "いいえ", "no", "0", "×"),
            "critical": cell("重要") in ("○", "はい", "yes", "1", "◯"),
            "guidance": cell("ガイダンス"),
            "allow_na": qtype == "ynp",
        }
        if qtype in ("single", "multiple"):
            labels = [
                c.strip() for c in cell("選択肢").replace("、", "|").replace(",", "|").split("|") if c.strip()
            ]
            if not labels:
                errors.append(
                    f"行{n}: 選択肢を「|」区切りで記入してください（例：毎年|2年ごと|していない）。"
                )
                continue
            q["choices"] = [
                {"value": f"c{i}", "label": label, "score": round(1 - i / max(1, len(labels) - 1), 2)}
                for i, label in enumerate(labels)
            ]
        if section not in sections:
            sections[section] = []
            order.append(section)
        sections[section].append(q)
    if errors:
        raise StructureError(errors)
    structure = {
        "sections": [{"key": f"s{i}", "title": t, "questions": sections[t]} for i, t in enumerate(order, 1)]
    }
    validate(structure)
    return structure


def structure_rows(structure: dict) -> list[list]:
    rows = []
    for section, q in questions(structure):
        rows.append(
            [
                section["title"],
                q["text"],
                TYPES[q["type"]],
                q.get("weight", 0),
                "○" if q.get("required") else "",
                "○" if q.get("critical") else "",
                "|".join(c["label"] for c in q.get("choices", [])),
                q.get("guidance", ""),
                q["key"],
            ]
        )
    return rows


# --- Sending -----------------------------------------------------------------------------------


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
        # The task rows are written in this transaction (database queue): no mail without its assessment.
        for log_ in logs:
            if log_.status == MailStatus.QUEUED:
                deliver_mail.enqueue(log_.id)
    return assessments


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


def forward(recipient: Recipient, *, vendor: str, name: str, email: str) -> Assessment:
    """The vendor passes its sheet down to one of its re-subcontractors (``vendor``: its uuid): one
    sheet per re-subcontractor, under the vendor's own, and one link per person named."""
    a = recipient.assessment
    sub = next((v for v in rules.subcontractors(a.vendor) if str(v.uuid) == vendor), None)
    rules.check_forward(a, sub, name=name, email=email)
    actor = portal_actor(recipient)
    with transaction.atomic():
        child = a.children.filter(vendor=sub).first()
        if child is None:
            child = send(
                org=a.organization,
                version=a.version,
                vendors=[sub],
                due_on=max(a.due_on, timezone.localdate()),
                actor=actor,
                contacts={sub.id: []},
                parent=a,
            )[0]
        add_recipient(child, name=name, email=email, actor=actor)
    return child


def regenerate_link(recipient: Recipient, actor: trail.Actor) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        recipient.new_link()
        recipient.revoked_at = None
        recipient.save(update_fields=["lookup", "nonce", "revoked_at"])
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
    if not recipient.email:
        return None
    with transaction.atomic():
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
    with translation.override("ja"):
        context = {
            "r": r,
            "a": a,
            "org": mail.organization,
            "link": r.link,
            "kind": mail.kind,
            "comments": list(a.comments.filter(round=a.round - 1)) if mail.kind == MailKind.RETURNED else [],
        }
        body = render_to_string("checksheets/email/request.txt", context)
    message = EmailMessage(
        subject=SUBJECTS[mail.kind].format(org=mail.organization.name),
        body=body,
        to=[r.email],
        connection=get_connection(settings.MAMORI_DELIVERY_EMAIL_BACKEND, fail_silently=False),
    )
    try:
        message.send()
    except Exception as exc:  # SMTP down, refused address …: recorded, shown to the sender, retried by resend
        MailLog.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300]
        )
        return "failed"
    MailLog.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=timezone.now(), error="")
    return "sent"


# --- Answering (portal) ------------------------------------------------------------------------


def portal_actor(recipient: Recipient) -> trail.Actor:
    """The vendor's contact who holds the link, through the portal door."""
    return trail.Actor(user=None, via="portal", name=recipient.email or recipient.name)


def can_answer(a: Assessment) -> bool:
    return a.state in (State.SENT, State.IN_PROGRESS, State.RETURNED)


def save_answer(
    recipient: Recipient, key: str, *, value=None, remark: str = "", na_reason: str = ""
) -> Answer:
    a = recipient.assessment
    qmap = question_map(a.version.structure)
    if key not in qmap:
        raise ChecksheetError("設問が見つかりません。")
    if not can_answer(a):
        raise ChecksheetError("このチェックシートは提出済みのため変更できません。")
    with transaction.atomic(), trail.acting_as(portal_actor(recipient)):
        answer = Answer.objects.filter(assessment=a, question=key).first() or Answer(
            organization=a.organization, assessment=a, question=key
        )
        answer.value, answer.remark, answer.na_reason = value, remark[:5000], na_reason[:300]
        answer.updated_by = recipient
        answer.save()
        if a.state == State.SENT:
            Assessment.objects.filter(pk=a.pk, state=State.SENT).update(state=State.IN_PROGRESS)
            a.state = State.IN_PROGRESS
    return answer


ALLOWED_EVIDENCE = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".docx", ".txt", ".csv", ".zip"}


def add_evidence(recipient: Recipient, key: str, upload) -> Evidence:
    a = recipient.assessment
    if key not in question_map(a.version.structure):
        raise ChecksheetError("設問が見つかりません。")
    if not can_answer(a):
        raise ChecksheetError("このチェックシートは提出済みのため変更できません。")
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in ALLOWED_EVIDENCE:
        raise ChecksheetError(
            f"このファイル形式はアップロードできません（{'、'.join(sorted(ALLOWED_EVIDENCE))}）。"
        )
    if error := size_error(upload):
        raise ChecksheetError(error)
    digest = sha256_of(upload)
    with transaction.atomic(), trail.acting_as(portal_actor(recipient)):
        evidence = Evidence(
            organization=a.organization,
            assessment=a,
            question=key,
            name=upload.name[:255],
            size=upload.size,
            sha256=digest,
            uploaded_by=recipient,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
        if a.state == State.SENT:
            Assessment.objects.filter(pk=a.pk).update(state=State.IN_PROGRESS)
    return evidence


def answers_dict(a: Assessment) -> dict[str, dict]:
    files: dict[str, int] = {}
    for key in a.evidence.values_list("question", flat=True):
        files[key] = files.get(key, 0) + 1
    out = {
        ans.question: {
            "value": ans.value,
            "na_reason": ans.na_reason,
            "remark": ans.remark,
            "files": files.get(ans.question, 0),
        }
        for ans in a.answers.all()
    }
    for key, n in files.items():
        out.setdefault(key, {"value": None, "na_reason": "", "remark": "", "files": n})
    return out


def rescore(a: Assessment) -> scoring.Score:
    result = scoring.score(a.version.structure, answers_dict(a))
    Assessment.objects.filter(pk=a.pk).update(
        score=result.overall,
        section_scores=result.sections,
        critical_failed=result.critical_failed,
        rating=result.rating or "",
    )
    a.score, a.section_scores, a.critical_failed, a.rating = (
        result.overall,
        result.sections,
        result.critical_failed,
        result.rating or "",
    )
    return result


def submit(recipient: Recipient) -> scoring.Score:
    a = recipient.assessment
    if not can_answer(a):
        raise ChecksheetError("このチェックシートは提出済みです。")
    result = scoring.score(a.version.structure, answers_dict(a))
    if result.required_missing:
        raise ChecksheetError("未回答の必須設問があります。")
    with transaction.atomic(), trail.acting_as(portal_actor(recipient)):
        now = timezone.now()
        Assessment.objects.filter(pk=a.pk).update(state=State.SUBMITTED, submitted_at=now)
        a.state = State.SUBMITTED
        rescore(a)
        # This round's answers, frozen: answering again after a return does not overwrite them.
        Submission.objects.create(
            organization=a.organization,
            assessment=a,
            round=a.round,
            submitted_at=now,
            submitted_by=recipient,
            answers=answers_dict(a),
            score=result.overall,
            rating=a.rating,
        )
        Recipient.objects.filter(assessment=a).update(next_reminder_at=None)
        refresh_vendor_rating(a.vendor)
        if recipient.email:
            mail = MailLog.objects.create(
                organization=a.organization, assessment=a, recipient=recipient, kind=MailKind.RECEIPT
            )
            deliver_mail.enqueue(mail.id)
    return result


# --- Review ------------------------------------------------------------------------------------


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
        refresh_vendor_rating(a.vendor)


# --- Ratings -----------------------------------------------------------------------------------


def latest_rated(vendor: Vendor) -> Assessment | None:
    return (
        Assessment.objects.filter(vendor=vendor, state__in=(State.SUBMITTED, State.APPROVED))
        .exclude(rating="")
        .order_by("-submitted_at")
        .first()
    )


def refresh_vendor_rating(vendor: Vendor) -> None:
    """Control score from the latest scored check sheet, lowered by open audit findings; with the
    inherent tier and recent incidents, the risk rating in words."""
    from mamori.audits.actions import control_penalty
    from mamori.incidents.models import Incident

    vendor.refresh_from_db(fields=["inherent_tier"])
    a = latest_rated(vendor)
    qmap = question_map(a.version.structure) if a else {}
    critical = [qmap[k]["text"] for k in (a.critical_failed if a else []) if k in qmap]
    penalty, findings = control_penalty(vendor)
    score = max(0.0, a.score - penalty) if a and a.score is not None else None
    rating = (scoring.rating_for(score, bool(critical)) or "") if a else ""
    incidents = Incident.objects.filter(
        vendor=vendor, aware_on__gte=timezone.localdate() - dt.timedelta(days=365)
    ).count()
    risk, words = scoring.risk_rating(
        vendor.inherent_tier, rating or None, critical, open_findings=findings, incidents=incidents
    )
    if penalty and score is not None:
        words += f"（未是正の指摘により管理状況のスコアを{penalty}点下げています）"
    Vendor.objects.filter(pk=vendor.pk).update(
        control_score=score, control_rating=rating, risk_rating=risk or "", risk_explanation=words[:500]
    )


# --- Reminders ---------------------------------------------------------------------------------


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
        if a.state not in OPEN_STATES:
            Recipient.objects.filter(pk=r.pk).update(next_reminder_at=None)
            continue
        org_settings = settings_for(r.organization)
        overdue = a.due_on < timezone.localdate(now)
        if overdue:
            following = now + dt.timedelta(days=max(1, org_settings.overdue_every_days))
            if now > r.expires_at:
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


# --- Excel answers (for vendors who prefer Excel) -----------------------------------------------

ANSWER_HEADERS = ["設問キー", "セクション", "設問", "回答形式", "選択肢", "回答", "該当なしの理由", "備考"]


def answers_workbook(a: Assessment) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    answers = answers_dict(a)
    wb = Workbook()
    ws = wb.active
    ws.title = "回答"
    ws.append(ANSWER_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for section, q in questions(a.version.structure):
        ans = answers.get(q["key"], {})
        labels = {
            c["value"]: c["label"]
            for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
        }
        value = ans.get("value")
        if value == scoring.NA:
            shown = "該当なし"
        elif isinstance(value, list):
            shown = "|".join(labels.get(v, v) for v in value)
        else:
            shown = labels.get(value, value) if value is not None else ""
        choice_text = "|".join(labels.values()) + ("|該当なし" if q.get("allow_na") else "")
        ws.append(
            [
                q["key"],
                section["title"],
                q["text"],
                TYPES[q["type"]],
                choice_text,
                shown,
                ans.get("na_reason", ""),
                ans.get("remark", ""),
            ]
        )
    for col, width in zip("ABCDEFGH", (10, 24, 60, 14, 24, 18, 24, 40), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_answers(recipient: Recipient, content: bytes) -> int:
    """Read a filled answer workbook into the assessment (drafts; the vendor submits after)."""
    from openpyxl import load_workbook

    a = recipient.assessment
    try:
        ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:
        raise ChecksheetError(
            "Excelファイルを開けません。ダウンロードした回答用ファイルを使ってください。"
        ) from exc
    rows = list(ws.iter_rows(values_only=True))
    if not rows or [str(h or "") for h in rows[0][: len(ANSWER_HEADERS)]] != ANSWER_HEADERS:
        raise ChecksheetError(
            "回答用ファイルの形式ではありません。ダウンロードした回答用ファイルを使ってください。"
        )
    qmap = question_map(a.version.structure)
    errors, parsed = [], []
    for n, row in enumerate(rows[1:], start=2):
        key = str(row[0] or "").strip()
        if key not in qmap:
            continue
        q = qmap[key]
        shown = str(row[5] or "").strip()
        na_reason, remark = str(row[6] or "").strip(), str(row[7] or "").strip()
        labels = {
            c["label"]: c["value"]
            for c in (scoring.choices(q) if q["type"] in ("ynp", "single", "multiple") else [])
        }
        if not shown:
            value = None
        elif shown == "該当なし" and q.get("allow_na"):
            value = scoring.NA
        elif q["type"] in ("ynp", "single"):
            if shown not in labels:
                errors.append(f"行{n}: 「{shown}」は選択肢にありません（{'、'.join(labels)}）。")
                continue
            value = labels[shown]
        elif q["type"] == "multiple":
            parts = [p.strip() for p in shown.split("|") if p.strip()]
            unknown = [p for p in parts if p not in labels]
            if unknown:
                errors.append(f"行{n}: 「{'、'.join(unknown)}」は選択肢にありません。")
                continue
            value = [labels[p] for p in parts]
        else:
            value = shown
        parsed.append((key, value, remark, na_reason))
    if errors:
        raise ChecksheetError(" ".join(errors))
    with transaction.atomic():
        for key, value, remark, na_reason in parsed:
            save_answer(recipient, key, value=value, remark=remark, na_reason=na_reason)
    return len(parsed)
