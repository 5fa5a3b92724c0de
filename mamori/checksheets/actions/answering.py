"""Answering through the portal: answers, evidence files, the score, submission."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mamori.checksheets import rules
from mamori.checksheets.actions.errors import ChecksheetError
from mamori.checksheets.actions.sending import add_recipient, deliver_mail, send
from mamori.checksheets.events import answers_scored
from mamori.checksheets.models import (
    Answer,
    Assessment,
    Evidence,
    MailKind,
    MailLog,
    Recipient,
    State,
    Submission,
)
from mamori.core.checksheets import scoring
from mamori.core.checksheets.structure import question_map
from mamori.platform.trail import services as trail
from mamori.platform.web.files import sha256_of, size_error


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
        # One answer per question: two autosaves of the same question at once (two tabs, a slow
        # network) must not both create it (PostgreSQL: IntegrityError). The assessment's row lock
        # makes them take turns (SQLite's IMMEDIATE transactions already do).
        Assessment.objects.select_for_update().filter(pk=a.pk).values_list("pk", flat=True).first()
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
    actor = portal_actor(recipient)
    with transaction.atomic(), trail.acting_as(actor):
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
        answers_scored.send(
            Assessment, organization=a.organization, vendors=[a.vendor], actor=actor, assessment=a
        )
        if recipient.email:
            mail = MailLog.objects.create(
                organization=a.organization, assessment=a, recipient=recipient, kind=MailKind.RECEIPT
            )
            deliver_mail.enqueue(mail.id)
    return result


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
