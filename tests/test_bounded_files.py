"""Bounded resources: a hostile .xlsx (a huge declared sheet), an oversized request body and a zip
bomb are refused with a Japanese message before anything big is allocated."""

from __future__ import annotations

import io
import re
import types
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mamori.checksheets.actions.errors import ChecksheetError
from mamori.checksheets.actions.excel import import_answers
from mamori.scan import scan_paths
from mamori.scan.xlsx_guard import SheetCaps, SheetTooLarge, check_xlsx
from mamori.vendors.models import Vendor


def _xlsx(dimension: str | None = None, cell: str | None = None) -> bytes:
    """A small valid workbook (made by openpyxl) whose sheet XML declares `dimension` and/or
    puts its first cell at `cell`."""
    wb = Workbook()
    wb.active.append(["名称", "法人番号"])
    wb.active.append(["発送代行", "7000012050002"])
    out = io.BytesIO()
    wb.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                if dimension is not None:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if cell is not None:
                    text = text.replace('r="B2"', f'r="{cell}"', 1)
                data = text.encode("utf-8")
            dst.writestr(info.filename, data)
    return dst_buf.getvalue()


HOSTILE = {
    "dimension-rows": {"dimension": "A1:A99999999"},
    "dimension-columns": {"dimension": "A1:XFD2"},
    "cell-rows": {"cell": "B99999999"},
    "cell-columns": {"cell": "XFD2"},
}


def test_the_hostile_workbooks_are_really_changed():
    assert b"A99999999" in zipfile.ZipFile(io.BytesIO(_xlsx(dimension="A1:A99999999"))).read(
        "xl/worksheets/sheet1.xml"
    )
    assert b'r="XFD2"' in zipfile.ZipFile(io.BytesIO(_xlsx(cell="XFD2"))).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("kind", HOSTILE)
def test_guard_refuses_huge_declared_sheets(kind):
    with pytest.raises(SheetTooLarge, match="上限"):
        check_xlsx(io.BytesIO(_xlsx(**HOSTILE[kind])))


def test_guard_accepts_an_ordinary_workbook_and_rewinds():
    stream = io.BytesIO(_xlsx())
    stream.seek(3)
    check_xlsx(stream)
    assert stream.tell() == 3


def test_guard_caps_are_configurable(monkeypatch):
    with pytest.raises(SheetTooLarge, match="行数"):
        check_xlsx(io.BytesIO(_xlsx()), SheetCaps(max_rows=1, max_cols=10, max_sheet_xml_bytes=2**20))
    monkeypatch.setenv("MAMORI_MAX_SHEET_COLUMNS", "1")
    with pytest.raises(SheetTooLarge, match="列数"):
        check_xlsx(io.BytesIO(_xlsx()))


def test_guard_refuses_a_doctype():
    wb = _xlsx()
    src = zipfile.ZipFile(io.BytesIO(wb))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            dst.writestr(info.filename, data)
    with pytest.raises(SheetTooLarge, match="DOCTYPE"):
        check_xlsx(io.BytesIO(buf.getvalue()))


@pytest.mark.parametrize("kind", HOSTILE)
def test_scanner_refuses_huge_declared_sheets(kind, tmp_path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(_xlsx(**HOSTILE[kind]))
    result = scan_paths([path])
    assert "上限" in result["files"][0]["error"]


def test_scanner_still_reads_an_ordinary_workbook(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_xlsx())
    assert not scan_paths([path])["files"][0].get("error")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE)
def test_import_page_refuses_huge_declared_sheets(kind, tenancy):
    owner = tenancy.client(tenancy.owner)
    response = owner.post(
        "/import/vendors/", {"file": SimpleUploadedFile("import.xlsx", _xlsx(**HOSTILE[kind]))}
    )
    assert response.status_code == 200
    assert "上限" in response.content.decode()
    assert Vendor.objects.count() == 0


@pytest.mark.parametrize("kind", HOSTILE)
def test_checksheet_answer_import_refuses_huge_declared_sheets(kind):
    with pytest.raises(ChecksheetError, match="上限"):
        import_answers(types.SimpleNamespace(assessment=None), _xlsx(**HOSTILE[kind]))


# --- The upload limit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_refused_from_its_content_length(tenancy, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 2 * 2**20
    owner = tenancy.client(tenancy.owner)
    body = b"x" * (4 * 2**20)
    response = owner.generic(
        "POST", "/import/vendors/", body, content_type="multipart/form-data; boundary=zzz"
    )
    assert response.status_code == 413
    assert "ファイルが 2 MB を超えています" in response.content.decode()
    assert Vendor.objects.count() == 0


@pytest.mark.django_db
def test_a_body_within_the_upload_limit_passes(tenancy, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 2 * 2**20
    owner = tenancy.client(tenancy.owner)
    response = owner.post("/import/vendors/", {"file": SimpleUploadedFile("import.xlsx", _xlsx())})
    assert response.status_code in (200, 302)
    assert Vendor.objects.count() == 1


# --- Zip bombs ------------------------------------------------------------------------------


def _declared_zip(path, sizes: list[int]) -> None:
    """A zip whose members declare `sizes` unpacked bytes (the central directory is patched;
    the data is tiny), so nothing big is written by the test."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, _size in enumerate(sizes):
            archive.writestr(f"m{i}.csv", b"a,b\n1,2\n")
    data = bytearray(path.read_bytes())
    for i, size in enumerate(sizes):
        name = f"m{i}.csv".encode()
        start = data.find(b"PK\x01\x02" + b"", 0)
        # the i-th central directory entry
        for _ in range(i):
            start = data.find(b"PK\x01\x02", start + 4)
        assert data[start + 46 : start + 46 + len(name)] == name
        data[start + 24 : start + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_a_zip_declaring_4_gb_unpacked_is_refused_without_extracting(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    _declared_zip(bomb, [2_000_000_000, 2_000_000_000])
    assert sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()) == 4_000_000_000
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    result = scan_paths([bomb])
    assert "展開後のサイズが上限" in result["files"][0]["error"] and not opened


def test_a_zip_member_over_the_per_member_limit_is_not_extracted(tmp_path, monkeypatch):
    bomb = tmp_path / "member.zip"
    _declared_zip(bomb, [900 * 2**20])
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    result = scan_paths([bomb])
    members = result["files"][0].get("members") or []
    text = repr(result)
    assert "展開後のサイズが上限" in text and not opened, members
