"""Every fact the engine takes goes through the incident form, the incident API and `mamori assess`
with the same names and gives the same assessment (the same JSON shape)."""

from __future__ import annotations

import json

import pytest

from mamori import cli
from mamori.incidents.models import Incident

pytestmark = pytest.mark.django_db

# A vendor's PC infected with malware (規則7条3号), a range of people (GL 3-5-3-1: maximum), My Numbers
# of 150 people (特定個人情報漏えい等報告規則2条2号・4号), and us as the vendor who told the principal (規則9条).
CASES = [
    {
        "aware_date": "2026-04-28",
        "occurred_date": "2026-04-20",
        "discovered_date": "2026-04-27",
        "breach_types": ["leak"],
        "suspected": True,
        "cause": "malware",
        "caused_by": "vendor",
        "improper_purpose": "yes",
        "financial_damage_risk": "no",
        "individuals_kind": "range",
        "individuals_min": 990,
        "individuals_max": 1010,
        "individuals_basis": "行数と重複メールアドレスから推計",
        "items": ["person_name", "email", "my_number"],
        "special_care_unconfirmed": ["medical_history"],
        "publicly_viewable": "no",
        "my_number_system": "no",
    },
    {
        "aware_date": "2026-04-06",
        "breach_types": ["leak"],
        "cause": "misdirected_mail",
        "caused_by": "self",
        "improper_purpose": "no",
        "financial_damage_risk": "unknown",
        "individuals": 150,
        "individuals_kind": "exact",
        "items": ["person_name", "address", "my_number"],
        "role": "vendor",
        "principal_notified_on": "2026-04-08",
    },
    {
        "aware_date": "2026-11-20",
        "breach_types": ["leak", "damage"],
        "cause": "other",
        "improper_purpose": "unknown",
        "individuals_kind": "unknown",
        "items": ["person_name", "phone"],
    },
]

FORM_NAMES = {"aware_date": "aware_on", "occurred_date": "occurred_on", "discovered_date": "discovered_on"}


def form_data(facts: dict) -> dict:
    data = {"title": "パリティ確認", "notices_sent": "0", "notices_returned": "0", "role": "principal"}
    for key, value in facts.items():
        if key == "breach_types":
            data.update({k: "on" for k in value})
        elif key in ("items", "special_care", "special_care_unconfirmed"):
            data[key] = value
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[FORM_NAMES.get(key, key)] = str(value)
    if data.get("role") == "vendor" and "principal_notified_on" in data:
        data["vendor_notified_principal"] = "on"
    return data


def cli_assess(tmp_path, capsys, facts: dict) -> dict:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps({**facts, "vendor_notified_principal": "principal_notified_on" in facts}))
    assert cli.main(["assess", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def comparable(result: dict) -> dict:
    # The assumptions mention which facts were left to inference; the rest must be identical.
    return {k: v for k, v in result.items() if k != "assumptions"}


@pytest.mark.parametrize("facts", CASES, ids=["vendor_malware_range", "vendor_my_number", "unknowns"])
def test_form_api_and_cli_agree(tenancy, client, tmp_path, capsys, facts):
    expected = cli_assess(tmp_path, capsys, facts)

    token = tenancy.token(tenancy.owner, tenancy.org)
    payload = {"title": "パリティ確認", **facts}
    if "principal_notified_on" in facts:
        payload["vendor_notified_principal"] = True
    created = client.post(
        "/api/v1/incidents", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert created.status_code == 201, created.json()
    assert comparable(created.json()["assessment"]) == comparable(expected)

    page = tenancy.client(tenancy.owner)
    response = page.post("/incidents/new/", form_data(facts))
    assert response.status_code == 302, response.context["form"].errors
    incident = Incident.objects.latest("created_at")
    assert comparable(incident.assessment) == comparable(expected)
    assert set(incident.assessment) == set(expected)  # one JSON shape


def test_the_engine_names_patch_an_incident(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    body = client.post(
        "/api/v1/incidents", {"title": "不明", "aware_date": "2026-04-28", "cause": "other"}, **auth
    ).json()
    assert body["assessment"]["verdict"]["code"] == "pending"
    patched = client.patch(
        f"/api/v1/incidents/{body['uuid']}", {"improper_purpose": True, "individuals": 20}, **auth
    ).json()
    assert patched["assessment"]["verdict"]["code"] == "required"
    assert patched["assessment"]["final_report"]["days"] == 60  # 規則8条2項: 3号 → 60 days


def test_impossible_dates_are_refused_in_japanese_with_the_field(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)
    response = client.post(
        "/api/v1/incidents",
        {"title": "日付", "aware_date": "2026-04-20", "occurred_date": "2026-04-25", "cause": "loss"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert "発生日" in json.dumps(response.json(), ensure_ascii=False)
    assert "aware_on" in json.dumps(response.json())
    page = tenancy.client(tenancy.owner).post(
        "/incidents/new/",
        form_data({"aware_date": _in_a_month(), "breach_types": ["leak"], "cause": "loss"}),
    )
    assert page.status_code == 200
    assert "未来の日付" in str(page.context["form"].errors["aware_on"])


def _in_a_month() -> str:
    """A date in the future of the suite's frozen clock."""
    import datetime as dt

    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=29)).isoformat()
