"""What each request of the load mix costs in queries (benchmarks/load.py, benchmarks/profile_requests.py).

Bounds on query counts, never timings: one membership query per signed-in request, a trail page whose
queries do not grow with its rows, an API call that reads its token's organization once; and the
shortcuts taken for speed give the same results as the long way (choice labels, the trail's cells).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mamori.platform.actor import Actor, acting_as
from mamori.platform.tenancy.middleware import SESSION_KEY
from mamori.platform.tenancy.models import Membership, Role
from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Vendor
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def queries(client, path, **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return [q["sql"] for q in ctx.captured_queries]


def reading(sql: list[str], table: str) -> list[str]:
    return [q for q in sql if q.lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in q]


def test_a_signed_in_page_reads_the_users_memberships_once_and_lists_them_all(demo):
    second = OrganizationFactory(name="株式会社つばめ物流")
    MembershipFactory(organization=second, user=demo.owner, role=Role.VIEWER)
    client = demo.client()
    sql = queries(client, "/audits/")
    # The chosen organization and the switcher's list come from the same query.
    assert len(reading(sql, "tenancy_membership")) == 1
    page = client.get("/audits/").content.decode()
    assert demo.org.name in page and "株式会社つばめ物流" in page
    # The organization chosen in the session is honoured; without it the first membership is taken.
    session = client.session
    session[SESSION_KEY] = second.id
    session.save()
    page = client.get("/audits/").content.decode()
    assert f'<option value="{second.uuid}" selected>' in page


def test_a_membership_that_ended_is_not_chosen_even_if_the_session_asks_for_it(demo):
    second = OrganizationFactory(name="株式会社つばめ物流")
    membership = MembershipFactory(organization=second, user=demo.owner, role=Role.VIEWER)
    client = demo.client()
    session = client.session
    session[SESSION_KEY] = second.id
    session.save()
    Membership.objects.filter(pk=membership.pk).delete()
    page = client.get("/audits/").content.decode()
    assert f'<option value="{demo.org.uuid}" selected>' in page
    assert "株式会社つばめ物流" not in page


def kinds_named(captured: list[str]) -> set[str]:
    """The tables read for names of records (all but the session, user, membership and trail)."""
    fixed = ("django_session", "accounts_user", "tenancy_membership", "trail_trailentry")
    tables = {q.split(' FROM "', 1)[1].split('"', 1)[0] for q in captured if ' FROM "' in q}
    return {t for t in tables if t not in fixed}


def test_the_trail_page_reads_a_bounded_number_of_queries_whatever_its_rows(demo):
    client = demo.client()
    before = queries(client, "/trail/")
    vendors = list(Vendor.objects.filter(organization=demo.org)[:10])
    with acting_as(Actor(user=demo.owner, via="web")):
        for i in range(60):  # 60 new rows: the first page is all changes to vendors now
            vendor = vendors[i % len(vendors)]
            vendor.notes = f"メモ {i}"
            vendor.save()
    after = queries(client, "/trail/")
    assert TrailEntry.objects.filter(organization=demo.org).count() > 100
    # Session, user, memberships, the count, the page of entries, the names they point to.
    assert len(after) <= 10, after
    # the count and the page of entries (with their actors): two queries, not one per row
    assert len(reading(after, "trail_trailentry")) == 2
    assert len(reading(after, "accounts_user")) == 1  # the signed-in user; the actors came with the rows
    # Before, the first page names records of more kinds (incidents, drills, actions …): one query
    # per kind of record named, however many rows name it (names of what they point to included).
    # Fixed: session, user, memberships, whether any user exists (setup), the count, the page, the
    # actors named.
    assert len(before) <= 7 + len(kinds_named(before)), before


def test_the_trail_changes_cell_is_escaped_and_reads_as_before(demo):
    client = demo.client()
    vendor = Vendor.objects.filter(organization=demo.org).first()
    with acting_as(Actor(user=demo.owner, via="web")):
        vendor.notes = '<script>alert("x")</script> & 山田'
        vendor.save()
    page = client.get("/trail/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 山田" in page
    # A change from a value to another: "label: before → after", as the template used to write it.
    assert "<div><strong>メモ</strong>: " in page and " → &lt;script&gt;" in page


def test_choice_labels_read_as_django_reads_them_in_each_language(demo):
    vendors = list(Vendor.objects.filter(organization=demo.org))
    status = Vendor._meta.get_field("status")
    for language in ("ja", "en"):
        with translation.override(language):
            for vendor in vendors:
                assert vendor.get_status_display() == models.Model._get_FIELD_display(vendor, status)
    vendor = vendors[0]
    with translation.override("ja"):
        japanese = vendor.get_status_display()
    with translation.override("en"):
        english = vendor.get_status_display()
    assert japanese != english  # the label follows the language of the request, not the first one
    vendor.status = "not-a-status"
    assert vendor.get_status_display() == "not-a-status"


def test_an_api_call_reads_the_token_and_its_membership_once(demo):
    from django.test import Client

    token = demo_token(demo)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    vendor = Vendor.objects.filter(organization=demo.org).first()
    sql = queries(client, f"/api/v1/vendors/{vendor.uuid}")
    assert len(reading(sql, "accounts_apitoken")) == 1
    assert len(reading(sql, "tenancy_membership")) == 1
    # The organization is read once, with the token, not again with the membership.
    assert sum('"tenancy_organization"."trail_head"' in q for q in sql) == 1


def demo_token(demo) -> str:
    from mamori.platform.accounts.actions import issue_token

    return issue_token(user=demo.owner, org=demo.org, name="test", actor=Actor(user=demo.owner, via="test"))[
        1
    ]


@pytest.mark.parametrize(("value", "expected"), [(None, 60), ("0", 0), ("600", 600)])
def test_sqlite_keeps_its_connection_between_requests(tmp_path, value, expected):
    """A new SQLite connection re-reads the schema and re-prepares every statement: each web thread
    keeps its connection (MAMORI_DB_CONN_MAX_AGE seconds, as on PostgreSQL)."""
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='mamori.settings';django.setup();"
        "from django.conf import settings as s;d=s.DATABASES['default'];print(d['ENGINE'], d['CONN_MAX_AGE'])"
    )
    env = {**os.environ, "MAMORI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("MAMORI_DB_CONN_MAX_AGE", None)
    if value is not None:
        env["MAMORI_DB_CONN_MAX_AGE"] = value
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["django.db.backends.sqlite3", str(expected)]
