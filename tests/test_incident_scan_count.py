"""The scanner's count of a leaked file arrives as an estimate with its basis, and keyword-only
special-care hits never decide the verdict (GL 3-5-3-1: the maximum possible number; 規則7条1号, 4号)."""

from __future__ import annotations

import pytest

from mamori.incidents import actions
from mamori.incidents.models import Incident
from mamori.platform.trail.services import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(tenancy):
    response = tenancy.client(tenancy.owner).post(
        "/incidents/new/",
        {
            "title": "会員名簿の誤送信",
            "leak": "on",
            "cause": "misdirected_email",
            "caused_by": "self",
            "aware_on": "2026-04-28",
            "individuals_kind": "unknown",
            "role": "principal",
            "notices_sent": "0",
            "notices_returned": "0",
        },
    )
    assert response.status_code == 302
    return Incident.objects.latest("created_at")


def scan(incident, tenancy, summary):
    result = {"summary": {"rows": 0, "types": {}, "special_care": [], **summary}, "files": [{"error": None}]}
    actions.apply_scan_result(incident, "members.csv", "0" * 64, result, Actor(user=tenancy.owner))
    incident.refresh_from_db()
    return incident


def test_older_scanner_count_is_an_estimate_between_people_and_rows(incident, tenancy):
    """1,010 rows where couples share an e-mail: 990 distinct people, but up to 1,010 → 規則7条4号."""
    scan(incident, tenancy, {"rows": 1010, "individuals": 990, "types": {"person_name": 1010, "email": 990}})
    assert incident.individuals_kind == "range"
    assert (incident.individuals_min, incident.individuals_max) == (990, 1010)
    assert "確定値ではありません" in incident.individuals_basis
    a = incident.assessment
    assert a["verdict"]["code"] == "required" and a["grounds"] == ["over_1000"]


def test_newer_scanner_fields_are_read(incident, tenancy):
    scan(
        incident,
        tenancy,
        {
            "rows": 800,
            "individuals": 780,
            "individuals_exact": False,
            "individuals_range": [780, 820],
            "individuals_basis": "メールアドレスの重複を除いた数",
            "types": {"person_name": 800},
        },
    )
    assert (incident.individuals_kind, incident.individuals_max) == ("range", 820)
    assert incident.individuals_basis == "メールアドレスの重複を除いた数"
    assert incident.assessment["verdict"]["code"] == "not_required"


def test_keyword_special_care_waits_for_a_person(incident, tenancy):
    """規則7条1号: a keyword hit (要確認) holds the verdict; only a confirmed category is a ground."""
    scan(
        incident,
        tenancy,
        {
            "rows": 40,
            "individuals": 40,
            "individuals_exact": True,
            "types": {"person_name": 40},
            "special_care": [],
            "special_care_unconfirmed": ["medical_history"],
        },
    )
    assert incident.special_care == [] and incident.special_care_unconfirmed == ["medical_history"]
    assert incident.assessment["verdict"]["code"] == "pending"
    assert incident.assessment["grounds"] == []


def test_an_older_scanner_special_care_list_is_treated_as_to_be_confirmed(incident, tenancy):
    scan(incident, tenancy, {"rows": 5, "individuals": 5, "special_care": ["health_check"]})
    assert incident.special_care == [] and incident.special_care_unconfirmed == ["health_check"]
    assert incident.assessment["reportable"] is None


def test_a_running_scan_shows_progress_and_the_page_stays_usable(incident, tenancy):
    """The leaked file is read in the worker; the incident page shows it running and reloads when done."""
    from mamori.platform.web.models import FileJob

    job = FileJob.objects.create(
        organization=tenancy.org,
        kind=actions.SCAN_JOB,
        file_name="顧客リスト.csv",
        params={"incident": str(incident.uuid), "sha256": "0" * 64},
        user=tenancy.owner,
    )
    owner = tenancy.client(tenancy.owner)
    page = owner.get(f"/incidents/{incident.uuid}/").content.decode()
    assert 'id="scan-progress"' in page and "顧客リスト.csv" in page and 'id="verdict"' in page
    running = owner.get(f"/incidents/{incident.uuid}/scans/?was=1", HTTP_HX_REQUEST="true")
    assert 'id="scan-progress"' in running.content.decode()
    FileJob.objects.filter(pk=job.pk).update(state=FileJob.State.DONE)
    done = owner.get(f"/incidents/{incident.uuid}/scans/?was=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_the_scan_fragment_shows_how_much_of_the_file_has_been_read(incident, tenancy):
    """The worker copies the child's progress to the job: the polled fragment shows a real percentage."""
    from mamori.platform.web.models import FileJob

    job = FileJob.objects.create(
        organization=tenancy.org,
        kind=actions.SCAN_JOB,
        file_name="顧客リスト.csv",
        params={"incident": str(incident.uuid), "sha256": "0" * 64},
        user=tenancy.owner,
    )
    owner = tenancy.client(tenancy.owner)
    waiting = owner.get(f"/incidents/{incident.uuid}/scans/?was=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in waiting and "value=" not in waiting  # nothing read yet: indeterminate
    FileJob.objects.filter(pk=job.pk).update(progress=0.424)
    reading = owner.get(f"/incidents/{incident.uuid}/scans/?was=1", HTTP_HX_REQUEST="true").content.decode()
    assert 'max="100" value="42"' in reading and "42%" in reading
