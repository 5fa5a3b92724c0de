"""The vendor rating (mamori.risk) is told by named events: each one rates the vendors again, as
the actor it names; the apps send them from their actions and never import each other's actions."""

from __future__ import annotations

import ast
import datetime as dt
import pathlib

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mamori.audits.events import finding_changed
from mamori.audits.models import Audit, CorrectiveAction, Finding
from mamori.checksheets import actions as checksheets
from mamori.checksheets.models import Template
from mamori.core.checksheets.structure import questions
from mamori.incidents.models import Incident
from mamori.platform.actor import Actor
from mamori.platform.events import Event
from mamori.platform.trail.models import TrailEntry
from mamori.risk import rating
from mamori.vendors.models import Vendor, VendorContact
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every rating event sent during the test: (name, arguments)."""
    told = []

    def listen(sender, signal, **named):
        told.append((signal.name, named))

    for event in rating.INPUTS:
        event.connect(listen, weak=False, dispatch_uid=f"test-{event.name}")
    yield told
    for event in rating.INPUTS:
        event.disconnect(dispatch_uid=f"test-{event.name}")


def stored(vendor: Vendor) -> dict:
    return Vendor.objects.filter(pk=vendor.pk).values(*rating.RATING_FIELDS).get()


def is_current(vendor: Vendor) -> bool:
    """The stored rating is what the inputs give now: rating again changes nothing."""
    before = stored(vendor)
    rating.refresh_vendor_rating(Vendor.objects.get(pk=vendor.pk), Actor(user=None, via="test"))
    return stored(vendor) == before


def edit(client, url: str, **changes) -> None:
    """Open the edit page, change some fields, post the form back as a browser would."""
    page = lxml.html.fromstring(client.get(url).content.decode())
    form = next(f for f in page.forms if f.method.lower() == "post" and not f.get("action"))
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def counts_now(incident: Incident) -> int:
    """1 when the incident counts in its vendor's rating today (aware within the past year)."""
    return int(incident.aware_on >= timezone.localdate() - rating.INCIDENT_WINDOW)


def rated_vendor(demo) -> Vendor:
    return Vendor.objects.filter(organization=demo.org).exclude(control_rating="").order_by("pk").first()


def test_each_rating_event_rates_the_vendors_again_as_its_actor(demo):
    vendor = rated_vendor(demo)
    rated = stored(vendor)
    assert rated["risk_rating"] and rated["control_rating"]
    for event in rating.INPUTS:
        Vendor.objects.filter(pk=vendor.pk).update(
            control_score=None, control_rating="", risk_rating="", risk_explanation=""
        )
        subject = {name: None for name in event.arguments - {"organization", "vendors", "actor"}}
        event.send(None, organization=demo.org, vendors=[vendor], actor=Actor(user=demo.editor), **subject)
        assert stored(vendor) == rated, event.name
        entry = TrailEntry.objects.filter(organization=demo.org, object_type="vendors.vendor").latest("seq")
        assert entry.actor == demo.editor and "risk_rating" in entry.changes, event.name


def test_an_event_names_its_arguments():
    with pytest.raises(TypeError, match=r"missing.*actor"):
        finding_changed.send(Finding, organization=None, vendors=[])
    with pytest.raises(TypeError, match=r"not declared.*finding"):
        finding_changed.send(Finding, organization=None, vendors=[], actor=None, finding=None)
    assert isinstance(finding_changed, Event) and finding_changed.name == "finding_changed"


def test_a_vendor_of_another_organization_is_refused(tenancy):
    stranger = Vendor.objects.create(organization=OrganizationFactory(), name="他社の委託先")
    with pytest.raises(ValueError, match="not in organization"):
        finding_changed.send(Finding, organization=tenancy.org, vendors=[stranger], actor=Actor(user=None))


def test_submitting_and_reviewing_a_check_sheet_tell_the_rating(demo, heard):
    vendor = Vendor.objects.filter(organization=demo.org).exclude(status="ended").order_by("pk").last()
    VendorContact.objects.create(organization=demo.org, vendor=vendor, name="担当", email="t@vendor.example")
    version = Template.objects.get(organization=demo.org, builtin_key="short").current
    [a] = checksheets.send(
        org=demo.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=30),
        actor=Actor(user=demo.editor),
        contacts={vendor.pk: list(vendor.contacts.filter(email="t@vendor.example"))},
    )
    r = a.recipients.get()
    for _s, q in questions(version.structure):
        checksheets.save_answer(r, q["key"], value="yes")
    checksheets.submit(r)
    a.refresh_from_db()
    [(name, told)] = heard
    assert name == "answers_scored" and told["vendors"] == [vendor] and told["assessment"] == a
    assert told["actor"].via == "portal" and told["actor"].name == "t@vendor.example"
    assert stored(vendor)["control_rating"] and is_current(vendor)

    checksheets.review(
        a, approve=False, comments={"": "根拠資料を添付してください"}, actor=Actor(user=demo.editor)
    )
    name, told = heard[-1]
    assert name == "assessment_reviewed" and told["vendors"] == [vendor] and told["actor"].user == demo.editor
    assert is_current(vendor)


def test_findings_opened_and_closed_tell_the_rating(demo, heard):
    vendor = rated_vendor(demo)
    client = demo.client(demo.editor)
    audit = Audit.objects.create(organization=demo.org, vendor=vendor, performed_on=timezone.localdate())
    score = stored(vendor)["control_score"]
    response = client.post(
        "/audits/findings/new/",
        {"audit": str(audit.uuid), "severity": "high", "description": "入退室記録がない"},
    )
    assert response.status_code == 302
    assert [name for name, _told in heard] == ["finding_changed"]
    assert heard[0][1]["vendors"] == [vendor] and heard[0][1]["actor"].user == demo.editor
    assert stored(vendor)["control_score"] == pytest.approx(max(0.0, score - 10)) and is_current(vendor)

    finding = Finding.objects.get(audit=audit)
    action = CorrectiveAction.objects.create(
        organization=demo.org, finding=finding, what="入退室管理簿を導入", due_on=timezone.localdate()
    )
    edit(
        client,
        f"/audits/actions/{action.uuid}/edit/",
        status="done",
        done_on=timezone.localdate().isoformat(),
        closing_evidence="管理簿の写し",
    )
    finding.refresh_from_db()
    assert finding.closed_on is not None and heard[-1][0] == "finding_changed"
    assert stored(vendor)["control_score"] == pytest.approx(score) and is_current(vendor)


def test_an_incident_edit_that_keeps_its_vendor_and_date_does_not_rate_again(demo, heard):
    incident = Incident.objects.filter(organization=demo.org, vendor__isnull=False).first()
    client = demo.client(demo.editor)
    url = f"/incidents/{incident.uuid}/edit/"
    with CaptureQueriesContext(connection) as queries:
        edit(client, url, description=incident.description + "（追記）")
    assert heard == [] and not any("checksheets_assessment" in q["sql"] for q in queries.captured_queries)
    assert is_current(incident.vendor)


def test_an_incident_moved_to_another_vendor_rates_both(demo, heard):
    incident = Incident.objects.filter(organization=demo.org, vendor__isnull=False).first()
    before = incident.vendor
    after = (
        Vendor.objects.filter(organization=demo.org, incidents__isnull=True).exclude(status="ended").first()
    )
    assert not rating.recent_incidents(after)
    recent, counted = rating.recent_incidents(before), counts_now(incident)
    today = timezone.localdate().isoformat()
    edit(
        demo.client(demo.editor), f"/incidents/{incident.uuid}/edit/", vendor=str(after.uuid), aware_on=today
    )
    [(name, told)] = heard
    assert name == "incident_vendor_linked" and told["incident"] == incident
    assert set(told["vendors"]) == {before, after} and told["actor"].user == demo.editor
    assert rating.recent_incidents(before) == recent - counted and rating.recent_incidents(after) == 1
    assert is_current(before) and is_current(after)
    assert "漏えい等事案が過去1年に1件" in stored(after)["risk_explanation"]


def test_an_incident_linked_unlinked_or_redated_rates_its_vendor(demo, heard):
    incident = Incident.objects.filter(organization=demo.org, vendor__isnull=False).first()
    vendor, client, url = incident.vendor, demo.client(demo.editor), f"/incidents/{incident.uuid}/edit/"
    original = stored(vendor)
    # The dates move together: awareness before occurrence is refused (impossible dates).
    earlier = {
        name: (getattr(incident, name) - dt.timedelta(days=400)).isoformat()
        for name in ("aware_on", "occurred_on", "discovered_on")
    }
    edit(client, url, **earlier)
    assert [(n, t["vendors"]) for n, t in heard] == [("incident_vendor_linked", [vendor])]
    assert is_current(vendor)
    edit(client, url, vendor="")
    assert heard[-1][1]["vendors"] == [vendor] and is_current(vendor)
    edit(
        client,
        url,
        vendor=str(vendor.uuid),
        **{
            name: getattr(incident, name).isoformat() for name in ("aware_on", "occurred_on", "discovered_on")
        },
    )
    assert heard[-1][1]["vendors"] == [vendor] and len(heard) == 3 and is_current(vendor)
    assert stored(vendor) == original


def test_a_vendor_edit_tells_the_rating_its_tier(demo, heard):
    vendor = rated_vendor(demo)
    edit(demo.client(demo.editor), f"/vendors/{vendor.uuid}/edit/", notes="追記")
    [(name, told)] = heard
    assert name == "tier_assessed" and told["vendors"] == [vendor] and told["actor"].user == demo.editor
    assert is_current(vendor)


# --- The order of the domain apps -----------------------------------------------------------------

ORDER = {"ledger": 0, "vendors": 1, "checksheets": 2, "incidents": 2, "audits": 3, "risk": 4, "demo": 5}


def test_domain_apps_import_only_apps_below_them():
    """demo > risk > audits > checksheets, incidents (not each other) > vendors > ledger > platform."""
    root = pathlib.Path(__file__).resolve().parent.parent / "mamori"
    wrong = []
    for app, rank in ORDER.items():
        if app == "ledger":
            continue  # the ledger's own page reaches into vendors, for now
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    target = parts[1] if parts[0] == "mamori" and len(parts) > 1 else None
                    if target in ORDER and target != app and ORDER[target] >= rank:
                        wrong.append(f"{path.relative_to(root)}:{node.lineno} imports {name}")
    assert wrong == []
