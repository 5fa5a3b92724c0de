"""Issue 13: a file without a header row must not turn its first person into column names.

Headerless CSV (UTF-8 and CP932), XLSX, JSON and JSON Lines files go through the whole product
(a data set made from the file, an incident scan), then every text and JSON field of every stored
model, the trail included, is searched for each raw value: none may appear."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from mamori.incidents.models import Incident
from mamori.ledger import actions as ledger_actions
from mamori.ledger.models import DataAsset
from mamori.platform.trail.services import Actor
from mamori.scan import scan_paths
from mamori.scan.headers import choose_header, classify_cells

# Realistic leaked rows: name, address, mobile, e-mail (names from the name dataset). The first
# person has no phone or e-mail: before the fix their name and address became the column names.
PEOPLE = [
    ("長谷川 茉莉花", "東京都千代田区神田錦町9-87-6", "", ""),
    ("東海林 義経", "大阪府大阪市北区梅田7-6-5", "080-1357-2468", "yoshitsune.s@leak-test.example"),
    ("五十嵐 千尋", "北海道札幌市中央区北一条西8-2", "070-2468-1357", "chihiro.i@leak-test.example"),
    ("久保田 美琴", "福岡県福岡市博多区博多駅前3-1", "090-8765-4321", "mikoto.k@leak-test.example"),
]
ROWS = PEOPLE * 10  # enough rows for the detectors


def raw_values() -> list[str]:
    values = []
    for person in PEOPLE:
        values += [v for v in person if v]
        values.append(person[0].replace(" ", ""))  # the name without its space
        values.append(person[1][:9])  # the start of the address
    return values


def csv_bytes(encoding: str = "utf-8") -> bytes:
    return "".join(",".join(row) + "\n" for row in ROWS).encode(encoding)


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名簿"
    for row in ROWS:
        sheet.append([v or None for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_keyed_bytes() -> bytes:
    # An object keyed by the people's e-mail addresses, with their names as nested keys too.
    data = {
        email or name: {"氏名": name, "住所": address, name: {"電話": phone}}
        for name, address, phone, email in PEOPLE
    }
    return json.dumps(data, ensure_ascii=False).encode()


def json_rows_bytes() -> bytes:
    return json.dumps([list(row) for row in ROWS], ensure_ascii=False).encode()


def jsonl_bytes() -> bytes:
    return "".join(
        json.dumps({name: {"address": address, "tel": phone}}, ensure_ascii=False) + "\n"
        for name, address, phone, _email in ROWS
    ).encode()


FILES = {
    "leak.csv": lambda: csv_bytes(),
    "leak-sjis.csv": lambda: csv_bytes("cp932"),
    "leak.xlsx": xlsx_bytes,
    "leak.json": json_keyed_bytes,
    "rows.json": json_rows_bytes,
    "leak.jsonl": jsonl_bytes,
}


def stored_text() -> list[tuple[str, str]]:
    """Every text and JSON value of every row of every model (the trail, history, tasks …)."""
    out = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.all().values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                if value is not None:
                    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
                    out.append((f"{model._meta.label}.{name}", text))
    return out


def assert_no_raw_value_stored():
    found = [(where, value) for where, text in stored_text() for value in raw_values() if value in text]
    assert not found, f"raw values stored: {found[:5]}"


@pytest.mark.parametrize("filename", list(FILES))
def test_headerless_files_name_their_columns_by_position(tmp_path, filename):
    path = tmp_path / filename
    path.write_bytes(FILES[filename]())
    result = scan_paths([path])
    text = json.dumps(result, ensure_ascii=False)
    leaked = [v for v in raw_values() if v in text]
    assert not leaked, leaked
    assert result["summary"]["personal_data"]
    assert {"person_name", "email", "phone"} & set(result["summary"]["types"])


@pytest.mark.parametrize("filename", ["leak.csv", "leak.xlsx"])
def test_headerless_tables_are_read_from_the_first_row(tmp_path, filename):
    path = tmp_path / filename
    path.write_bytes(FILES[filename]())
    table = scan_paths([path])["files"][0]["tables"][0]
    assert table["header_row"] is None and table["rows"] == len(ROWS)
    assert [c["name"] for c in table["columns"]] == ["列1", "列2", "列3", "列4"]
    kinds = {c["name"]: [t["type"] for t in c["types"]] for c in table["columns"]}
    assert kinds["列1"] == ["person_name"] and kinds["列4"] == ["email"]


@pytest.mark.parametrize("filename", list(FILES))
def test_headerless_files_leave_no_value_in_any_stored_field(tenancy, filename):
    # Through the pages a person uses: the upload, the worker's scan in the isolated child, the save.
    owner = tenancy.client(tenancy.owner)
    page = owner.post(
        "/ledger/from-file/",
        {"name": "流出ファイル", "file": SimpleUploadedFile(filename, FILES[filename]())},
        follow=True,
    )
    assert page.status_code == 200
    asset = DataAsset.objects.get(organization=tenancy.org, name="流出ファイル")
    assert {"person_name", "address"} & set(asset.items)
    response = owner.post(
        "/incidents/new/",
        {
            "title": "名簿の流出",
            "leak": "on",
            "cause": "unauthorized_access",
            "aware_on": "2026-11-20",
            "individuals_kind": "exact",
            "role": "principal",
            "notices_sent": "0",
            "notices_returned": "0",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.latest("created_at")
    owner.post(f"/incidents/{incident.uuid}/scan/", {"file": SimpleUploadedFile(filename, FILES[filename]())})
    incident.refresh_from_db()
    assert incident.scan_summary["personal_data"]
    assert incident.timeline.filter(kind="scan").exists()
    assert_no_raw_value_stored()


def test_a_file_with_a_header_keeps_its_column_names(tmp_path, tenancy):
    path = tmp_path / "with-header.csv"
    path.write_bytes("氏名,住所,携帯電話,メールアドレス\n".encode() + csv_bytes())
    table = scan_paths([path])["files"][0]["tables"][0]
    assert table["header_row"] == 1
    assert [c["name"] for c in table["columns"]] == ["氏名", "住所", "携帯電話", "メールアドレス"]
    asset = ledger_actions.create_from_scan(
        tenancy.org,
        "会員名簿",
        "members.csv",
        scan_paths([path]),
        Actor(user=tenancy.owner, via="test"),
    )
    assert asset.scan_summary["individuals_key"] == ["メールアドレス"]


@pytest.mark.parametrize(
    ("cells", "kinds"),
    [
        (["氏名", "住所", "電話番号", "メール"], ["known"] * 4),
        (["所属", "金額", "タイトル", "入社日"], ["known", "known", "known", "label"]),
        (["山田 太郎", "山田太郎", "ヤマダ タロウ", "Taro Yamada"], ["value"] * 4),
        (["山田カナ", "taro@mail.example", "090-1234-5678", "〒100-0001"], ["value"] * 4),
        (["東京都千代田区丸の内", "2026-04-01", "令和8年4月1日", "12345"], ["value"] * 4),
    ],
)
def test_cells_are_labels_only_when_they_look_like_one(cells, kinds):
    assert classify_cells(cells) == kinds


def test_a_title_above_the_header_is_allowed_but_no_header_below_data():
    rows = [
        ["顧客一覧（社外秘）", None, None, None, None],
        ["作成日", "2026-04-01", None, None, None],
        ["氏名", "メール", "電話", "区分", "備考"],
        ["山田 太郎", "taro@example.jp", "090-1234-5678", "一般", None],
    ]
    assert choose_header(rows, 5) == 2
    # A row of data first: nothing below it is a header, even a row of plain words.
    assert choose_header([rows[3], ["商品", "区分", "状態", "備考", "種別"], rows[3]], 5) is None
