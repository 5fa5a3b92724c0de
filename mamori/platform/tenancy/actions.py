"""Membership and invitation actions (pages, API and CLI call these)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.platform import actor as trail
from mamori.platform.tenancy.models import Invitation, Membership, Organization, Role

INVITE_PREFIX = "mmi_"


class MembershipError(ValueError):
    pass


def invitation_hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def invite(*, org: Organization, email: str, role: str, actor: trail.Actor) -> tuple[Invitation, str]:
    email = email.strip().lower()
    if Membership.objects.filter(organization=org, user__email__iexact=email).exists():
        raise MembershipError(_("%(email)s is a member already.") % {"email": email})
    if role == Role.OWNER and not _is_owner(org, actor.user):
        raise MembershipError(_("Only an owner can invite another owner."))
    token = INVITE_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(), trail.acting_as(actor):
        invitation = Invitation.objects.create(
            organization=org,
            email=email,
            role=role,
            token_hash=invitation_hash(token),
            invited_by=actor.user,
            expires_at=timezone.now() + timedelta(days=settings.MAMORI_INVITATION_DAYS),
        )
        link = settings.BASE_URL + reverse("accounts:accept_invitation", args=[token])
        context = {"org": org, "link": link, "invitation": invitation, "inviter": actor.user}
        send_mail(
            subject=render_to_string("tenancy/email/invitation_subject.txt", context).strip(),
            message=render_to_string("tenancy/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    return invitation, link


def find_invitation(token: str) -> Invitation | None:
    if not token.startswith(INVITE_PREFIX):
        return None
    invitation = (
        Invitation.objects.select_related("organization").filter(token_hash=invitation_hash(token)).first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def accept(*, invitation: Invitation, user, actor: trail.Actor) -> Membership:
    with transaction.atomic(), trail.acting_as(actor):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise MembershipError(_("This invitation is no longer valid."))
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        membership, _created = Membership.objects.get_or_create(
            organization=locked.organization, user=user, defaults={"role": locked.role}
        )
    return membership


def revoke_invitation(*, invitation: Invitation, actor: trail.Actor) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _is_owner(org: Organization, user) -> bool:
    return Membership.objects.filter(organization=org, user=user, role=Role.OWNER).exists()


def _owners_left(org: Organization, excluding: Membership) -> int:
    return Membership.objects.filter(organization=org, role=Role.OWNER).exclude(pk=excluding.pk).count()


def change_role(*, membership: Membership, role: str, actor: trail.Actor) -> Membership:
    org = membership.organization
    if Role.OWNER in (role, membership.role) and not _is_owner(org, actor.user):
        raise MembershipError(_("Only an owner can grant or take away the owner role."))
    if membership.role == Role.OWNER and role != Role.OWNER and _owners_left(org, membership) == 0:
        raise MembershipError(_("An organization needs at least one owner."))
    with transaction.atomic(), trail.acting_as(actor):
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(*, membership: Membership, actor: trail.Actor) -> None:
    org = membership.organization
    if membership.role == Role.OWNER and not _is_owner(org, actor.user):
        raise MembershipError(_("Only an owner can remove an owner."))
    if membership.role == Role.OWNER and _owners_left(org, membership) == 0:
        raise MembershipError(_("An organization needs at least one owner."))
    with transaction.atomic(), trail.acting_as(actor):
        membership.delete()
