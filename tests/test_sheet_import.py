"""Importing the check sheet a company already has (issue 16, part 1): the messy workbook of
tests/company_sheet.py — a cover sheet, three title rows, 大項目 merged, ○/△/×/－ dropdowns, a hidden
helper column, a subtotal, a hidden row and a footer — gives its 19 questions with their sections,
weights, choices and required flags, through the page (upload, preview and mapping, confirm) and
through the API (preview saves nothing, import saves all or nothing)."""

from __future__ import annotations

import io
import json
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from mamori.checksheets import actions
from mamori.checksheets.models import Template
from mamori.core.checksheets import builtin, sheet_import
from mamori.core.checksheets.structure import questions
from mamori.platform.sheet_reader import read_workbook
from tests.company_sheet import EXPECTED, HEADER_ROW, QUESTION_COUNT, SHEET_NAME, company_workbook

YNP = [("はい", 1.0), ("一部", 0.5), ("いいえ", 0.0), ("該当なし", None)]


def book_of(data: bytes, name: str = "sheet.xlsx") -> dict:
    with tempfile.NamedTemporaryFile(suffix="." + name.rsplit(".", 1)[-1]) as handle:
        handle.write(data)
        handle.flush()
        return read_workbook(handle.name, name, 5000)


def saved_of(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def assert_company_questions(sections: list[dict]) -> None:
    """``sections`` as the preview answers them (title, questions with text, weight, choices …)."""
    assert [s["title"] for s in sections] == [title for title, _rows in EXPECTED]
    for section, (_title, rows) in zip(sections, EXPECTED, strict=True):
        got = [(q["text"], q["weight"], q["guidance"], q["subsection"]) for q in section["questions"]]
        assert got == rows
        for q in section["questions"]:
            assert q["type"] == "ynp" and q["required"] is True
            assert [(c["label"], c["score"]) for c in q["choices"]] == YNP


# --- The pure core ----------------------------------------------------------------------------


def test_the_company_sheet_is_found_as_it_is():
    p = sheet_import.preview(book_of(company_workbook()))
    assert p.sheet == SHEET_NAME  # not the cover sheet
    assert [s["name"] for s in p.sheets if s["proposed"]] == [SHEET_NAME]
    assert p.header_row == HEADER_ROW  # under three title rows
    # 配点 is column F; the hidden helper column G (「点数（計算用）」) is never chosen by itself
    assert p.mapping_letters() == {
        "section": "A",
        "subsection": "B",
        "number": "C",
        "question": "D",
        "answer": "E",
        "weight": "F",
        "guidance": "H",
    }
    assert p.errors == [] and p.question_count == QUESTION_COUNT == 19
    skipped = {(i.code, i.row) for i in p.skipped}
    assert {code for code, _r in skipped} == {"subtotal", "hidden", "footer"}
    texts = [q["text"] for _s, q in questions(p.structure)]
    assert not any("廃止" in t or t in ("小計", "合計") for t in texts)
    structure = sheet_import.saved_structure(p.structure)
    sections = [
        {
            "title": s["title"],
            "questions": [
                {
                    **q,
                    "choices": [{"label": label, "score": score} for label, score in YNP]
                    if q["type"] == "ynp" and q["allow_na"]
                    else [],
                }
                for q in s["questions"]
            ],
        }
        for s in structure["sections"]
    ]
    assert_company_questions(sections)
    assert all("row" not in q for _s, q in questions(structure))
    assert [q["number"] for _s, q in questions(structure)] == [str(n) for n in range(1, 20)]


def test_yes_no_lists_from_another_sheet_a_required_column_and_a_legend():
    wb = Workbook()
    ws = wb.active
    ws.title = "設問"
    lists = wb.create_sheet("リスト")
    lists.sheet_state = "hidden"
    for i, value in enumerate(["適", "否"], start=1):
        lists.cell(row=i, column=1, value=value)
    ws.append(["回答欄は ○：実施 ×：未実施 －：該当なし"])
    ws.append(["カテゴリ", "チェック項目", "回答欄", "点数", "必須", "重要", "補足"])
    ws.append(["体制", "責任者を定めていますか。", "", "2点", "○", "○", "責任者名"])
    ws.append(["", "規程がありますか。", "", "１", "", "", ""])
    ws.append(["教育", "研修をしていますか。", "", "", "○", "", ""])
    dv = DataValidation(type="list", formula1="'リスト'!$A$1:$A$2")
    ws.add_data_validation(dv)
    dv.add("C3:C4")
    p = sheet_import.preview(book_of(saved_of(wb)))
    assert p.sheet == "設問" and p.header_row == 2 and p.errors == []
    q1, q2, q3 = [q for _s, q in questions(p.structure)]
    # 適/否 from the dropdown's list on a hidden sheet: scored choices, in the company's words
    assert q1["type"] == "single" and [(c["label"], c["score"]) for c in q1["choices"]] == [
        ("適", 1.0),
        ("否", 0.0),
    ]
    assert (q1["weight"], q2["weight"], q3["weight"]) == (2.0, 1.0, 1.0)
    assert q2["type"] == "single"  # C4 is in the dropdown too
    # no dropdown on C5: the column's dropdown still says what is asked
    assert q3["type"] == "single" and len(q3["choices"]) == 2
    # a 必須 column marking the required ones with ○: blank is optional
    assert (q1["required"], q2["required"], q3["required"]) == (True, False, True)
    assert (q1["critical"], q2["critical"]) == (True, False)
    assert q1["guidance"] == "責任者名" and [s["title"] for s in p.structure["sections"]] == ["体制", "教育"]


def test_a_legend_gives_the_choices_when_there_is_no_dropdown():
    wb = Workbook()
    wb.active.append(["委託先チェックリスト"])
    wb.active.append(["凡例　○：実施している　×：実施していない　－：該当なし"])
    wb.active.append(["質問", "回答", "配点"])
    wb.active.append(["アクセス権限を管理していますか。", "", 3])
    wb.active.append(["合計", "", "=SUM(C4:C4)"])
    p = sheet_import.preview(book_of(saved_of(wb)))
    [q] = [q for _s, q in questions(p.structure)]
    assert (q["type"], q["allow_na"], q["weight"], q["required"]) == ("ynp", True, 3.0, True)


def test_the_user_mapping_wins_and_a_missing_question_column_is_said():
    book = book_of(company_workbook())
    p = sheet_import.preview(book, sheet=SHEET_NAME, header_row=HEADER_ROW, mapping={"section": 0})
    assert p.errors and p.errors[0].code == "no_question_column" and p.question_count == 0
    p = sheet_import.preview(book, mapping={"section": 1, "question": 3, "weight": 6})
    assert [s["title"] for s in p.structure["sections"]][:2] == ["規程", "体制"]  # 中項目 as the section
    assert all(q["weight"] == 1.0 for _s, q in questions(p.structure))  # G (empty helper) has no weights
    cover_only = sheet_import.preview(book, sheet="表紙")
    assert cover_only.errors[0].code == "no_header"


def test_mamori_s_own_export_imports_back_the_same():
    structure = builtin.BUILTIN["short"][2]()
    wb = Workbook()
    wb.active.append(actions.EXCEL_HEADERS)
    for row in actions.structure_rows(structure):
        wb.active.append(row)
    p = sheet_import.preview(book_of(saved_of(wb)))
    assert p.errors == []
    before = [
        (s["title"], q["key"], q["text"], q["type"], float(q["weight"]), q["required"], q["critical"])
        for s, q in questions(structure)
    ]
    after = [
        (s["title"], q["key"], q["text"], q["type"], q["weight"], q["required"], q["critical"])
        for s, q in questions(p.structure)
    ]
    assert after == before


@pytest.mark.parametrize(
    ("shown", "labels", "expected"),
    [
        ("○", ["はい", "一部", "いいえ"], "はい"),
        ("△", ["はい", "一部", "いいえ"], "一部"),
        ("×", ["はい", "一部", "いいえ"], "いいえ"),
        ("－", ["はい", "一部", "いいえ"], "該当なし"),
        ("はい", ["○", "×"], "○"),
        ("Yes", ["適", "否"], "適"),
        ("たぶん", ["はい", "いいえ"], "たぶん"),
    ],
)
def test_answer_symbols_are_understood(shown, labels, expected):
    assert sheet_import.answer_alias(shown, labels, allow_na=True) == expected


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_preview_mapping_and_confirm_on_the_pages(tenancy):
    staff = tenancy.client(tenancy.owner)
    response = staff.post(
        "/checksheets/templates/import/",
        {"name": "取引先チェック", "file": SimpleUploadedFile("自社シート.xlsx", company_workbook())},
    )
    assert response.status_code == 302 and response["Location"].endswith("/import/preview/")
    page = staff.get("/checksheets/templates/import/preview/")
    html = page.content.decode()
    assert page.context["p"]["question_count"] == 19 and "19 問を取り込む" in html
    assert "個人情報の取扱規程を定め、従業者に周知していますか。" in html
    assert not Template.objects.filter(organization=tenancy.org, name="取引先チェック").exists()
    assert_company_questions(page.context["p"]["sections"])

    # The user maps 備考 away and confirms: guidance is then empty, the rest as detected.
    form = {
        "sheet": SHEET_NAME,
        "header_row": str(HEADER_ROW),
        "mapped_sheet": SHEET_NAME,
        "mapped_header": str(HEADER_ROW),
        "name": "取引先チェック",
        **{f"col_{f}": str(c) for f, c in [("section", 0), ("subsection", 1), ("number", 2)]},
        **{f"col_{f}": str(c) for f, c in [("question", 3), ("answer", 4), ("weight", 5)]},
        "col_guidance": "",
    }
    refreshed = staff.post("/checksheets/templates/import/preview/", {**form, "refresh": "1"})
    assert all(not q["guidance"] for s in refreshed.context["p"]["sections"] for q in s["questions"])
    assert not Template.objects.filter(organization=tenancy.org, name="取引先チェック").exists()
    done = staff.post("/checksheets/templates/import/preview/", {**form, "confirm": "1"})
    template = Template.objects.get(organization=tenancy.org, name="取引先チェック")
    assert done.status_code == 302 and done["Location"].endswith(f"/checksheets/templates/{template.uuid}/")
    structure = template.current.structure
    assert template.current.question_count == 19
    assert [float(q["weight"]) for _s, q in questions(structure)] == [
        w for _t, rows in EXPECTED for _q, w, _g, _s in rows
    ]
    assert all(q["required"] and q["type"] == "ynp" and not q["guidance"] for _s, q in questions(structure))
    # The preview is gone once confirmed: a second confirmation saves nothing more.
    again = staff.post("/checksheets/templates/import/preview/", {**form, "confirm": "1"})
    assert again.status_code == 302 and Template.objects.filter(name="取引先チェック").count() == 1


@pytest.mark.django_db
def test_a_new_version_of_an_existing_template(tenancy):
    staff = tenancy.client(tenancy.owner)
    template = Template.objects.create(organization=tenancy.org, name="既存シート")
    response = staff.post(
        f"/checksheets/templates/import/?template={template.uuid}",
        {"file": SimpleUploadedFile("v2.xlsx", company_workbook())},
    )
    assert response.status_code == 302
    staff.post("/checksheets/templates/import/preview/", {"confirm": "1"})
    assert template.versions.get().question_count == 19


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.xlsx", b"MZ\x90\x00" + b"\x00" * 200, "Excel（.xlsx）ファイルではありません"),
        ("sheet.pdf", b"%PDF-1.4", "Excel（.xlsx）またはCSV"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "Excelファイルとして読めません"),
    ],
)
def test_bad_files_get_a_japanese_error_and_nothing_is_kept(tenancy, name, content, message):
    staff = tenancy.client(tenancy.owner)
    response = staff.post("/checksheets/templates/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert message in errors, errors
    assert "checksheet_sheet_import" not in staff.session


@pytest.mark.django_db
def test_a_file_above_the_import_limit_is_refused_before_it_is_read(tenancy, settings):
    settings.MAMORI_MAX_IMPORT_BYTES = 1024
    staff = tenancy.client(tenancy.owner)
    response = staff.post(
        "/checksheets/templates/import/", {"file": SimpleUploadedFile("big.xlsx", company_workbook())}
    )
    assert "上限" in " ".join(response.context["form"].errors["file"])


@pytest.mark.django_db
def test_a_sheet_without_questions_cannot_be_confirmed(tenancy):
    wb = Workbook()
    wb.active.append(["会社名", "記入日"])
    wb.active.append(["株式会社サンプル", "2026-11-25"])
    staff = tenancy.client(tenancy.owner)
    staff.post("/checksheets/templates/import/", {"file": SimpleUploadedFile("x.xlsx", saved_of(wb))})
    page = staff.get("/checksheets/templates/import/preview/")
    assert "確認項目" in page.content.decode() and 'id="confirm-import"' not in page.content.decode()
    staff.post("/checksheets/templates/import/preview/", {"confirm": "1"})
    assert not Template.objects.filter(organization=tenancy.org, builtin_key="").exists()


@pytest.mark.django_db
def test_a_viewer_cannot_import(tenancy):
    viewer = tenancy.client(tenancy.colleague)
    response = viewer.post(
        "/checksheets/templates/import/", {"file": SimpleUploadedFile("s.xlsx", company_workbook())}
    )
    assert response.status_code in (403, 404)
    assert not Template.objects.filter(organization=tenancy.org, builtin_key="").exists()


# --- API --------------------------------------------------------------------------------------


def _auth(tenancy, user=None):
    return {"HTTP_AUTHORIZATION": f"Bearer {tenancy.token(user or tenancy.owner, tenancy.org)}"}


@pytest.mark.django_db
def test_api_preview_saves_nothing_and_import_saves_it(tenancy, client):
    headers = _auth(tenancy)
    response = client.post(
        "/api/v1/checksheets/templates/preview",
        {"file": SimpleUploadedFile("company.xlsx", company_workbook())},
        **headers,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["sheet"] == SHEET_NAME and data["header_row"] == HEADER_ROW
    assert data["mapping"]["question"] == "D" and data["mapping"]["weight"] == "F"
    assert data["question_count"] == 19 and data["errors"] == []
    assert data["answer_symbols"] == ["○", "△", "×", "－"]  # the dropdown's list
    assert_company_questions(data["sections"])
    assert not Template.objects.filter(organization=tenancy.org, builtin_key="").exists()

    response = client.post(
        "/api/v1/checksheets/templates/import",
        {
            "file": SimpleUploadedFile("company.xlsx", company_workbook()),
            "name": "APIで取込",
            "mapping": json.dumps({"section": "A", "question": "D", "answer": "E", "weight": "F"}),
        },
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "APIで取込" and body["question_count"] == 19
    qs = [q for s in body["structure"]["sections"] for q in s["questions"]]
    assert [q["weight"] for q in qs] == [w for _t, rows in EXPECTED for _q, w, _g, _s in rows]
    assert all(q["guidance"] == "" and "subsection" not in q for q in qs)  # only the mapped columns


@pytest.mark.django_db
def test_api_refuses_bad_files_and_bad_mappings_in_japanese(tenancy, client):
    headers = _auth(tenancy)
    bad = client.post(
        "/api/v1/checksheets/templates/import",
        {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
        **headers,
    )
    assert bad.status_code == 422 and "ファイル" in bad.json()["detail"]
    unmapped = client.post(
        "/api/v1/checksheets/templates/import",
        {"file": SimpleUploadedFile("c.xlsx", company_workbook()), "mapping": json.dumps({"section": "A"})},
        **headers,
    )
    assert unmapped.status_code == 422 and "設問" in unmapped.json()["detail"]
    nonsense = client.post(
        "/api/v1/checksheets/templates/preview",
        {"file": SimpleUploadedFile("c.xlsx", company_workbook()), "mapping": json.dumps({"question": "??"})},
        **headers,
    )
    assert nonsense.status_code == 422
    assert not Template.objects.filter(organization=tenancy.org, builtin_key="").exists()
    viewer = client.post(
        "/api/v1/checksheets/templates/preview",
        {"file": SimpleUploadedFile("c.xlsx", company_workbook())},
        **_auth(tenancy, tenancy.colleague),
    )
    assert viewer.status_code == 403


# --- The vendor's Excel round trip ------------------------------------------------------------


@pytest.mark.django_db
def test_the_vendor_s_excel_accepts_the_company_s_symbols(tenancy):
    from mamori.vendors.models import Vendor, VendorContact
    from tests.test_checksheets import portal_client, send_one

    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )
    actions.ensure_builtin(org)
    short = Template.objects.get(organization=org, builtin_key="short").current
    a = send_one((tenancy, vendor, short))
    r = a.recipients.get(email="hanako@vendor.example")
    client = portal_client()
    workbook = load_workbook(io.BytesIO(client.get(f"/p/{r.token}/excel/").content))
    ws = workbook.active
    symbols = ["○", "△", "×", "－"]
    for i, row in enumerate(ws.iter_rows(min_row=2, max_row=5)):
        row[5].value = symbols[i]
        row[6].value = "委託業務で扱わないため" if symbols[i] == "－" else None
    out = io.BytesIO()
    workbook.save(out)
    client.post(f"/p/{r.token}/excel/upload/", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())})
    keys = [q["key"] for _s, q in questions(short.structure)][:4]
    values = {x.question: x.value for x in a.answers.all()}
    assert [values.get(k) for k in keys] == ["yes", "partial", "no", "na"]


def test_a_shift_jis_csv_with_title_rows_is_read_too():
    text = "委託先チェックリスト\n\n分類,設問,配点,備考\n体制,責任者を定めていますか。,2,\n,規程がありますか。,1,規程名\n小計,,3,\n"
    p = sheet_import.preview(book_of(text.encode("cp932"), "checklist.csv"))
    assert p.header_row == 3 and p.errors == []
    got = [(s["title"], q["text"], q["weight"], q["guidance"]) for s, q in questions(p.structure)]
    assert got == [
        ("体制", "責任者を定めていますか。", 2.0, ""),
        ("体制", "規程がありますか。", 1.0, "規程名"),
    ]


@pytest.mark.django_db
def test_another_organization_s_template_cannot_be_given_a_version(tenancy):
    foreign = Template.objects.create(organization=tenancy.other_org, name="他社のシート")
    staff = tenancy.client(tenancy.owner)
    response = staff.post(
        f"/checksheets/templates/import/?template={foreign.uuid}",
        {"file": SimpleUploadedFile("v2.xlsx", company_workbook())},
    )
    assert response.status_code == 404 and not foreign.versions.exists()


@pytest.mark.django_db
def test_the_preview_shows_the_sheet_s_text_escaped(tenancy):
    wb = Workbook()
    wb.active.append(["分類", "確認項目", "配点"])
    wb.active.append(["<b>体制</b>", "<script>alert(1)</script>を確認していますか。", 1])
    staff = tenancy.client(tenancy.owner)
    staff.post("/checksheets/templates/import/", {"file": SimpleUploadedFile("x.xlsx", saved_of(wb))})
    html = staff.get("/checksheets/templates/import/preview/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>体制</b>" not in html


@pytest.mark.django_db
def test_api_import_as_a_new_version(tenancy, client):
    template = Template.objects.create(organization=tenancy.org, name="既存シート")
    response = client.post(
        "/api/v1/checksheets/templates/import",
        {"file": SimpleUploadedFile("v.xlsx", company_workbook()), "template": str(template.uuid)},
        **_auth(tenancy),
    )
    assert response.status_code == 201 and response.json()["uuid"] == str(template.uuid)
    assert response.json()["version"] == 1 and template.versions.get().question_count == 19
    foreign = Template.objects.create(organization=tenancy.other_org, name="他社")
    response = client.post(
        "/api/v1/checksheets/templates/import",
        {"file": SimpleUploadedFile("v.xlsx", company_workbook()), "template": str(foreign.uuid)},
        **_auth(tenancy),
    )
    assert response.status_code == 404 and not foreign.versions.exists()
