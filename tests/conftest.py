from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from mamori.platform.accounts.actions import issue_token
from mamori.platform.tenancy.models import Role
from mamori.platform.trail.services import Actor
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

# The whole suite runs at one instant in Tokyo, so no test depends on the day it runs. CI runs it a
# second time a year ahead (`make test-future`) to find tests and code that only work near this date.
DEFAULT_TEST_TODAY = "2026-11-25"


def suite_now() -> dt.datetime:
    """10:00 in Tokyo on MAMORI_TEST_TODAY (YYYY-MM-DD), by default DEFAULT_TEST_TODAY."""
    day = dt.date.fromisoformat(os.environ.get("MAMORI_TEST_TODAY") or DEFAULT_TEST_TODAY)
    return dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Asia/Tokyo"))


def pytest_configure(config):
    # From collection on (module constants, session fixtures, database setup), not only inside tests.
    # tick=True: the clock runs on from the instant, so durations, throttles, the live server and
    # the order of rows created one after another behave as in real use.
    config._mamori_clock = time_machine.travel(suite_now(), tick=True)
    config._mamori_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_mamori_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    return f"clock: {suite_now():%Y-%m-%d %H:%M %Z} (set MAMORI_TEST_TODAY=YYYY-MM-DD to move it)"


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Each test starts at the same instant, whatever ran before it and however long that took."""
    with time_machine.travel(suite_now(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Mail goes through the real queue backend; the task runs at once and delivers to locmem."""
    settings.EMAIL_BACKEND = "mamori.mail.QueuedEmailBackend"
    settings.MAMORI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.MAMORI_OUTBOX_DIR = tmp_path / "outbox"
    settings.MAMORI_TRAIL_ANCHORS_FILE = tmp_path / "trail-anchors.log"
    settings.MAMORI_PENDING_DIR = tmp_path / "pending"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


class Tenancy:
    """healthchecks' three users: the owner, a read-only colleague, an outsider in another org."""

    def __init__(self):
        self.org = OrganizationFactory(name="株式会社アルファ")
        self.other_org = OrganizationFactory(name="株式会社ブラボー")
        self.owner = MembershipFactory(organization=self.org, role=Role.OWNER).user
        self.colleague = MembershipFactory(organization=self.org, role=Role.VIEWER).user
        self.outsider = MembershipFactory(organization=self.other_org, role=Role.OWNER).user

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def token(self, user, org) -> str:
        return issue_token(user=user, org=org, name="test", actor=Actor(user=user, via="test"))[1]


@pytest.fixture
def tenancy(db) -> Tenancy:
    return Tenancy()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Live-server threads of the browser tests may still hold a PostgreSQL session when the run
    ends (an htmx request in flight); end them so the test database can be dropped cleanly."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


class Demo:
    """The sample organization of :mod:`mamori.demo.seed` (seeded for ``today``), with one member of
    each role: ``owner``, ``admin``, ``editor``, ``viewer``, ``auditor`` (also in ``users``)."""

    def __init__(self):

        from django.core import mail
        from django.utils import timezone

        from mamori.demo.seed import seed_demo

        self.today = timezone.localdate()  # the frozen clock: MAMORI_TEST_TODAY, 2026-11-25 by default
        self.owner = UserFactory(email="owner@sakura-tsuhan.example.jp", name="佐藤 美穂")
        self.org = seed_demo(today=self.today, owner=self.owner)
        self.users = {Role.OWNER.value: self.owner}
        for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER, Role.AUDITOR):
            user = UserFactory(email=f"{role.value}@sakura-tsuhan.example.jp")
            MembershipFactory(organization=self.org, user=user, role=role)
            self.users[role.value] = user
        self.admin, self.editor = self.users["admin"], self.users["editor"]
        self.viewer, self.auditor = self.users["viewer"], self.users["auditor"]
        mail.outbox = []  # the sample's check-sheet mails are not the test's

    def client(self, user=None) -> Client:
        client = Client()
        client.force_login(user or self.owner)
        return client


@pytest.fixture
def demo(db) -> Demo:
    return Demo()
