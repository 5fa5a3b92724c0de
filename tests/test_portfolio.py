"""The law firm's portfolio (issue 17): one page across every organization the user belongs to, one
query per card whatever the number of clients, each row opening the client's page in its
organization."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mamori.audits.models import Finding
from mamori.checksheets.models import OPEN_STATES, Assessment
from mamori.incidents.models import Incident, Task
from mamori.platform.tenancy.models import Role
from mamori.vendors.models import Vendor
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def client_org(demo, name: str, overdue_by: int):
    """Another client of the firm, with one open incident whose report task is overdue."""
    org = OrganizationFactory(name=name)
    MembershipFactory(organization=org, user=demo.owner, role=Role.EDITOR)
    incident = Incident.objects.create(
        organization=org, title=f"{name}の誤送信", aware_on=timezone.localdate() - dt.timedelta(days=10)
    )
    Task.objects.create(
        organization=org,
        incident=incident,
        title="個人情報保護委員会への速報",
        due_on=timezone.localdate() - dt.timedelta(days=overdue_by),
    )
    Vendor.objects.create(organization=org, name=f"{name}の委託先", risk_rating="high", status="contracted")
    return org, incident


def page(demo):
    with CaptureQueriesContext(connection) as ctx:
        response = demo.client().get("/portfolio/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_one_page_across_the_clients_overdue_first(demo):
    _org_a, late = client_org(demo, "株式会社アルファ", overdue_by=30)
    html, _n = page(demo)
    assert "株式会社アルファ" in html and demo.org.name in html
    # the overdue incident of the other client comes before the demo's open incidents
    demo_open = Incident.objects.filter(organization=demo.org, state="open")
    assert late.title in html
    for incident in demo_open:
        assert html.index(late.title) < html.index(incident.title)
    assert "30日超過" in html
    # the figures are the organizations' own
    overdue = Assessment.objects.filter(
        organization=demo.org, state__in=OPEN_STATES, due_on__lt=demo.today
    ).count()
    findings = Finding.objects.filter(organization=demo.org, closed_on__isnull=True).count()
    section = html[html.index('id="portfolio-clients"') :]
    cells = section[section.index(f">{demo.org.name}<") :].split("</tr>")[0].split("</td>")
    assert overdue and findings  # the sample has both
    assert f">{overdue}<" in cells[2] and f">{findings}<" in cells[4]


def test_queries_do_not_grow_with_the_clients(demo):
    client_org(demo, "株式会社アルファ", overdue_by=1)
    _html, one = page(demo)
    for i in range(5):
        client_org(demo, f"株式会社ベータ{i}", overdue_by=i)
    _html, six = page(demo)
    assert six == one


def test_a_row_opens_the_clients_page_in_its_organization(demo):
    org_a, late = client_org(demo, "株式会社アルファ", overdue_by=3)
    client = demo.client()
    html = client.get("/portfolio/").content.decode()
    target = f"/portfolio/open/?org={org_a.uuid}&amp;next=%2Fincidents%2F{late.uuid}%2F"
    assert f'formaction="{target}"' in html
    response = client.post(f"/portfolio/open/?org={org_a.uuid}&next=/incidents/{late.uuid}/")
    assert response.status_code == 302 and response["Location"] == f"/incidents/{late.uuid}/"
    assert late.title in client.get(response["Location"]).content.decode()
    # never another site
    response = client.post(f"/portfolio/open/?org={org_a.uuid}&next=https://evil.example/")
    assert response["Location"] == "/"
    # nor an organization the user is not a member of
    other = OrganizationFactory(name="株式会社ガンマ")
    assert client.post(f"/portfolio/open/?org={other.uuid}&next=/").status_code == 404


def test_only_the_users_own_organizations(demo, tenancy):
    Incident.objects.create(organization=tenancy.other_org, title="他事務所の事案", aware_on=demo.today)
    html, _n = page(demo)
    assert "他事務所の事案" not in html and tenancy.other_org.name not in html
