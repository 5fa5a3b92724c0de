from ninja import Router

from mamori.audits.forms import ActionForm, AuditForm, FindingForm
from mamori.audits.models import Audit, CorrectiveAction, Finding
from mamori.platform.api.crud import register
from mamori.platform.api.schemas import input_schemas, output_schema

audits_router = Router(tags=["audits"])
findings_router = Router(tags=["audits"])
actions_router = Router(tags=["audits"])


AuditCreate, AuditIn = input_schemas(Audit, AuditForm, name="Audit", module=__name__)
AuditOut = output_schema(
    Audit,
    ["vendor", "kind", "performed_on", "auditors", "scope", "summary"],
    name="AuditOut",
    module=__name__,
)
FindingCreate, FindingIn = input_schemas(Finding, FindingForm, name="Finding", module=__name__)
FindingOut = output_schema(
    Finding,
    [*FindingForm._meta.fields, "closed_on"],
    name="FindingOut",
    module=__name__,
)
ActionCreate, ActionIn = input_schemas(CorrectiveAction, ActionForm, name="Action", module=__name__)
ActionOut = output_schema(
    CorrectiveAction,
    ["finding", "what", "responsible", "owner", "due_on", "status", "done_on"],
    name="ActionOut",
    module=__name__,
)


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
