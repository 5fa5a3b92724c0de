"""Account actions shared by the pages, the API and the CLI."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mamori.platform.accounts.models import ApiToken, User
from mamori.platform.tenancy.models import Membership, Organization, Role
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action


class AccountError(ValueError):
    pass


def unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:40] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_organization(*, name: str, owner: User, via: str) -> Organization:
    with transaction.atomic(), trail.acting_as(trail.Actor(user=owner, via=via)):
        org = Organization.objects.create(name=name.strip(), slug=unique_slug(name))
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
    return org


def create_owner(
    *, org_name: str, name: str, email: str, password: str, via: str
) -> tuple[Organization, User]:
    """First-run setup and ``mamori init``: an organization and its owner."""
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise AccountError(f"a user with the e-mail address {email} exists already")
        user = User.objects.create_user(email=email, password=password, name=name.strip())
        org = create_organization(name=org_name, owner=user, via=via)
    return org, user


def issue_token(*, user: User, org: Organization, name: str, actor: trail.Actor) -> tuple[ApiToken, str]:
    if not Membership.objects.filter(user=user, organization=org).exists():
        raise AccountError(f"{user.email} is not a member of {org.slug}")
    with transaction.atomic(), trail.acting_as(actor):
        token, secret = ApiToken.issue(user, org, name)
        token.save()
    return token, secret


def revoke_token(*, token: ApiToken, actor: trail.Actor) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def record_sign_in(user: User, actor: trail.Actor, action: str = Action.SIGN_IN) -> None:
    """Sign-ins are recorded in the trail of every organization the user can see."""
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        trail.record(
            org=membership.organization,
            actor=actor,
            action=action,
            obj=user,
            object_type="accounts.user",
            object_id=str(user.pk),
            object_repr=user.email,
        )
