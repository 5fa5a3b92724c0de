"""Issue 13 (API and small things): the OpenAPI document is complete (every error status of every
operation, every allowed value), API tokens do not write on every call, and no exported workbook
holds a live formula while an import keeps what the user typed."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from mamori.checksheets import actions
from mamori.checksheets.models import Template
from mamori.core.checksheets.structure import questions
from mamori.platform.accounts.models import ApiToken
from mamori.platform.api.api import api
from tests import test_checksheets
from tests.conftest import suite_now

checkset = test_checksheets.setup  # the fixture of a vendor and a template version

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def committed() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_committed_document_is_current():
    assert committed() == json.loads(json.dumps(api.get_openapi_schema())), (
        "docs/openapi.json is out of date: run `make openapi` and commit the result"
    )


def _operations(doc):
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_with_the_error_schema():
    doc = committed()
    error = {"$ref": "#/components/schemas/Error"}
    assert doc["components"]["schemas"]["Error"]["required"] == ["detail"]
    count = 0
    for path, method, operation in _operations(doc):
        responses = operation["responses"]
        assert any(code in responses for code in ("200", "201", "204")), (method, path)
        expected = {"400", "401", "403", "422", "429"}
        if "{" in path or "requestBody" in operation:
            expected.add("404")
        if "requestBody" in operation:
            expected.add("413")
        if method == "delete":
            expected.add("409")  # kept records: ended, not deleted
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error, (method, path, code)
        count += 1
    assert count >= 60
    review = doc["paths"]["/api/v1/checksheets/assessments/{uuid}/review"]["post"]["responses"]
    assert "409" in review


def _choice_names() -> set[str]:
    return {
        f.name
        for model in apps.get_models()
        if model.__module__.startswith("mamori.")
        for f in model._meta.get_fields()
        if getattr(f, "choices", None)
    }


def _has_enum(schema: dict, components: dict) -> bool:
    if "$ref" in schema:
        return _has_enum(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "enum" in schema or "const" in schema:
        return True
    if "items" in schema and _has_enum(schema["items"], components):
        return True
    return any(_has_enum(s, components) for s in schema.get("anyOf", []) if s.get("type") != "null")


# Properties named like a choices field that hold something else: an answer's value is whatever the
# question asks (a choice, text, a number, a date), not the answer library's はい／いいえ.
FREE_FORM = {("AnswerOut", "value")}


def test_every_choices_field_and_parameter_lists_its_values():
    """A property or parameter named like a model field with choices (status, state, role, kind,
    action…) lists its values, in bodies, answers and query or path parameters."""
    doc = committed()
    components = doc["components"]["schemas"]
    names = _choice_names()
    assert {"status", "state", "role", "action", "kind"} <= names
    missing, checked = [], 0
    for name, schema in components.items():
        for prop, sub in schema.get("properties", {}).items():
            if prop in names and (name, prop) not in FREE_FORM:
                checked += 1
                if not _has_enum(sub, components):
                    missing.append(f"{name}.{prop}")
    for path, method, operation in _operations(doc):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in names:
                checked += 1
                if not _has_enum(parameter["schema"], components):
                    missing.append(f"{method} {path} {parameter['name']}")
    assert checked > 30
    assert not missing, missing


def test_trail_and_timeline_entries_are_documented_apart():
    schemas = committed()["components"]["schemas"]
    assert "action" in schemas["TrailEntryOut"]["properties"]
    assert "kind" in schemas["TimelineEntryOut"]["properties"]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_400_in_japanese(tenancy):
    token = tenancy.token(tenancy.owner, tenancy.org)
    response = Client().post(
        "/api/v1/vendors", "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"] and "リクエスト" in response.json()["detail"]


# --- last_used_at -------------------------------------------------------------------------------


def _token_writes(queries) -> list[str]:
    table = ApiToken._meta.db_table
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE") and table in q["sql"]]


@pytest.mark.django_db
def test_last_used_at_is_written_at_most_every_five_minutes(tenancy):
    token = tenancy.token(tenancy.owner, tenancy.org)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    stored = ApiToken.objects.get(user=tenancy.owner)
    assert stored.last_used_at is None

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/me").status_code == 200
    assert len(_token_writes(first.captured_queries)) == 1
    stored.refresh_from_db()
    first_use = stored.last_used_at
    assert first_use is not None

    with time_machine.travel(suite_now() + dt.timedelta(minutes=4), tick=False):
        with CaptureQueriesContext(connection) as second:
            assert client.get("/api/v1/me").status_code == 200
        assert _token_writes(second.captured_queries) == []
    stored.refresh_from_db()
    assert stored.last_used_at == first_use

    later = suite_now() + dt.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        with CaptureQueriesContext(connection) as third:
            assert client.get("/api/v1/me").status_code == 200
        assert len(_token_writes(third.captured_queries)) == 1
    stored.refresh_from_db()
    assert stored.last_used_at == later


@pytest.mark.django_db
def test_the_write_is_conditional_so_a_stale_copy_does_not_write_twice(tenancy):
    """Two calls that both read an old value: the second UPDATE matches no row."""
    from mamori.platform.api.api import _note_use

    tenancy.token(tenancy.owner, tenancy.org)
    a = ApiToken.objects.get(user=tenancy.owner)
    b = ApiToken.objects.get(pk=a.pk)
    _note_use(a)
    stamped = ApiToken.objects.get(pk=a.pk).last_used_at
    with time_machine.travel(suite_now() + dt.timedelta(seconds=30), tick=False):
        _note_use(b)  # b still holds None
    assert ApiToken.objects.get(pk=a.pk).last_used_at == stamped


# --- formulas in exported workbooks -------------------------------------------------------------

FORMULA_TEXTS = ["=SUM(A1)", '=HYPERLINK("http://evil.example","x")', "-5 点", "+81 電話", "@担当"]


def _no_formula(content: bytes) -> list:
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return cells


def _upload(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for row in wb.active.iter_rows(min_row=2):
        for c in row:
            if c.data_type == "f":  # as Excel stores text typed with a leading quote
                c.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_template_export_has_no_formula_and_reimports_the_same_text(tenancy):
    staff = tenancy.client(tenancy.owner)
    rows = [actions.EXCEL_HEADERS]
    rows += [["基本", text, "自由記述", "0", "", "", "", f"ガイド {text}", ""] for text in FORMULA_TEXTS]
    rows.append(["=セクション", "普通の設問", "単一選択", "1", "", "", "=A|-B|通常", "", ""])
    response = staff.post(
        "/checksheets/templates/", {"name": "式シート", "file": SimpleUploadedFile("s.xlsx", _upload(rows))}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    template = Template.objects.get(name="式シート")
    imported = [(s["title"], q["text"], q.get("guidance")) for s, q in questions(template.current.structure)]
    # The import keeps what the user typed: no quote added, nothing stripped.
    assert [t for _s, t, _g in imported][: len(FORMULA_TEXTS)] == FORMULA_TEXTS
    assert imported[0][2] == "ガイド =SUM(A1)"
    assert imported[-1][0] == "=セクション"
    labels = [c["label"] for _s, q in questions(template.current.structure) for c in q.get("choices", [])]
    assert labels == ["=A", "-B", "通常"]

    exported = staff.get(f"/checksheets/templates/{template.uuid}/export.xlsx").content
    cells = _no_formula(exported)
    values = [c.value for c in cells]
    for text in FORMULA_TEXTS:
        assert text in values  # written as the text itself, as a string cell
        cell = next(c for c in cells if c.value == text)
        assert cell.data_type == "s" and cell.quotePrefix

    # Re-importing the exported file as a new version gives the same questions.
    response = staff.post(
        f"/checksheets/templates/{template.uuid}/", {"file": SimpleUploadedFile("again.xlsx", exported)}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    again = [(s["title"], q["text"], q.get("guidance")) for s, q in questions(template.current.structure)]
    assert template.current.number == 2 and again == imported

    csv_text = staff.get(f"/checksheets/templates/{template.uuid}/export.csv").content.decode("utf-8-sig")
    assert "'=SUM(A1)" in csv_text and "\n=SUM" not in csv_text and ",=SUM" not in csv_text


@pytest.mark.django_db
def test_the_vendor_answer_workbook_has_no_formula(checkset):
    assessment = test_checksheets.send_one(checkset)
    question = assessment.version.structure["sections"][0]["questions"][0]
    question["text"] = "=1+1 を確認していますか"  # in memory: the workbook reads the version's structure
    cells = _no_formula(actions.answers_workbook(assessment))
    assert "=1+1 を確認していますか" in [c.value for c in cells]


@pytest.mark.django_db
def test_list_exports_write_formula_text_as_text(tenancy):
    from mamori.vendors.models import Vendor

    Vendor.objects.create(organization=tenancy.org, name='=HYPERLINK("http://x")')
    staff = tenancy.client(tenancy.owner)
    cells = _no_formula(staff.get("/vendors/export.xlsx").content)
    assert '=HYPERLINK("http://x")' in [c.value for c in cells]
    csv_text = staff.get("/vendors/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


# --- errors outside the API's own handlers are JSON too ------------------------------------------


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(tenancy):
    token = tenancy.token(tenancy.owner, tenancy.org)
    response = Client().get("/api/v1/no-such-thing/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "/api/v1/docs" in response.json()["detail"]
    assert "text/html" in Client().get("/no-such-page/")["Content-Type"]  # pages keep their page


@pytest.mark.django_db
def test_a_too_large_api_body_is_a_json_413(tenancy, settings):
    token = tenancy.token(tenancy.owner, tenancy.org)
    too_large = settings.MAMORI_MAX_UPLOAD_BYTES + 2 * 2**20
    response = Client().post(
        "/api/v1/vendors",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH=str(too_large),
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "MB" in response.json()["detail"]
