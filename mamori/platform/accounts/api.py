from __future__ import annotations

from typing import Literal

from ninja import Router, Schema

from mamori.platform.tenancy.models import Membership, Role

ROLES = Literal[tuple(Role.values)]  # type: ignore[valid-type]

router = Router(tags=["accounts"])


class OrgOut(Schema):
    uuid: str
    slug: str
    name: str
    role: ROLES  # type: ignore[valid-type]
    current: bool


class MeOut(Schema):
    email: str
    name: str
    two_factor: bool
    organizations: list[OrgOut]


@router.get("/me", response=MeOut, summary="The signed-in user and their organizations with roles")
def me(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    return {
        "email": request.user.email,
        "name": request.user.name,
        "two_factor": request.user.totp_enabled,
        "organizations": [
            {
                "uuid": str(m.organization.uuid),
                "slug": m.organization.slug,
                "name": m.organization.name,
                "role": m.role,
                "current": m.organization_id == request.org.id,
            }
            for m in memberships
        ],
    }
