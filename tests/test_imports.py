"""Excel/CSV imports: templates, row-by-row Japanese errors, all-or-nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from mamori.ledger.models import DataAsset
from mamori.vendors.models import Entrustment, Vendor

pytestmark = pytest.mark.django_db


def xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("import.xlsx", out.getvalue())


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


def test_templates_download_with_the_headers(owner):
    response = owner.get("/import/vendors/template.xlsx")
    headers = [c.value for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows())]
    assert headers[0] == "名称（必須）" and "法人番号" in headers
    csv_text = owner.get("/import/entrustments/template.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("データセット（必須）,委託先（必須）,再委託元（委託先名）")


def test_excel_import_of_the_whole_registry_with_a_two_level_chain(owner):
    r = owner.post(
        "/import/vendors/",
        {
            "file": xlsx(
                [
                    ["名称", "法人番号", "状態"],
                    ["発送代行", "7000012050002", "契約中"],
                    ["印刷工房", "", "契約中"],
                    ["梱包サービス", "", "選定済"],
                ]
            )
        },
    )
    assert r.status_code == 302 and Vendor.objects.count() == 3
    r = owner.post(
        "/import/ledger/",
        {
            "file": xlsx(
                [
                    ["名称", "項目", "要配慮個人情報", "本人の数", "利用目的の通知・公表"],
                    ["会員名簿", "氏名、住所、電話番号", "病歴", "12000", "公表済み"],
                ]
            )
        },
    )
    assert r.status_code == 302
    asset = DataAsset.objects.get()
    assert asset.items == ["person_name", "address", "phone"] and asset.has_special_care
    r = owner.post(
        "/import/entrustments/",
        {
            "file": xlsx(
                [
                    ["データセット", "委託先", "再委託元（委託先名）", "項目", "本人の数", "取扱方法"],
                    ["会員名簿", "発送代行", "", "氏名、住所", "12000", "複製を受け取る"],
                    ["会員名簿", "印刷工房", "発送代行", "氏名、住所", "12000", "複製を受け取る"],
                    ["会員名簿", "梱包サービス", "印刷工房", "氏名", "12000", "当社内で作業"],
                ]
            )
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    third = Entrustment.objects.get(vendor__name="梱包サービス")
    assert third.parent.vendor.name == "印刷工房" and third.parent.parent.vendor.name == "発送代行"
    assert Vendor.objects.get(name="発送代行").inherent_tier == "high"


def test_one_bad_row_saves_nothing_and_says_which_row(owner):
    response = owner.post(
        "/import/vendors/",
        {
            "file": xlsx(
                [
                    ["名称", "法人番号", "状態"],
                    ["正しい会社", "", "契約中"],
                    ["番号違い", "1234567890123", "契約中"],
                    ["", "", "契約中"],
                    ["状態違い", "", "不明"],
                ]
            )
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "行3: 法人番号" in page and "行4: 名称" in page and "行5: 状態" in page
    assert not Vendor.objects.exists()


def test_cp932_csv_as_excel_writes_it(owner):
    text = "名称,所在地,状態\r\n株式会社髙橋商店,東京都港区①,検討中\r\n"
    upload = SimpleUploadedFile("vendors.csv", text.encode("cp932"))
    assert owner.post("/import/vendors/", {"file": upload}).status_code == 302
    assert Vendor.objects.get().name == "株式会社髙橋商店"


def test_unknown_columns_and_wrong_type(owner):
    r = owner.post("/import/vendors/", {"file": xlsx([["会社名", "住所"], ["x", "y"]])})
    assert "名称" in r.content.decode() and not Vendor.objects.exists()
    r = owner.post("/import/vendors/", {"file": SimpleUploadedFile("v.pdf", b"%PDF")})
    assert "Excel（.xlsx）またはCSV" in r.content.decode()


def test_viewer_cannot_import(tenancy):
    viewer = tenancy.client(tenancy.colleague)
    response = viewer.post("/import/vendors/", {"file": xlsx([["名称"], ["x"]])})
    assert response.status_code == 403 and not Vendor.objects.exists()
