from __future__ import annotations

import pyotp
import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from mamori.platform.accounts.models import User
from mamori.platform.trail.models import Action, TrailEntry
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"email": email, "password": password})


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(email="Argon@Example.JP", password="a-long-test-password-42")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.email == "argon@example.jp"
    assert user.check_password("a-long-test-password-42")


def test_sign_in_by_email_case_insensitive_and_recorded(client):
    membership = MembershipFactory()
    response = login(client, membership.user.email.upper())
    assert response.status_code == 302 and response["Location"] == reverse("web:dashboard")
    entry = TrailEntry.objects.get(organization=membership.organization, action=Action.SIGN_IN)
    assert entry.actor_label == f"web:{membership.user.email}"


def test_wrong_password_is_refused_with_a_japanese_message(client):
    user = UserFactory()
    response = login(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが違います" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_after_repeated_failures_even_with_the_right_password(client, settings):
    settings.MAMORI_LOGIN_MAX_FAILURES = 3
    user = MembershipFactory().user
    for _ in range(3):
        login(client, user.email, "wrong-password")
    response = login(client, user.email)
    assert response.status_code == 200
    assert "ロック" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_the_queue_and_its_link_works(client):
    user = UserFactory()
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "another-long-password-77"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.jp"})
    assert response.status_code == 302 and mail.outbox == []


def _enable_totp(user) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    user.set_totp_key(secret)
    user.totp_enabled = True
    user.save()
    return pyotp.TOTP(secret)


def test_two_factor_sign_in_asks_for_the_code_and_refuses_a_replay(client):
    user = MembershipFactory().user
    totp = _enable_totp(user)
    response = login(client, user.email)
    assert response["Location"] == reverse("accounts:login_otp")
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login_otp"), {"code": "000000" if totp.now() != "000000" else "111111"}
    )
    assert "_auth_user_id" not in client.session
    code = totp.now()
    response = client.post(reverse("accounts:login_otp"), {"code": code})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    # The same code cannot be used twice (replay).
    other = client.__class__()
    login(other, user.email)
    other.post(reverse("accounts:login_otp"), {"code": code})
    assert "_auth_user_id" not in other.session


def test_turning_two_factor_on_needs_a_valid_code(client):
    user = MembershipFactory().user
    client.force_login(user)
    response = client.get(reverse("accounts:two_factor"))
    secret = response.context["secret"]
    assert response.context["qr"].startswith("data:image/svg+xml;base64,")
    client.post(reverse("accounts:two_factor"), {"code": "12345"})
    user.refresh_from_db()
    assert not user.totp_enabled
    client.post(reverse("accounts:two_factor"), {"code": pyotp.TOTP(secret).now()})
    user.refresh_from_db()
    assert user.totp_enabled and user.totp_key == secret


def test_sign_out_everywhere_ends_other_sessions(client):
    user = MembershipFactory().user
    other = client.__class__()
    other.force_login(user)
    assert other.get(reverse("web:dashboard")).status_code == 200
    client.force_login(user)
    client.post(reverse("accounts:sign_out_everywhere"))
    response = other.get(reverse("web:dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_token_is_shown_once_and_stored_hashed(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(reverse("accounts:token_create"), {"name": "script"})
    page = client.get(reverse("accounts:account"))
    secret = page.context["new_token"]
    assert secret.startswith("mmr_")
    token = membership.user.api_tokens.get()
    assert secret not in (token.key_hash, token.lookup) and len(token.key_hash) == 64
    assert client.get(reverse("accounts:account")).context["new_token"] is None
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    client.post(reverse("accounts:token_revoke", args=[token.uuid]))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_login_redirect_refuses_foreign_hosts(client):
    user = MembershipFactory().user
    response = client.post(
        reverse("accounts:login"),
        {"email": user.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:dashboard")
