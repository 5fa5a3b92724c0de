import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, State, Template
from mamori.checksheets.views import sheet_rows
from mamori.core.checksheets.structure import TYPES
from mamori.platform.api.errors import error_responses
from mamori.platform.api.schemas import enum_of
from mamori.platform.paging import Pages
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
    "/templates/{uuid}",
    response=TemplateDetailOut,
    summary="A template with the structure of its current version",
)
def get_template(request, uuid: UUID):
    require(request, Perm.VIEW)
    return get_scoped(request, Template, uuid=uuid)


@router.post("/assessments", response={201: list[AssessmentOut]}, summary="Send a check sheet to vendors")
def send(request, payload: SendIn):
    require(request, Perm.EDIT)
    template = get_scoped(request, Template, uuid=payload.template)
    vendors = list(scoped(request, Vendor).filter(uuid__in=payload.vendors))
    if len(vendors) != len(set(payload.vendors)):
        raise HttpError(422, "存在しない委託先が含まれています。")
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
