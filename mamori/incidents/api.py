import datetime as dt
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError

from mamori.incidents import actions, documents
from mamori.incidents.forms import IncidentForm
from mamori.incidents.models import DocumentKind, Incident, Task
from mamori.platform.api.crud import register
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, require
from mamori.platform.trail.services import Actor

router = Router(tags=["incidents"])


class IncidentIn(Schema):
    title: str | None = None
    description: str | None = None
    leak: bool | None = None
    loss: bool | None = None
    damage: bool | None = None
    suspected: bool | None = None
    cause: str | None = None
    occurred_on: dt.date | None = None
    discovered_on: dt.date | None = None
    aware_on: dt.date | None = None
    data_assets: list[UUID] | None = None
    vendor: UUID | None = None
    items: list[str] | None = None
    special_care: list[str] | None = None
    individuals: int | None = None
    individuals_kind: str | None = None
    highly_encrypted: bool | None = None
    copy_exists: bool | None = None
    recovered_before_access: bool | None = None
    personal_info_being_acquired: bool | None = None
    role: str | None = None
    vendor_notified_principal: bool | None = None
    secondary_damage: bool | None = None
    notice_method: str | None = None
    notices_sent: int | None = None
    notices_returned: int | None = None
    alternative_measures: str | None = None


class IncidentCreate(IncidentIn):
    title: str
    aware_on: dt.date


class IncidentOut(Schema):
    uuid: UUID
    title: str
    description: str
    state: str
    cause: str
    aware_on: dt.date
    items: list[str]
    special_care: list[str]
    individuals: int | None
    vendor: UUID | None
    final_due: dt.date | None
    preliminary_due: dt.date | None
    assessment: dict

    @staticmethod
    def resolve_vendor(obj):
        return obj.vendor.uuid if obj.vendor_id else None


class TaskOut(Schema):
    uuid: UUID
    step: int
    title: str
    due_on: dt.date | None
    done: bool

    @staticmethod
    def resolve_done(obj):
        return obj.done_at is not None


class EntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_label: str
    kind: str
    text: str
    file_name: str
    sha256: str
    hash: str


class NoteIn(Schema):
    kind: str = "note"
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


@router.get("/{uuid}/timeline", response=list[EntryOut], summary="The hash-chained timeline")
def timeline(request, uuid: UUID):
    require(request, Perm.VIEW)
    return list(get_scoped(request, Incident, uuid=uuid).timeline.order_by("seq"))


@router.get("/{uuid}/timeline/verify", response=dict, summary="Verify the timeline's hash chain")
def verify(request, uuid: UUID):
    require(request, Perm.VIEW)
    problem = actions.verify_timeline(get_scoped(request, Incident, uuid=uuid))
    return {"intact": problem is None, "problem": problem}


@router.post("/{uuid}/timeline", response=EntryOut, summary="Add a note, decision or action to the timeline")
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
def document(request, uuid: UUID, kind: str):
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
