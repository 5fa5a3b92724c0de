from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Router, Schema
from ninja.pagination import paginate

from mamori.platform.paging import Pages
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, require, scoped
from mamori.platform.trail import services
from mamori.platform.trail.models import Action, TrailEntry

router = Router(tags=["trail"])

ACTIONS = Literal[tuple(Action.values)]  # type: ignore[valid-type]


class TrailEntryOut(Schema):
    uuid: UUID
    seq: int
    at: datetime
    actor: str
    action: ACTIONS  # type: ignore[valid-type]
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    code: str
    params: dict
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_label


class VerifyOut(Schema):
    intact: bool
    broken_at: int | None
    reason: str | None


@router.get(
    "", response=list[TrailEntryOut], summary="Trail entries, newest first (owners, admins, auditors)"
)
@paginate(Pages)
def list_entries(request, action: ACTIONS | None = None, object_id: str | None = None):  # type: ignore[valid-type]
    require(request, Perm.TRAIL)
    entries = scoped(request, TrailEntry).order_by("-seq")
    if action:
        entries = entries.filter(action=action)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries


@router.get("/verify", response=VerifyOut, summary="Verify the hash chain of the organization's trail")
def verify(request):
    require(request, Perm.TRAIL)
    breaks = services.verify([request.org])
    if breaks:
        return {"intact": False, "broken_at": breaks[0].seq, "reason": breaks[0].reason}
    return {"intact": True, "broken_at": None, "reason": None}


@router.get("/{uuid}", response=TrailEntryOut, summary="One trail entry")
def get_entry(request, uuid: UUID):
    require(request, Perm.TRAIL)
    return get_scoped(request, TrailEntry, uuid=uuid)
