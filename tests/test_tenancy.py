from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from mamori.platform.accounts.models import User
from mamori.platform.tenancy import actions
from mamori.platform.tenancy.models import Invitation, Membership, Perm, Role, role_allows
from mamori.platform.tenancy.scoping import save_scoped
from mamori.platform.trail.services import Actor
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.OWNER, {Perm.VIEW, Perm.EDIT, Perm.TRAIL, Perm.MANAGE, Perm.OWN}),
        (Role.ADMIN, {Perm.VIEW, Perm.EDIT, Perm.TRAIL, Perm.MANAGE}),
        (Role.EDITOR, {Perm.VIEW, Perm.EDIT}),
        (Role.VIEWER, {Perm.VIEW}),
        (Role.AUDITOR, {Perm.VIEW, Perm.TRAIL}),
    ],
)
def test_role_matrix(role, allowed):
    assert {p for p in Perm if role_allows(role, p)} == allowed


@pytest.mark.parametrize(
    ("role", "members", "trail"),
    [
        (Role.OWNER, 200, 200),
        (Role.ADMIN, 200, 200),
        (Role.EDITOR, 403, 403),
        (Role.VIEWER, 403, 403),
        (Role.AUDITOR, 403, 200),
    ],
)
def test_pages_follow_the_role(client, role, members, trail):
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    assert client.get(reverse("tenancy:members")).status_code == members
    assert client.get(reverse("trail:list")).status_code == trail
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_viewer_cannot_invite_and_nothing_is_sent(tenancy):
    client = tenancy.client(tenancy.colleague)
    response = client.post(reverse("tenancy:members"), {"email": "x@example.jp", "role": "editor"})
    assert response.status_code == 403
    assert not Invitation.objects.exists() and mail.outbox == []


def test_invitation_by_mail_creates_the_account_and_membership(tenancy, client):
    owner = tenancy.client(tenancy.owner)
    response = owner.post(reverse("tenancy:members"), {"email": "New@Example.jp", "role": "editor"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new@example.jp"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invite/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    path = reverse("accounts:accept_invitation", args=[token])
    assert "株式会社アルファ" in client.get(path).content.decode()
    response = client.post(
        path, {"name": "新人 太郎", "password1": "long-enough-pass-99", "password2": "long-enough-pass-99"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.jp")
    assert Membership.objects.get(user=user).role == Role.EDITOR
    # Used once: the link is gone.
    assert client.get(path).status_code == 404


def test_wrong_invitation_token_is_404(client, user):
    assert client.get(reverse("accounts:accept_invitation", args=["mmi_guess"])).status_code == 404


def test_switching_organization(tenancy):
    second = OrganizationFactory(name="第二株式会社")
    MembershipFactory(organization=second, user=tenancy.owner, role=Role.VIEWER)
    client = tenancy.client(tenancy.owner)
    assert "株式会社アルファ" in client.get(reverse("web:dashboard")).content.decode()
    client.post(reverse("tenancy:switch"), {"org": str(second.uuid)})
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "<h1>第二株式会社</h1>" in page
    # Viewer there: no members page.
    assert client.get(reverse("tenancy:members")).status_code == 403


def test_cannot_switch_into_a_foreign_organization(tenancy):
    client = tenancy.client(tenancy.outsider)
    assert client.post(reverse("tenancy:switch"), {"org": str(tenancy.org.uuid)}).status_code == 404
    assert "株式会社アルファ" not in client.get(reverse("web:dashboard")).content.decode()


def test_last_owner_cannot_be_demoted_or_removed(tenancy):
    membership = Membership.objects.get(user=tenancy.owner)
    actor = Actor(user=tenancy.owner)
    with pytest.raises(actions.MembershipError):
        actions.change_role(membership=membership, role=Role.ADMIN, actor=actor)
    with pytest.raises(actions.MembershipError):
        actions.remove_member(membership=membership, actor=actor)


def test_save_scoped_rolls_back_an_object_moved_out_of_the_organization(tenancy):
    request = RequestFactory().post("/")
    request.org = tenancy.org
    membership = Membership.objects.get(user=tenancy.colleague)

    def move():
        membership.organization = tenancy.other_org
        membership.save()
        return membership

    with pytest.raises(PermissionDenied):
        save_scoped(request, move)
    assert Membership.objects.get(pk=membership.pk).organization_id == tenancy.org.id
