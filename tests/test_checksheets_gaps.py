"""Check sheets in real life, the gaps left open: deadlines through the API, the requester's mail in
the mail log, 中項目/No. shown to the vendor, conditional questions in Excel, confirming pre-filled
answers at once, the company's own answer symbols on the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, MailLog, State
from mamori.platform.trail.services import Actor
from tests.test_checksheets import send_one, setup  # noqa: F401  (the fixture)
from tests.test_checksheets_real_life import answer_all

pytestmark = pytest.mark.django_db


def api(tenancy, user=None, org=None):
    token = tenancy.token(user or tenancy.owner, org or tenancy.org)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- 1. Deadlines and the open-sheet warning through the API ------------------------------------


def test_api_extends_the_due_date_of_an_expired_sheet(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup, due_days=1)
    r = a.recipients.get(email="hanako@vendor.example")
    Assessment.objects.filter(pk=a.pk).update(state=State.EXPIRED)
    new_due = timezone.localdate() + dt.timedelta(days=45)
    response = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/due",
        {"due_on": new_due.isoformat()},
        content_type="application/json",
        **api(tenancy),
    )
    assert response.status_code == 200, response.content
    assert response.json()["due_on"] == new_due.isoformat() and response.json()["state"] == "sent"
    r.refresh_from_db()
    assert r.expires_at.date() > new_due
    # A date in the past is a bad field (422, in Japanese); a submitted sheet is refused (409).
    past = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/due",
        {"due_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
        content_type="application/json",
        **api(tenancy),
    )
    assert past.status_code == 422 and "過去" in past.json()["detail"]
    answer_all(r)
    actions.submit(r)
    refused = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/due",
        {"due_on": new_due.isoformat()},
        content_type="application/json",
        **api(tenancy),
    )
    assert refused.status_code == 409 and "期限を延長" in refused.json()["detail"]


def test_api_reopens_an_approved_sheet_as_a_new_round(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    new_due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    early = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/reopen",
        {"due_on": new_due},
        content_type="application/json",
        **api(tenancy),
    )
    assert early.status_code == 409 and "再開" in early.json()["detail"]  # still open: nothing to reopen
    answer_all(r)
    actions.submit(r)
    a.refresh_from_db()
    actions.review(a, approve=True, comments={}, actor=Actor(user=tenancy.owner))
    response = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/reopen",
        {"due_on": new_due},
        content_type="application/json",
        **api(tenancy),
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "returned"
    a.refresh_from_db()
    assert a.round == 2 and a.submissions.count() == 1  # the first round is kept
    viewer = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/reopen",
        {"due_on": new_due},
        content_type="application/json",
        **api(tenancy, tenancy.colleague),
    )
    assert viewer.status_code == 403


def test_api_reminds_every_overdue_sheet(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    Assessment.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    mail.outbox.clear()
    response = client.post("/api/v1/checksheets/assessments/remind-overdue", **api(tenancy))
    assert response.status_code == 200, response.content
    assert response.json() == {"sheets": 1, "mails": 1}
    assert [m.to for m in mail.outbox] == [["hanako@vendor.example"]]
    assert MailLog.objects.filter(assessment=a, kind="overdue").count() == 1
    # Another organization's call reminds none of these.
    mail.outbox.clear()
    other = client.post(
        "/api/v1/checksheets/assessments/remind-overdue", **api(tenancy, tenancy.outsider, tenancy.other_org)
    )
    assert other.json() == {"sheets": 0, "mails": 0} and mail.outbox == []


def test_api_refuses_another_organization_s_sheet(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup, due_days=1)
    Assessment.objects.filter(pk=a.pk).update(state=State.EXPIRED)
    outsider = api(tenancy, tenancy.outsider, tenancy.other_org)
    new_due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    for op in ("due", "reopen"):
        response = client.post(
            f"/api/v1/checksheets/assessments/{a.uuid}/{op}",
            {"due_on": new_due},
            content_type="application/json",
            **outsider,
        )
        assert response.status_code == 404, op
    a.refresh_from_db()
    assert a.state == State.EXPIRED and a.due_on < timezone.localdate() + dt.timedelta(days=2)


def test_api_warns_before_sending_to_a_vendor_with_an_open_sheet(setup, client):  # noqa: F811
    tenancy, vendor, version = setup
    send_one(setup)
    body = {
        "template": str(version.template.uuid),
        "vendors": [str(vendor.uuid)],
        "due_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
    }
    refused = client.post(
        "/api/v1/checksheets/assessments", body, content_type="application/json", **api(tenancy)
    )
    assert refused.status_code == 409 and "株式会社発送代行" in refused.json()["detail"]
    assert Assessment.objects.filter(vendor=vendor).count() == 1
    sent = client.post(
        "/api/v1/checksheets/assessments",
        {**body, "confirm_open": True},
        content_type="application/json",
        **api(tenancy),
    )
    assert sent.status_code == 201
    assert Assessment.objects.filter(vendor=vendor).count() == 2


def test_the_new_routes_are_documented_with_their_refusals(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for path in (
        "/api/v1/checksheets/assessments/{uuid}/due",
        "/api/v1/checksheets/assessments/{uuid}/reopen",
    ):
        assert {"200", "404", "409", "422"} <= set(paths[path]["post"]["responses"]), path
    assert "409" in paths["/api/v1/checksheets/assessments"]["post"]["responses"]
    assert "200" in paths["/api/v1/checksheets/assessments/remind-overdue"]["post"]["responses"]


# --- 2. The requester's mail goes through the mail log ------------------------------------------


def test_the_requester_s_mail_is_in_the_mail_log_and_sent_once(setup):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r)
    mail.outbox.clear()
    actions.submit(r)
    [logged] = MailLog.objects.filter(assessment=a, kind="submitted")
    assert logged.address == tenancy.owner.email and logged.recipient is None
    assert logged.status == "sent" and logged.sent_at is not None
    told = [m for m in mail.outbox if tenancy.owner.email in m.to]
    assert len(told) == 1
    assert "提出" in told[0].subject and "株式会社発送代行" in told[0].subject
    assert f"/checksheets/{a.uuid}/" in told[0].body
    # Delivered once: the queued task run again sends nothing more.
    assert actions.deliver_mail.call(logged.id) == "skipped"
    assert len([m for m in mail.outbox if tenancy.owner.email in m.to]) == 1
    # The staff page lists it in the sheet's mail log, to the requester's address.
    page = tenancy.client(tenancy.owner).get(f"/checksheets/{a.uuid}/").content.decode()
    log = page.split('id="mail-log"', 1)[1].split("</table>", 1)[0]
    assert tenancy.owner.email in log and "提出（依頼者へ）" in log
