import datetime as dt
import json
from typing import Annotated, Literal
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, State, Template
from mamori.checksheets.views import sheet_rows
from mamori.core.checksheets import sheet_import
from mamori.core.checksheets.structure import TYPES
from mamori.platform.api.errors import error_responses
from mamori.platform.api.schemas import enum_of
from mamori.platform.paging import Pages
from mamori.platform.rules import RuleError
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, require, scoped
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor

router = Router(tags=["check sheets"])

STATES = enum_of(State.values)
QUESTION_TYPES = enum_of(TYPES)


class TemplateOut(Schema):
    uuid: UUID
    name: str
    description: str
    builtin_key: str
    version: int | None
    question_count: int | None

    @staticmethod
    def resolve_version(obj):
        return obj.current.number if obj.current else None

    @staticmethod
    def resolve_question_count(obj):
        return obj.current.question_count if obj.current else None


class TemplateDetailOut(TemplateOut):
    structure: dict

    @staticmethod
    def resolve_structure(obj):
        return obj.current.structure if obj.current else {}


class RecipientOut(Schema):
    uuid: UUID
    name: str
    email: str
    link: str | None
    usable: bool

    @staticmethod
    def resolve_link(obj):
        return obj.link if obj.usable else None


class AssessmentOut(Schema):
    uuid: UUID
    vendor: UUID
    vendor_name: str
    template: str
    version: int
    due_on: dt.date
    state: STATES  # type: ignore[valid-type]
    score: float | None
    rating: str
    section_scores: dict
    critical_failed: list[str]
    submitted_at: dt.datetime | None
    recipients: list[RecipientOut]

    @staticmethod
    def resolve_vendor(obj):
        return obj.vendor.uuid

    @staticmethod
    def resolve_vendor_name(obj):
        return obj.vendor.name

    @staticmethod
    def resolve_template(obj):
        return obj.version.template.name

    @staticmethod
    def resolve_version(obj):
        return obj.version.number

    @staticmethod
    def resolve_recipients(obj):
        return list(obj.recipients.all())


class SendIn(Schema):
    template: UUID
    vendors: list[UUID]
    due_on: dt.date
    confirm_open: bool = Field(
        False,
        description=(
            "Send even to vendors that still have this check sheet open (not yet answered); "
            "without it such a request is refused with 409 naming them."
        ),
    )


class DueIn(Schema):
    due_on: dt.date = Field(description="The new due date (today or later)")


class RemindedOut(Schema):
    sheets: int = Field(description="Overdue check sheets reminded")
    mails: int = Field(description="Reminder mails queued")


class AnswerOut(Schema):
    question: str
    section: str
    text: str
    type: QUESTION_TYPES  # type: ignore[valid-type]
    value: object | None
    shown: str
    remark: str
    files: int
    points: float | None


class ReviewIn(Schema):
    decision: Literal["approve", "return"]
    comments: dict[str, str] = {}


@router.get(
    "/templates", response=list[TemplateOut], summary="Check-sheet templates (built-in ones included)"
)
def list_templates(request):
    require(request, Perm.VIEW)
    actions.ensure_builtin(request.org)
    return list(scoped(request, Template).order_by("builtin_key", "name"))


@router.get(
    "/templates/{uuid:uuid}",  # not /templates/preview
    response=TemplateDetailOut,
    summary="A template with the structure of its current version",
)
def get_template(request, uuid: UUID):
    require(request, Perm.VIEW)
    return get_scoped(request, Template, uuid=uuid)


@router.post(
    "/assessments",
    response={201: list[AssessmentOut]},
    summary="Send a check sheet to vendors",
    description=(
        "409 when a vendor still has this check sheet open (not yet answered), as the page warns: "
        "send again with `confirm_open: true` to send a new one anyway, or remind them instead."
    ),
    openapi_extra=error_responses(409),
)
def send(request, payload: SendIn):
    require(request, Perm.EDIT)
    template = get_scoped(request, Template, uuid=payload.template)
    vendors = list(scoped(request, Vendor).filter(uuid__in=payload.vendors))
    if len(vendors) != len(set(payload.vendors)):
        raise HttpError(422, "存在しない委託先が含まれています。")
    if template.current is not None and not payload.confirm_open:
        open_ones = actions.open_elsewhere(request.org, vendors, template.current)
        if open_ones:
            names = "、".join(sorted({a.vendor.name for a in open_ones})[:20])
            raise HttpError(
                409,
                f"次の委託先には、このチェックシートが回答受付中のまま残っています：{names}。"
                "新しく送るときは confirm_open を true にしてください（催促するだけなら送り直す必要はありません）。",
            )
    # The sending rules refuse what the page refuses (mamori.checksheets.rules): 422, in the same words.
    assessments = actions.send(
        org=request.org,
        version=template.current,
        vendors=vendors,
        due_on=payload.due_on,
        actor=Actor.from_request(request, via="api"),
    )
    return Status(201, assessments)


@router.get("/assessments", response=list[AssessmentOut], summary="Assessments (filter by state or vendor)")
@paginate(Pages)
def list_assessments(request, state: STATES | None = None, vendor: UUID | None = None):  # type: ignore[valid-type]
    require(request, Perm.VIEW)
    qs = scoped(request, Assessment).select_related("vendor", "version__template").order_by("-created_at")
    if state:
        qs = qs.filter(state=state)
    if vendor:
        qs = qs.filter(vendor__uuid=vendor)
    return qs


@router.post(
    "/assessments/remind-overdue",
    response=RemindedOut,
    summary="Send one overdue reminder to every overdue sheet's recipients at once",
    description="Only recipients with an e-mail address and a link that still opens are reminded.",
)
def remind_overdue(request):
    require(request, Perm.EDIT)
    sheets, mails = actions.remind_overdue(request.org, Actor.from_request(request, via="api"))
    return {"sheets": sheets, "mails": mails}


@router.get(
    "/assessments/{uuid}", response=AssessmentOut, summary="Status, score and recipients of an assessment"
)
def get_assessment(request, uuid: UUID):
    require(request, Perm.VIEW)
    return get_scoped(request, Assessment, uuid=uuid)


@router.get("/assessments/{uuid}/answers", response=list[AnswerOut], summary="The answers of an assessment")
def get_answers(request, uuid: UUID):
    require(request, Perm.VIEW)
    a = get_scoped(request, Assessment, uuid=uuid)
    sections, _general = sheet_rows(a)
    out = []
    for s in sections:
        for row in s["rows"]:
            q, ans = row["q"], row["answer"]
            out.append(
                {
                    "question": q["key"],
                    "section": s["section"]["title"],
                    "text": q["text"],
                    "type": q["type"],
                    "value": ans.value if ans else None,
                    "shown": row["shown"],
                    "remark": ans.remark if ans else "",
                    "files": len(row["files"]),
                    "points": row["points"],
                }
            )
    return out


@router.post(
    "/assessments/{uuid}/review",
    response=AssessmentOut,
    summary="Approve, or return with comments",
    openapi_extra=error_responses(409),  # not submitted (yet), or already reviewed
)
def review(request, uuid: UUID, payload: ReviewIn):
    require(request, Perm.EDIT)
    a = get_scoped(request, Assessment, uuid=uuid)
    try:
        actions.review(
            a,
            approve=payload.decision == "approve",
            comments=payload.comments,
            actor=Actor.from_request(request, via="api"),
        )
    except actions.ChecksheetError as exc:
        raise HttpError(409, str(exc))
    a.refresh_from_db()
    return a


def _new_due(payload: DueIn) -> dt.date:
    if payload.due_on < timezone.localdate():
        raise RuleError({"due_on": ["新しい回答期限が過去の日付です。今日以降の日付を指定してください。"]})
    return payload.due_on


@router.post(
    "/assessments/{uuid}/due",
    response=AssessmentOut,
    summary="Extend the due date (an expired sheet opens again)",
    description=(
        "The links stay valid until the new date (plus the grace days) and the reminders follow it. "
        "409 when the sheet is submitted or approved (reopen an approved one instead)."
    ),
    openapi_extra=error_responses(409),
)
def extend_due(request, uuid: UUID, payload: DueIn):
    require(request, Perm.EDIT)
    a = get_scoped(request, Assessment, uuid=uuid)
    due_on = _new_due(payload)
    try:
        actions.extend_due(a, due_on, Actor.from_request(request, via="api"))
    except actions.ChecksheetError as exc:
        raise HttpError(409, str(exc))
    a.refresh_from_db()
    return a


@router.post(
    "/assessments/{uuid}/reopen",
    response=AssessmentOut,
    summary="Reopen an approved or expired sheet for answers again, until a new due date",
    description=(
        "An approved sheet starts a new round (the earlier rounds are kept as submitted); an expired "
        "one opens again. 409 in any other state."
    ),
    openapi_extra=error_responses(409),
)
def reopen(request, uuid: UUID, payload: DueIn):
    require(request, Perm.EDIT)
    a = get_scoped(request, Assessment, uuid=uuid)
    due_on = _new_due(payload)
    try:
        actions.reopen(a, due_on, Actor.from_request(request, via="api"))
    except actions.ChecksheetError as exc:
        raise HttpError(409, str(exc))
    a.refresh_from_db()
    return a


# --- A company's own check sheet, taken as it is (mamori.checksheets.template_import) -------------


class ImportChoiceOut(Schema):
    label: str
    score: float | None


class ImportQuestionOut(Schema):
    key: str
    row: int | None
    number: str
    subsection: str
    text: str
    type: QUESTION_TYPES  # type: ignore[valid-type]
    type_label: str
    choices: list[ImportChoiceOut]
    weight: float
    required: bool
    critical: bool
    guidance: str


class ImportSectionOut(Schema):
    title: str
    questions: list[ImportQuestionOut]


class ImportSheetOut(Schema):
    name: str
    hidden: bool
    proposed: bool


class ImportColumnOut(Schema):
    letter: str
    header: str
    hidden: bool


class TemplatePreviewOut(Schema):
    sheet: str
    sheets: list[ImportSheetOut]
    header_row: int | None
    columns: list[ImportColumnOut]
    mapping: dict[str, str]
    question_count: int
    answer_symbols: list[str]
    sections: list[ImportSectionOut]
    errors: list[str]
    skipped: list[str]


MAPPING_HELP = (
    "A JSON object from field to column letter, replacing the detected mapping: "
    'e.g. {"section": "A", "question": "D", "answer": "E", "weight": "F"}. Fields: '
    + ", ".join(sheet_import.FIELDS)
    + "."
)


def _import_preview(request, file, sheet, header_row, mapping):
    from mamori.checksheets import template_import

    try:
        raw = json.loads(mapping) if mapping else None
        if raw is not None and not isinstance(raw, dict):
            raise ValueError
    except ValueError:
        raise RuleError({"mapping": [_('The mapping must be a JSON object, e.g. {"question": "D"}.')]})
    try:
        book = template_import.read_book(file)
        columns = template_import.parse_mapping({str(k): str(v or "") for k, v in (raw or {}).items()})
    except template_import.ImportFailed as exc:
        raise RuleError({"file": exc.errors})
    return sheet_import.preview(book, sheet=sheet, header_row=header_row, mapping=columns)


@router.post(
    "/templates/preview",
    response=TemplatePreviewOut,
    summary="Read a company's own check sheet and show what would be imported (nothing is saved)",
    description=(
        "Multipart `file` (.xlsx or CSV). Answers the worksheet that looks like the questions, the "
        "header row found in its first 30 rows, the column mapping and the sections and questions "
        "as they will be asked (text, type, choices with scores, weight, required). Problems with "
        "the mapping are listed in `errors` (then `/templates/import` refuses it)."
    ),
)
def preview_template_import(
    request,
    file: Annotated[UploadedFile, File(...)],
    sheet: Annotated[
        str | None, Form(None, description="The worksheet to read (default: the detected one)")
    ] = None,
    header_row: Annotated[
        int | None, Form(None, ge=1, le=10_000, description="The header row, 1-based")
    ] = None,
    mapping: Annotated[str | None, Form(None, description=MAPPING_HELP)] = None,
):
    require(request, Perm.EDIT)
    from mamori.checksheets import template_import

    p = _import_preview(request, file, sheet, header_row, mapping)
    return template_import.preview_data(p)


@router.post(
    "/templates/import",
    response={201: TemplateDetailOut},
    summary="Import a company's own check sheet as a template (or a new version of one)",
    description=(
        "The same reading as `/templates/preview`, then the questions are saved, all or nothing. "
        "422 with the problems when the sheet cannot be imported as it is: fix the mapping."
    ),
)
def import_template(
    request,
    file: Annotated[UploadedFile, File(...)],
    name: Annotated[str | None, Form(None, max_length=200, description="Name of the new template")] = None,
    template: Annotated[
        UUID | None, Form(None, description="Add a new version to this template instead")
    ] = None,
    sheet: Annotated[
        str | None, Form(None, description="The worksheet to read (default: the detected one)")
    ] = None,
    header_row: Annotated[
        int | None, Form(None, ge=1, le=10_000, description="The header row, 1-based")
    ] = None,
    mapping: Annotated[str | None, Form(None, description=MAPPING_HELP)] = None,
):
    require(request, Perm.EDIT)
    from mamori.checksheets import template_import

    existing = get_scoped(request, Template, uuid=template) if template else None
    p = _import_preview(request, file, sheet, header_row, mapping)
    default_name = (file.name or "").rsplit(".", 1)[0]
    try:
        version = template_import.save(
            request.org, Actor.from_request(request, via="api"), p, name or default_name, existing
        )
    except template_import.ImportFailed as exc:
        raise RuleError({"file": exc.errors})
    return Status(201, version.template)
