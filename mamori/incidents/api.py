import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import create_model

from mamori.incidents import actions, documents
from mamori.incidents.forms import IncidentForm, NoteForm
from mamori.incidents.models import TIMELINE_KINDS, DocumentKind, Incident, Task
from mamori.platform.api.crud import FormInvalid, register
from mamori.platform.api.schemas import enum_of, input_schemas, output_schema
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, require
from mamori.platform.trail.services import Actor

router = Router(tags=["incidents"])


_IncidentCreate, _IncidentIn = input_schemas(Incident, IncidentForm, name="IncidentBase", module=__name__)

# The engine's names (``mamori assess``), accepted as they are beside the form's: the same facts
# through every door. aware_date → aware_on, occurred_date → occurred_on, discovered_date →
# discovered_on, breach_types → leak/loss/damage; yes/no/unknown also as true/false/null.
ENGINE_ALIASES = {
    "aware_date": "aware_on",
    "occurred_date": "occurred_on",
    "discovered_date": "discovered_on",
}
_engine_fields = {
    "aware_date": (dt.date | None, None),
    "occurred_date": (dt.date | None, None),
    "discovered_date": (dt.date | None, None),
    "breach_types": (list[str] | None, None),  # leak, loss, damage (checked in to_form)
    "improper_purpose": (bool | Literal["unknown", "yes", "no"] | None, None),
    "financial_damage_risk": (bool | Literal["unknown", "yes", "no"] | None, None),
    "my_number_system": (bool | Literal["unknown", "yes", "no"] | None, None),
    "publicly_viewable": (bool | Literal["unknown", "yes", "no"] | None, None),
}
IncidentCreate = create_model(
    "IncidentCreate",
    __base__=_IncidentCreate,
    __module__=__name__,
    aware_on=(dt.date | None, None),
    **_engine_fields,
)
IncidentIn = create_model("IncidentIn", __base__=_IncidentIn, __module__=__name__, **_engine_fields)
IncidentOut = output_schema(
    Incident,
    [
        "title",
        "description",
        "state",
        "cause",
        "aware_on",
        "items",
        "special_care",
        "individuals",
        "vendor",
        "final_due",
        "preliminary_due",
        "assessment",
        "caused_by",
        "improper_purpose",
        "financial_damage_risk",
        "individuals_kind",
        "individuals_min",
        "individuals_max",
        "individuals_basis",
        "special_care_unconfirmed",
        "role",
        "principal_name",
        "principal_notified_on",
    ],
    name="IncidentOut",
    module=__name__,
)


class TaskOut(Schema):
    uuid: UUID
    step: int
    title: str
    due_on: dt.date | None
    done: bool

    @staticmethod
    def resolve_done(obj):
        return obj.done_at is not None


class TimelineEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_label: str
    kind: enum_of(TIMELINE_KINDS)  # type: ignore[valid-type]
    text: str
    occurred_at: dt.datetime | None
    code: str
    params: dict
    file_name: str
    sha256: str
    hash: str

    @staticmethod
    def resolve_text(obj):
        return obj.display_text  # in the reader's language; the stored copy is hashed as stored


NOTE_KINDS = enum_of(code for code, _label in NoteForm.base_fields["kind"].choices)


class NoteIn(Schema):
    kind: NOTE_KINDS = "note"  # type: ignore[valid-type]
    text: str
    occurred_at: dt.datetime | None = None  # when it happened (事実経過), apart from when recorded


TRISTATE_FORM = {True: "yes", False: "no", None: "unknown"}


def to_form(data: dict) -> dict:
    for engine_name, form_name in ENGINE_ALIASES.items():
        if data.get(engine_name) is not None:
            data[form_name] = data[engine_name]
        data.pop(engine_name, None)
    if (kinds := data.pop("breach_types", None)) is not None:
        if unknown := [k for k in kinds if k not in ("leak", "loss", "damage")]:
            raise FormInvalid(
                {
                    "breach_types": [
                        f"次の値は使えません：{', '.join(map(str, unknown))}。使える値：leak, loss, damage"
                    ]
                }
            )
        for kind in ("leak", "loss", "damage"):
            data[kind] = kind in kinds
    for name in ("improper_purpose", "financial_damage_risk", "my_number_system", "publicly_viewable"):
        if name in data and not isinstance(data[name], str):
            data[name] = TRISTATE_FORM[data[name]]
    if "data_assets" in data and data["data_assets"] is not None:
        data["data_assets"] = [str(u) for u in data["data_assets"]]
    if "secondary_damage" in data:
        data["secondary_damage"] = {True: "true", False: "false", None: ""}[data["secondary_damage"]]
    return data


register(
    router,
    model=Incident,
    form_class=IncidentForm,
    out=IncidentOut,
    create_in=IncidentCreate,
    update_in=IncidentIn,
    search=["title", "description"],
    select_related=("vendor",),
    label="incidents",
    to_form=to_form,
    filters={"state": lambda qs, v: qs.filter(state=v)},
)


@router.get("/{uuid}/tasks", response=list[TaskOut], summary="The response checklist")
def tasks(request, uuid: UUID):
    require(request, Perm.VIEW)
    return list(get_scoped(request, Incident, uuid=uuid).tasks.all())


@router.post("/tasks/{uuid}/done", response=TaskOut, summary="Mark a task done")
def task_done(request, uuid: UUID):
    require(request, Perm.EDIT)
    task = get_scoped(request, Task, uuid=uuid)
    actions.complete_task(task, Actor.from_request(request, via="api"), done=True)
    task.refresh_from_db()
    return task


@router.get("/{uuid}/timeline", response=list[TimelineEntryOut], summary="The hash-chained timeline")
def timeline(request, uuid: UUID):
    require(request, Perm.VIEW)
    return list(get_scoped(request, Incident, uuid=uuid).timeline.order_by("seq"))


@router.get("/{uuid}/timeline/verify", response=dict, summary="Verify the timeline's hash chain")
def verify(request, uuid: UUID):
    require(request, Perm.VIEW)
    problem = actions.verify_timeline(get_scoped(request, Incident, uuid=uuid))
    return {"intact": problem is None, "problem": problem}


@router.post(
    "/{uuid}/timeline", response=TimelineEntryOut, summary="Add a note, decision or action to the timeline"
)
def add_note(request, uuid: UUID, payload: NoteIn):
    require(request, Perm.EDIT)
    return actions.add_note(
        get_scoped(request, Incident, uuid=uuid),
        Actor.from_request(request, via="api"),
        payload.kind,
        payload.text,
        occurred_at=payload.occurred_at,
    )


@router.get(
    "/{uuid}/documents/{kind}", response=dict, summary="A document draft as text (Word and print on the page)"
)
def document(request, uuid: UUID, kind: enum_of(DocumentKind.values)):  # type: ignore[valid-type]
    require(request, Perm.VIEW)
    if kind not in DocumentKind.values:
        raise HttpError(404, "文書の種類が見つかりません。")
    incident = get_scoped(request, Incident, uuid=uuid)
    return {
        "kind": kind,
        "label": str(DocumentKind(kind).label),
        "text": documents.render_text(incident, kind),
    }


@router.post("/{uuid}/close", response=IncidentOut, summary="Close the incident")
def close(request, uuid: UUID):
    require(request, Perm.EDIT)
    incident = get_scoped(request, Incident, uuid=uuid)
    actions.close(incident, Actor.from_request(request, via="api"))
    incident.refresh_from_db()
    return incident
