"""Issue 13 (API and small things): every parameter is checked before it reaches the database, the
answers are 4xx with Japanese words (never a 500), and pages for a signed-in user are not cached."""

from __future__ import annotations

import pytest
from django.test import Client

from mamori.platform.trail.services import Actor
from tests import test_checksheets

pytestmark = pytest.mark.django_db
checkset = test_checksheets.setup  # the fixture of a sent check sheet

NOT_UUID = "not-a-uuid"
BIG = str(2**63)


@pytest.fixture
def api(demo):
    from mamori.platform.accounts.actions import issue_token

    token = issue_token(user=demo.owner, org=demo.org, name="test", actor=Actor(user=demo.owner, via="test"))[
        1
    ]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="ja")
    return client


def _is_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def _refused(response, status=422):
    assert response.status_code == status, (response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert _is_japanese(detail), detail
    assert "Error" not in detail and "Exception" not in detail


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/audits?vendor={NOT_UUID}",
        f"/api/v1/entrustments?vendor={NOT_UUID}",
        f"/api/v1/entrustments?data_asset={NOT_UUID}",
        f"/api/v1/contracts?vendor={NOT_UUID}",
        f"/api/v1/checksheets/assessments?vendor={NOT_UUID}",
    ],
)
def test_a_filter_that_is_not_a_uuid_is_refused(api, url):
    _refused(api.get(url))


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/vendors/{NOT_UUID}",
        f"/api/v1/incidents/{NOT_UUID}/tasks",
        f"/api/v1/checksheets/assessments/{NOT_UUID}",
    ],
)
def test_a_path_that_is_not_a_uuid_is_not_a_500(api, url):
    response = api.get(url)
    assert response.status_code in (404, 422), response.status_code
    assert _is_japanese(response.json()["detail"])


@pytest.mark.parametrize(
    "query",
    [
        f"limit={BIG}",
        f"offset={BIG}",
        "limit=-1",
        "offset=-1",
        "limit=0",
        "limit=501",
        f"offset={BIG}&limit={BIG}",
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/vendors", "/api/v1/checksheets/assessments"])
def test_limit_and_offset_out_of_range_are_refused(api, path, query):
    _refused(api.get(f"{path}?{query}"))


def test_limit_up_to_the_cap_is_accepted(api):
    response = api.get("/api/v1/vendors?limit=500&offset=0")
    assert response.status_code == 200
    assert set(response.json()) == {"items", "count"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/vendors?q=a%00b",
        "/api/v1/vendors?status=%00",
        "/api/v1/checksheets/assessments?state=x%00",
        "/api/v1/data-sets?special_care=%00",
    ],
)
def test_a_nul_character_in_a_query_is_refused(api, url):
    _refused(api.get(url))


def test_a_nul_character_in_a_page_query_is_a_400(demo):
    assert demo.client().get("/vendors/?q=a%00b").status_code == 400


def test_signed_in_pages_are_not_stored(demo):
    response = demo.client().get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_not_stored(api):
    assert "no-store" in api.get("/api/v1/vendors")["Cache-Control"]


def test_the_vendor_portal_is_not_stored(demo):
    from mamori.checksheets.models import Recipient

    r = next(r for r in Recipient.objects.filter(organization=demo.org) if r.usable)
    response = Client().get(f"/p/{r.token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in Client().get("/p/mmr_wrong_link/")["Cache-Control"]


@pytest.mark.parametrize("year", ["0", "10000", "abc", "-1", "99999999999999999999"])
def test_annual_report_with_an_impossible_year_is_a_400(demo, year):
    response = demo.client().get(f"/reports/annual/?year={year}")
    assert response.status_code == 400
    assert "1" in response.content.decode() and "9999" in response.content.decode()


def test_annual_report_with_a_vendor_that_is_not_a_uuid_is_a_404(demo):
    assert demo.client().get(f"/reports/annual/?year=2026&vendor={NOT_UUID}").status_code == 404


def test_a_mail_failure_is_shown_without_the_exception_name(checkset, settings):
    from mamori.checksheets.models import MailLog

    settings.MAMORI_DELIVERY_EMAIL_BACKEND = "tests.test_checksheets.BrokenBackend"
    test_checksheets.send_one(checkset)
    failed = MailLog.objects.get(recipient__email="hanako@vendor.example")
    assert failed.status == "failed" and "SMTP down" in failed.error
    assert "ConnectionRefusedError" not in failed.error


def test_a_portal_refusal_is_escaped():
    from mamori.checksheets.portal import refusal

    assert (
        refusal("<b>締め切り</b>").content.decode()
        == '<span class="save-error" role="alert">&lt;b&gt;締め切り&lt;/b&gt;</span>'
    )
