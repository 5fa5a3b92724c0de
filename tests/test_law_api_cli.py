from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from mamori import cli

ROOT = Path(__file__).resolve().parent.parent
FACTS = {
    "aware_date": "2026-04-28",
    "breach_types": ["leak"],
    "individuals": 1200,
    "items": ["person_name", "email"],
    "cause": "misdirected_email",
}


def test_core_and_scanner_have_no_django_imports():
    paths = [*(ROOT / "mamori" / "core").rglob("*.py"), *(ROOT / "mamori" / "scan").rglob("*.py")]
    assert len(paths) > 8
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(n.startswith(("django", "ninja", "mamori.platform.tenancy")) for n in names), path


@pytest.mark.django_db
def test_assess_api_answers_in_the_contract(tenancy, client):
    token = tenancy.token(tenancy.colleague, tenancy.org)
    response = client.post(
        "/api/v1/assess", FACTS, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["reportable"] is True and body["grounds"] == ["over_1000"]
    assert body["preliminary_report"]["from"] == "2026-05-01" and body["final_report"]["due"] == "2026-05-27"
    assert len(body["report_items"]) == 9
    assert {
        "incident",
        "must_report",
        "must_notify",
        "exemptions",
        "reasons",
        "assumptions",
        "actions",
    } <= set(body)


@pytest.mark.django_db
def test_assess_api_rejects_bad_facts_with_reasons(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)
    response = client.post(
        "/api/v1/assess",
        {"aware_date": "soon", "cause": "hack"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.django_db
def test_estimate_api(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)
    response = client.post(
        "/api/v1/estimate",
        {"individuals": 1200, "items": ["person_name", "address", "phone", "credit_card"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200 and response.json()["jnsa"]["total"] == 93_600_000
    unauth = client.post("/api/v1/estimate", {"individuals": 1}, content_type="application/json")
    assert unauth.status_code == 401


def test_assess_cli_prints_the_contract(tmp_path, capsys):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    assert cli.main(["assess", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["final_report"] == {
        "days": 30,
        "due": "2026-05-27",
        "day_n": "2026-05-27",
        "moved_because": None,
        "citation": "個人情報保護法施行規則8条2項、ガイドライン（通則編）3-5-3-4（※2 行政機関の休日に関する法律2条）",
    }
    assert cli.main(["assess", str(path), "--format", "text"]) == 0
    assert "確報の期限: 2026-05-27（30日）" in capsys.readouterr().out


def test_assess_cli_bad_facts_exit_2(tmp_path, capsys):
    path = tmp_path / "facts.json"
    path.write_text('{"breach_types": "leak"}', encoding="utf-8")
    assert cli.main(["assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert "aware_date" in err and "breach_types" in err
    assert cli.main(["assess", str(tmp_path / "missing.json")]) == 2


def test_estimate_cli(capsys):
    assert (
        cli.main(["estimate", "--individuals", "1200", "--items", "person_name,address,phone,credit_card"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["jnsa"]["per_person"] == 78_000
    assert cli.main(["estimate", "--individuals", "5", "--items", "shoe_size"]) == 2
