"""A stolen copy of the database opens nothing: no working session, no TOTP secret, no open link."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib

import pyotp
import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mamori.checksheets import actions
from mamori.checksheets.models import Recipient, Template
from mamori.platform.accounts.models import User
from mamori.platform.accounts.views import verify_totp
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor, VendorContact
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def _all_stored_text() -> str:
    """Every value of every table, as text (what a copy of the database file gives away)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our tables
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(str(value))
    return "\n".join(parts)


def test_a_stored_session_key_is_no_cookie(client):
    user = MembershipFactory().user
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    [row] = Session.objects.all()
    assert row.session_key != cookie and cookie not in _all_stored_text()
    # The key from the stolen table does not sign anyone in …
    thief = Client()
    thief.cookies[django_settings.SESSION_COOKIE_NAME] = row.session_key
    assert thief.get(reverse("web:dashboard")).status_code == 302
    # … the real cookie does, and signing out ends it.
    owner = Client()
    owner.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert owner.get(reverse("web:dashboard")).status_code == 200
    user.sign_out_everywhere()
    assert owner.get(reverse("web:dashboard")).status_code == 302


def _unsigned(session_data: str) -> str:
    """What anyone reads from Django's signed session data without the key (it is only signed)."""
    payload = session_data.split(":")[0]
    try:
        raw = base64.urlsafe_b64decode(payload.lstrip(".") + "==")
        return (zlib.decompress(raw) if payload.startswith(".") else raw).decode("utf-8", "replace")
    except (ValueError, zlib.error):
        return ""


def test_session_data_is_sealed(client):
    """A two-factor secret being set up lives in the session: not readable from the table."""
    client.force_login(MembershipFactory().user)
    secret = client.get(reverse("accounts:two_factor")).context["secret"]
    [row] = Session.objects.all()
    assert secret not in _unsigned(row.session_data) and secret not in _all_stored_text()
    assert client.session["mamori_2fa_secret"] == secret


def test_totp_secret_is_sealed_and_codes_still_verify(client):
    user = MembershipFactory().user
    client.force_login(user)
    secret = client.get(reverse("accounts:two_factor")).context["secret"]
    client.post(reverse("accounts:two_factor"), {"code": pyotp.TOTP(secret).now()})
    user.refresh_from_db()
    assert user.totp_enabled
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [user.pk])
        [stored] = cursor.fetchone()
    assert stored and secret not in stored and secret not in _all_stored_text()
    assert user.totp_key == secret
    user.totp_last_counter = 0
    later = pyotp.TOTP(secret).at(timezone.now() + dt.timedelta(seconds=60))
    assert not verify_totp(user, "000000" if later != "000000" else "111111")
    # Signing in with the code still works.
    other = Client()
    other.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    User.objects.filter(pk=user.pk).update(totp_last_counter=0)
    response = other.post(reverse("accounts:login_otp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and other.session["_auth_user_id"] == str(user.pk)


def test_the_sealed_secret_needs_the_secret_key(settings):
    user = MembershipFactory().user
    user.set_totp_key("JBSWY3DPEHPK3PXP")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(ValueError, match="secret key"):
        _ = user.totp_key


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_no_table_keeps_an_open_link_after_mails_are_sent(settings, tenancy):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    owner = tenancy.client(tenancy.owner)
    # An invitation, a password reset and a vendor check-sheet link.
    owner.post(reverse("tenancy:members"), {"email": "new@example.jp", "role": "editor"})
    Client().post(reverse("accounts:password_reset"), {"email": tenancy.colleague.email})
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )
    actions.ensure_builtin(org)
    version = Template.objects.get(organization=org, builtin_key="short").current
    actions.send(
        org=org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    # Waiting in the queue, the mails are sealed already.
    queued = _all_stored_text()
    assert "/invite/" not in queued and "/password-reset/" not in queued
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)
    assert len(mail.outbox) == 3
    links = [
        link
        for message in mail.outbox
        for link in re.findall(r"https?://\S+", message.body)
        if any(part in link for part in ("/invite/", "/password-reset/", "/p/"))
    ]
    assert len(links) == 3, links
    assert Recipient.objects.get().link in links
    stored = _all_stored_text()
    for link in links:
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert link not in stored and token not in stored, link
