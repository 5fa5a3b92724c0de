"""Imports written in bulk (issue 13, "1M-row import"), re-imports that update instead of
duplicating, and numbers as Excel writes them (issue 17, "Registries that stay right")."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from mamori.ledger.models import DataAsset
from mamori.platform.trail import services
from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Certification, Entrustment, Vendor, VendorContact

pytestmark = pytest.mark.django_db

# Real corporate numbers with valid check digits (国税庁法人番号公表サイト: 内閣府 … ).
NUMBERS = ["7000012050002", "2000012010019", "4000012090001"]


def xlsx(rows, name="vendors.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(text: str, name="vendors.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"))


def vendor_rows(n: int, start: int = 0) -> list[list[str]]:
    return [["名称", "所在地", "状態"]] + [
        [f"委託先{i:05d}株式会社", f"東京都千代田区{i}", "契約中"] for i in range(start, start + n)
    ]


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


def test_a_bad_row_at_the_end_writes_nothing(owner, tenancy):
    rows = [*vendor_rows(300), ["", "", "契約中"]]
    response = owner.post("/import/vendors/", {"file": xlsx(rows)})
    assert response.status_code == 200 and "行302: 名称" in response.content.decode()
    assert not Vendor.objects.exists()
    assert not TrailEntry.objects.filter(organization=tenancy.org, object_type="vendors.vendor").exists()


def test_every_imported_row_reaches_the_trail_and_the_chain_verifies(owner, tenancy):
    response = owner.post("/import/vendors/", {"file": xlsx(vendor_rows(120))})
    assert response.status_code == 302
    vendors = {str(u) for u in Vendor.objects.values_list("uuid", flat=True)}
    created = TrailEntry.objects.filter(
        organization=tenancy.org, object_type="vendors.vendor", action="create"
    )
    assert {e.object_id for e in created} == vendors and created.count() == 120
    entry = created.get(object_repr="委託先00007株式会社")
    assert entry.changes["address"] == [None, "東京都千代田区7"] and entry.actor_label
    assert services.verify([tenancy.org]) == []


def test_hooks_still_run_on_a_bulk_import(owner, tenancy):
    """The inherent tier and the rating are those a vendor saved through the page gets."""
    owner.post("/vendors/new/", {"name": "手入力の会社", "status": "contracted"})
    by_hand = Vendor.objects.get(name="手入力の会社")
    assert by_hand.tier_explanation and by_hand.risk_explanation  # the hooks ran on save
    owner.post("/import/vendors/", {"file": xlsx(vendor_rows(30))})
    imported = Vendor.objects.get(name="委託先00003株式会社")
    assert imported.inherent_tier == by_hand.inherent_tier
    assert (imported.risk_rating, imported.risk_explanation) == (
        by_hand.risk_rating,
        by_hand.risk_explanation,
    )
    assert imported.tier_explanation == by_hand.tier_explanation


def _queries(owner, rows) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = owner.post("/import/vendors/", {"file": xlsx(rows)})
    assert response.status_code == 302
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_rows(owner):
    """A fixed number of queries plus one INSERT per batch (of vendors, of trail entries): Django
    batches by the database's parameter limit (999 on SQLite: about 50 rows; 500 on PostgreSQL),
    never one query per row (the row-by-row import made about 20 per row)."""
    small = _queries(owner, vendor_rows(10))
    large = _queries(owner, vendor_rows(400, start=1000))
    assert Vendor.objects.count() == 410
    assert small <= 60
    assert large <= small + 2 * (400 // 50 + 1)


def test_reimport_updates_by_corporate_number_after_a_preview(owner, tenancy):
    first = [["名称", "法人番号", "所在地", "状態"], ["発送代行", NUMBERS[0], "東京都港区1", "契約中"]]
    first += [["印刷工房", "", "大阪市北区2", "契約中"]]
    assert owner.post("/import/vendors/", {"file": xlsx(first)}).status_code == 302
    again = [["名称", "法人番号", "所在地", "状態", "担当者名", "担当者のメール"]]
    again += [["発送代行（新社名）", NUMBERS[0], "東京都港区1", "契約中", "山田 花子", "yamada@example.jp"]]
    again += [["印刷工房", "", "大阪市北区2", "契約中", "", ""]]  # matched by name, unchanged
    again += [["梱包サービス", NUMBERS[1], "", "選定済", "", ""]]
    response = owner.post("/import/vendors/", {"file": xlsx(again)})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="import-confirm"' in page
    assert "発送代行（新社名）" in page and "山田 花子" in page
    assert "新規 1件" in page and "変更 1件" in page and "変更なし 1件" in page
    assert Vendor.objects.count() == 2 and not VendorContact.objects.exists()  # nothing written yet
    response = owner.post("/import/vendors/", {"confirm": "1"})
    assert response.status_code == 302
    assert Vendor.objects.count() == 3
    renamed = Vendor.objects.get(corporate_number=NUMBERS[0])
    assert renamed.name == "発送代行（新社名）" and renamed.contacts.get().email == "yamada@example.jp"
    update = TrailEntry.objects.get(organization=tenancy.org, action="update", object_id=str(renamed.uuid))
    assert update.changes["name"] == ["発送代行", "発送代行（新社名）"]
    assert services.verify([tenancy.org]) == []


def test_a_duplicate_corporate_number_is_refused_naming_the_vendor(owner):
    owner.post("/vendors/new/", {"name": "発送代行", "corporate_number": NUMBERS[0], "status": "contracted"})
    response = owner.post(
        "/vendors/new/", {"name": "別の会社", "corporate_number": NUMBERS[0], "status": "selected"}
    )
    assert response.status_code == 200 and "「発送代行」" in response.content.decode()
    assert Vendor.objects.count() == 1
    rows = [["名称", "法人番号"], ["甲社", NUMBERS[1]], ["乙社", NUMBERS[1]]]
    page = owner.post("/import/vendors/", {"file": xlsx(rows)}).content.decode()
    assert "行3" in page and "行2" in page and Vendor.objects.count() == 1


def test_contacts_and_certifications_in_the_form_and_the_import(owner):
    owner.post(
        "/vendors/new/",
        {
            "name": "発送代行",
            "status": "contracted",
            "contact_name": "佐藤 一郎",
            "contact_email": "sato@example.jp",
            "certification_kind": "pmark",
            "certification_number": "10820001",
            "certification_expires_on": "2027-03-31",
        },
    )
    vendor = Vendor.objects.get()
    assert vendor.contacts.get().name == "佐藤 一郎"
    assert vendor.certifications.get().number == "10820001"
    rows = [["名称", "担当者名", "認証", "認証の登録番号", "認証の有効期限"]]
    rows += [["印刷工房", "鈴木 次郎", "ISMS（ISO 27001）", "IS 12345", "2027/01/31"]]
    assert owner.post("/import/vendors/", {"file": xlsx(rows)}).status_code == 302
    cert = Certification.objects.get(vendor__name="印刷工房")
    assert cert.kind == "isms" and str(cert.expires_on) == "2027-01-31"
    assert VendorContact.objects.filter(vendor__name="印刷工房", name="鈴木 次郎").exists()


def test_numbers_as_excel_writes_them(owner):
    page = owner.post(
        "/import/vendors/", {"file": csv_file("名称,法人番号\r\n発送代行,7.00001E+12\r\n")}
    ).content.decode()
    assert "文字列" in page and "7.00001E+12" in page and not Vendor.objects.exists()
    full_width = "７０００ー０１２０５０００２".replace("ー", "")
    assert (
        owner.post(
            "/import/vendors/", {"file": csv_file(f"名称,法人番号\r\n発送代行,{full_width}\r\n")}
        ).status_code
        == 302
    )
    assert Vendor.objects.get().corporate_number == NUMBERS[0]
    DataAsset.objects.create(organization=Vendor.objects.get().organization, name="会員名簿")
    text = 'データセット,委託先,本人の数\r\n会員名簿,発送代行,"12,000"\r\n'
    assert owner.post("/import/entrustments/", {"file": csv_file(text, "e.csv")}).status_code == 302
    assert Entrustment.objects.get().individuals == 12000


def test_an_unclosed_quote_names_its_line(owner):
    text = '名称,所在地\r\n正しい会社,東京\r\n"未閉じの引用,123\r\n次の会社,大阪\r\n'
    page = owner.post("/import/vendors/", {"file": csv_file(text)}).content.decode()
    assert "3行目" in page and not Vendor.objects.exists()


def test_impossible_dates_are_refused_with_the_field_named(owner, tenancy):
    vendor = Vendor.objects.create(organization=tenancy.org, name="発送代行")
    response = owner.post(
        "/contracts/new/",
        {
            "vendor": str(vendor.uuid),
            "title": "業務委託契約",
            "starts_on": "2026-04-01",
            "ends_on": "2025-03-31",
        },
    )
    assert "終了日が開始日より前" in response.content.decode()
    DataAsset.objects.create(organization=tenancy.org, name="会員名簿")
    text = "データセット,委託先,開始日,終了日\r\n会員名簿,発送代行,2026-04-01,2026-03-31\r\n"
    page = owner.post("/import/entrustments/", {"file": csv_file(text, "e.csv")}).content.decode()
    assert "行2: 終了日: 終了日が開始日より前" in page and not Entrustment.objects.exists()
