from __future__ import annotations

from typing import Literal
from uuid import UUID

from ninja import Router, Schema

from mamori.platform.tenancy.models import Membership, Perm, Role
from mamori.platform.tenancy.scoping import get_scoped, require, scoped

ROLES = Literal[tuple(Role.values)]  # type: ignore[valid-type]

router = Router(tags=["members"])


class MemberOut(Schema):
    uuid: UUID
    email: str
    name: str
    role: ROLES  # type: ignore[valid-type]


def _out(m: Membership) -> dict:
    return {"uuid": m.uuid, "email": m.user.email, "name": m.user.name, "role": m.role}


@router.get("", response=list[MemberOut], summary="Members of the token's organization")
def list_members(request):
    require(request, Perm.VIEW)
    return [_out(m) for m in scoped(request, Membership).select_related("user").order_by("user__email")]


@router.get("/{uuid}", response=MemberOut, summary="One member")
def get_member(request, uuid: UUID):
    require(request, Perm.VIEW)
    return _out(get_scoped(request, Membership, uuid=uuid))
