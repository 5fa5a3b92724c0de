import datetime as dt
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError

from mamori.incidents import actions, documents
from mamori.incidents.forms import IncidentForm, NoteForm
from mamori.incidents.models import TIMELINE_KINDS, DocumentKind, Incident, Task
from mamori.platform.api.crud import register
from mamori.platform.api.schemas import enum_of, input_schemas, output_schema
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, require
from mamori.platform.trail.services import Actor

router = Router(tags=["incidents"])


IncidentCreate, IncidentIn = input_schemas(Incident, IncidentForm, name="Incident", module=__name__)
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


def to_form(data: dict) -> dict:
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
