import datetime as dt
from uuid import UUID

from ninja import Router, Schema

from mamori.audits.forms import ActionForm, AuditForm, FindingForm
from mamori.audits.models import Audit, CorrectiveAction, Finding
from mamori.platform.api.crud import register

audits_router = Router(tags=["audits"])
findings_router = Router(tags=["audits"])
actions_router = Router(tags=["audits"])


class AuditIn(Schema):
    vendor: UUID | None = None
    kind: str | None = None
    performed_on: dt.date | None = None
    auditors: str | None = None
    scope: str | None = None
    evidence_reviewed: str | None = None
    summary: str | None = None


class AuditCreate(AuditIn):
    vendor: UUID
    performed_on: dt.date


class AuditOut(Schema):
    uuid: UUID
    vendor: UUID
    kind: str
    performed_on: dt.date
    auditors: str
    scope: str
    summary: str

    @staticmethod
    def resolve_vendor(obj):
        return obj.vendor.uuid


class FindingIn(Schema):
    audit: UUID | None = None
    severity: str | None = None
    description: str | None = None
    reference: str | None = None


class FindingCreate(FindingIn):
    audit: UUID
    description: str


class FindingOut(Schema):
    uuid: UUID
    audit: UUID
    severity: str
    description: str
    reference: str
    closed_on: dt.date | None

    @staticmethod
    def resolve_audit(obj):
        return obj.audit.uuid


class ActionIn(Schema):
    finding: UUID | None = None
    what: str | None = None
    responsible: str | None = None
    owner: str | None = None
    due_on: dt.date | None = None
    status: str | None = None
    closing_evidence: str | None = None
    done_on: dt.date | None = None


class ActionCreate(ActionIn):
    what: str


class ActionOut(Schema):
    uuid: UUID
    finding: UUID | None
    what: str
    responsible: str
    owner: str
    due_on: dt.date | None
    status: str
    done_on: dt.date | None

    @staticmethod
    def resolve_finding(obj):
        return obj.finding.uuid if obj.finding_id else None


register(
    audits_router,
    model=Audit,
    form_class=AuditForm,
    out=AuditOut,
    create_in=AuditCreate,
    update_in=AuditIn,
    search=["auditors", "scope", "summary", "vendor__name"],
    select_related=("vendor",),
    label="audits",
    filters={"vendor": lambda qs, v: qs.filter(vendor__uuid=v)},
)
register(
    findings_router,
    model=Finding,
    form_class=FindingForm,
    out=FindingOut,
    create_in=FindingCreate,
    update_in=FindingIn,
    search=["description", "reference"],
    select_related=("audit",),
    label="findings",
    filters={"open": lambda qs, v: qs.filter(closed_on__isnull=v in ("1", "true"))},
)
register(
    actions_router,
    model=CorrectiveAction,
    form_class=ActionForm,
    out=ActionOut,
    create_in=ActionCreate,
    update_in=ActionIn,
    search=["what", "owner"],
    select_related=("finding",),
    label="corrective_actions",
    filters={"status": lambda qs, v: qs.filter(status=v)},
)
