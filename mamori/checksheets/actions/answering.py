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


#: Why a change was not saved, and what the vendor can do (shown next to the question).
CLOSED_WORDS = {
    State.SUBMITTED: "この変更は保存されていません：このチェックシートは提出済みです（同じ会社の別の方が提出した"
    "可能性があります）。ページを再読み込みして提出内容を確認し、直したい場合は依頼元にご連絡ください。",
    State.APPROVED: "この変更は保存されていません：このチェックシートは承認済みです。直したい場合は依頼元にご連絡ください。",
    State.EXPIRED: "この変更は保存されていません：回答期限を過ぎて受付が終了しました。"
    "入力内容はこの画面に残っています。依頼元に期限の延長を依頼してください。",
}
LINK_CLOSED = (
    "この変更は保存されていません：このリンクは無効になりました（期限切れ、取り消し、または新しいリンクの発行）。"
    "入力内容はこの画面に残っています。依頼元に新しいリンクを依頼してください。"
)


def closed_reason(a: Assessment) -> str:
    return CLOSED_WORDS.get(a.state, "この変更は保存されていません：このチェックシートは現在回答できません。")


def _check_open(recipient: Recipient) -> Assessment:
    """The assessment as it is now in the database (a colleague may have submitted it meanwhile).
    The link itself is checked by the portal on every request (LINK_CLOSED, next to the field)."""
    a = recipient.assessment
    a.refresh_from_db(fields=["state", "round"])
    if not can_answer(a):
        raise ChecksheetError(closed_reason(a))
    return a


def save_answer(
    recipient: Recipient, key: str, *, value=None, remark: str = "", na_reason: str = ""
) -> Answer:
    a = recipient.assessment
    qmap = question_map(a.version.structure)
    if key not in qmap:
        raise ChecksheetError("設問が見つかりません。")
    _check_open(recipient)
    with transaction.atomic(), trail.acting_as(portal_actor(recipient)):
        # One answer per question: two autosaves of the same question at once (two tabs, a slow
        # network) must not both create it (PostgreSQL: IntegrityError). The assessment's row lock
        # makes them take turns (SQLite's IMMEDIATE transactions already do).
        Assessment.objects.select_for_update().filter(pk=a.pk).values_list("pk", flat=True).first()
        answer = Answer.objects.filter(assessment=a, question=key).first() or Answer(
            organization=a.organization, assessment=a, question=key
        )
        answer.value, answer.remark, answer.na_reason = value, remark[:5000], na_reason[:300]
        answer.updated_by, answer.prefilled = recipient, False
        answer.save()
        if a.state == State.SENT:
            Assessment.objects.filter(pk=a.pk, state=State.SENT).update(state=State.IN_PROGRESS)
            a.state = State.IN_PROGRESS
    return answer


def confirm_prefilled(recipient: Recipient) -> int:
    """The vendor keeps every answer pre-filled from last year as it is (one button instead of one
    per question): each counts from now, as if given again. Returns how many were confirmed."""
    a = _check_open(recipient)
    with transaction.atomic(), trail.acting_as(portal_actor(recipient)):
        Assessment.objects.select_for_update().filter(pk=a.pk).values_list("pk", flat=True).first()
        confirmed = 0
        for answer in Answer.objects.filter(assessment=a, prefilled=True).order_by("pk"):
            answer.prefilled, answer.updated_by = False, recipient
            answer.save(update_fields=["prefilled", "updated_by", "updated_at"])  # trailed
            confirmed += 1
        if confirmed and a.state == State.SENT:
            Assessment.objects.filter(pk=a.pk, state=State.SENT).update(state=State.IN_PROGRESS)
            a.state = State.IN_PROGRESS
    return confirmed


ALLOWED_EVIDENCE = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".docx", ".txt", ".csv", ".zip"}
#: What each allowed kind of file begins with (its "magic bytes"): the name alone proves nothing.
MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
}
#: Inside an Office file (a zip): the part that says it is a workbook or a document.
OFFICE_PART = {".xlsx": "xl/", ".docx": "word/"}
#: Programs and other binaries, refused even when named .txt or .csv.
BINARY_STARTS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"PK\x03\x04", b"%PDF-")


def content_matches(suffix: str, upload) -> bool:
    """Whether the file's content is what its name says (checked on the bytes, not the name)."""
    import zipfile

    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if suffix in (".txt", ".csv"):
        if b"\x00" in head or head.startswith(BINARY_STARTS):
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
                try:
                    head.decode("cp932")
                except UnicodeDecodeError:
                    return False
        return True
    if not head.startswith(MAGIC.get(suffix, (b"\x00\x00unknown",))):
        return False
    if suffix in OFFICE_PART:
        try:
            with zipfile.ZipFile(upload) as z:
                names = z.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(OFFICE_PART[suffix]) for n in names)
    return True


def add_evidence(recipient: Recipient, key: str, upload) -> Evidence:
    a = recipient.assessment
    if key not in question_map(a.version.structure):
        raise ChecksheetError("設問が見つかりません。")
    _check_open(recipient)
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in ALLOWED_EVIDENCE:
        raise ChecksheetError(
            f"このファイル形式はアップロードできません（{'、'.join(sorted(ALLOWED_EVIDENCE))}）。"
        )
    if error := size_error(upload):
        raise ChecksheetError(error)
    if not content_matches(suffix, upload):
        raise ChecksheetError(
            f"{upload.name} の中身は{suffix[1:].upper()}ファイルではないため、受け付けられません。"
            "元のファイルをそのまま選んでください（名前の変更では形式は変わりません）。"
        )
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


def withdraw_evidence(recipient: Recipient, uuid) -> Evidence:
    """The vendor takes back one of its files before submitting (ended, kept for the trail)."""
    a = _check_open(recipient)
    e = Evidence.objects.filter(assessment=a, uuid=uuid, withdrawn_at__isnull=True).first()
    if e is None:
        raise ChecksheetError("ファイルが見つかりません。ページを再読み込みしてください。")
    with transaction.atomic(), trail.acting_as(portal_actor(recipient)):
        e.withdrawn_at = timezone.now()
        e.save(update_fields=["withdrawn_at"])
    return e


def answers_dict(a: Assessment) -> dict[str, dict]:
    files: dict[str, int] = {}
    for key in a.evidence.filter(withdrawn_at__isnull=True).values_list("question", flat=True):
        files[key] = files.get(key, 0) + 1
    out = {
        ans.question: {
            "value": ans.value,
            "na_reason": ans.na_reason,
            "remark": ans.remark,
            "files": files.get(ans.question, 0),
        }
        for ans in a.answers.filter(prefilled=False)  # last year's, until confirmed, do not count
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
    a.refresh_from_db(fields=["state", "round"])
    if not can_answer(a):
        raise ChecksheetError(closed_reason(a))
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
        notify_requester(a)
    return result


def requesters(a: Assessment) -> list[str]:
    """Whom to tell on the company's side: the person who sent the sheet (for a sheet passed down,
    who sent its principal's), else the organization's owners and administrators."""
    from mamori.platform.tenancy.models import Membership, Role

    top = a
    while top.sent_by_id is None and top.parent_id is not None:
        top = top.parent
    if top.sent_by_id and top.sent_by.email:
        return [top.sent_by.email]
    return list(
        Membership.objects.filter(organization=a.organization, role__in=(Role.OWNER, Role.ADMIN))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def notify_requester(a: Assessment) -> None:
    """Tell the requester that the vendor submitted: one mail per address, through the mail log and
    the worker like every check-sheet mail (shown in the sheet's mail log, sent once)."""
    for address in dict.fromkeys(requesters(a)):
        mail = MailLog.objects.create(
            organization=a.organization, assessment=a, address=address, kind=MailKind.SUBMITTED
        )
        deliver_mail.enqueue(mail.id)


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
