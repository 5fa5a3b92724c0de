"""The ledger and the vendor registry through the screens."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.ledger.models import DataAsset
from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Contract, Entrustment, Vendor

pytestmark = pytest.mark.django_db


def post(client, url, data, **kw):
    response = client.post(url, data, **kw)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


def make_registry(client):
    post(
        client,
        "/ledger/new/",
        {
            "name": "会員名簿",
            "department": "営業部",
            "items": ["person_name", "address", "phone"],
            "special_care": ["medical_history"],
            "individuals": "12000",
            "disclosure": "published",
            "storage_kind": "cloud",
        },
    )
    asset = DataAsset.objects.get(name="会員名簿")
    post(
        client,
        "/vendors/new/",
        {"name": "株式会社発送代行", "corporate_number": "7000012050002", "status": "contracted"},
    )
    post(client, "/vendors/new/", {"name": "印刷工房", "status": "contracted"})
    main, sub = Vendor.objects.get(name="株式会社発送代行"), Vendor.objects.get(name="印刷工房")
    post(
        client,
        "/entrustments/new/",
        {
            "vendor": str(main.uuid),
            "data_asset": str(asset.uuid),
            "items": ["person_name", "address"],
            "special_care": ["medical_history"],
            "individuals": "12000",
            "access_method": "copies",
            "end_handling": "",
        },
    )
    parent = Entrustment.objects.get(vendor=main)
    post(
        client,
        "/entrustments/new/",
        {
            "vendor": str(sub.uuid),
            "data_asset": str(asset.uuid),
            "parent": str(parent.uuid),
            "items": ["person_name", "address"],
            "individuals": "12000",
            "access_method": "copies",
            "end_handling": "",
        },
    )
    return asset, main, sub


def test_ledger_flags_are_computed_from_items(owner):
    make_registry(owner)
    asset = DataAsset.objects.get()
    assert asset.has_special_care and not asset.has_my_number and not asset.has_financial
    page = owner.get(f"/ledger/{asset.uuid}/").content.decode()
    assert "要配慮" in page and "病歴" in page


def test_two_level_chain_with_unapproved_subcontracting_and_tier_explained(owner):
    asset, main, sub = make_registry(owner)
    main.refresh_from_db()
    assert main.inherent_tier == "high"
    assert main.tier_explanation.startswith(
        "要配慮個人情報を含む 12,000 人分を承認の記録がない再委託先を含めて取り扱うため 高"
    )
    page = owner.get(f"/vendors/{main.uuid}/").content.decode()
    assert "印刷工房" in page and "承認の記録がありません" in page and main.tier_explanation in page
    # Approving the re-subcontract lowers the points and removes the warning.
    child = Entrustment.objects.get(vendor=sub)
    post(
        owner,
        f"/entrustments/{child.uuid}/edit/",
        {
            "vendor": str(sub.uuid),
            "data_asset": str(asset.uuid),
            "parent": str(child.parent.uuid),
            "individuals": "12000",
            "access_method": "copies",
            "end_handling": "",
            "approved": "on",
            "approved_on": "2026-11-01",
        },
    )
    main.refresh_from_db()
    assert TrailEntry.objects.get(action="update", object_id=str(child.uuid)).changes["approved"] == [
        False,
        True,
    ]
    assert "承認の記録がない" not in main.tier_explanation and "再委託先を含めて" in main.tier_explanation
    assert "承認の記録がありません" not in owner.get(f"/vendors/{main.uuid}/").content.decode()
    asset_page = owner.get(f"/ledger/{asset.uuid}/").content.decode()
    assert asset_page.index("株式会社発送代行") < asset_page.index("印刷工房")


def test_re_subcontract_must_stay_in_the_same_data_set(owner):
    _asset, main, sub = make_registry(owner)
    post(owner, "/ledger/new/", {"name": "別の台帳", "disclosure": "none", "storage_kind": "paper"})
    other = DataAsset.objects.get(name="別の台帳")
    parent = Entrustment.objects.get(vendor=main)
    response = owner.post(
        "/entrustments/new/",
        {
            "vendor": str(sub.uuid),
            "data_asset": str(other.uuid),
            "parent": str(parent.uuid),
            "access_method": "copies",
            "end_handling": "",
        },
    )
    assert response.status_code == 200 and "同じデータセット" in response.content.decode()


def test_corporate_number_check_digit_in_japanese(owner):
    response = owner.post(
        "/vendors/new/", {"name": "X", "corporate_number": "7000012050003", "status": "considering"}
    )
    assert "チェックデジット" in response.content.decode()
    assert not Vendor.objects.exists()


def test_contract_document_suggests_clauses_and_gaps_show_on_the_vendor(owner):
    import docx

    _asset, main, _sub = make_registry(owner)
    document = docx.Document()
    for line in [
        "第1条 乙は個人情報の安全管理措置を講じる。",
        "第2条 乙は秘密保持義務を負う。",
        "第3条 再委託には甲の書面による承諾を要する。",
        "第4条 漏えい等の事故が発生したときは直ちに甲に報告する。",
    ]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("委託契約書.docx", buffer.getvalue())
    post(
        owner,
        "/contracts/new/",
        {
            "vendor": str(main.uuid),
            "title": "業務委託契約",
            "starts_on": "2026-04-01",
            "document": upload,
            "clause_security_measures": "on",
            "clause_confidentiality": "on",
        },
    )
    contract = Contract.objects.get()
    assert set(contract.suggested_clauses) >= {
        "security_measures",
        "confidentiality",
        "subcontracting",
        "incident_reporting",
    }
    assert len(contract.document_sha256) == 64
    page = owner.get(f"/vendors/{main.uuid}/").content.decode()
    assert "再委託の条件" in page and "損害賠償" in page  # missing clauses flagged
    download = owner.get(f"/contracts/{contract.uuid}/document/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert TrailEntry.objects.filter(action="download", object_id=str(contract.uuid)).exists()


def test_contract_upload_type_is_checked(owner):
    _asset, main, _sub = make_registry(owner)
    fake = SimpleUploadedFile("契約.pdf", b"MZ not a pdf")
    response = owner.post("/contracts/new/", {"vendor": str(main.uuid), "title": "x", "document": fake})
    assert "PDFファイルではありません" in response.content.decode()
    bad = SimpleUploadedFile("script.exe", b"MZ")
    response = owner.post("/contracts/new/", {"vendor": str(main.uuid), "title": "x", "document": bad})
    assert "PDF、Word" in response.content.decode() and not Contract.objects.exists()


def test_foreign_choice_is_rejected(tenancy, owner):
    outsider = tenancy.client(tenancy.outsider)
    post(outsider, "/vendors/new/", {"name": "他社の委託先", "status": "considering"})
    foreign = Vendor.objects.get(name="他社の委託先")
    asset, _main, _sub = make_registry(owner)
    response = owner.post(
        "/entrustments/new/",
        {
            "vendor": str(foreign.uuid),
            "data_asset": str(asset.uuid),
            "access_method": "copies",
            "end_handling": "",
        },
    )
    assert response.status_code == 200 and not Entrustment.objects.filter(vendor=foreign).exists()


def test_lists_search_filter_sort_and_export_neutralised(owner):
    make_registry(owner)
    post(owner, "/vendors/new/", {"name": '=HYPERLINK("http://x")', "status": "considering"})
    page = owner.get("/vendors/?q=発送").content.decode()
    assert "株式会社発送代行" in page and "印刷工房" not in page
    assert "印刷工房" in owner.get("/vendors/?status=contracted&sort=-name").content.decode()
    csv_text = owner.get("/vendors/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "株式会社発送代行" in csv_text
    xlsx = owner.get("/vendors/export.xlsx")
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row]
    formula_text = next(c for c in cells if c.value == '=HYPERLINK("http://x")')
    assert formula_text.data_type == "s" and formula_text.quotePrefix  # text, never a formula
    assert TrailEntry.objects.filter(action="export").count() == 2


def test_viewer_cannot_edit(tenancy):
    viewer = tenancy.client(tenancy.colleague)
    assert viewer.get("/vendors/").status_code == 200
    assert viewer.post("/vendors/new/", {"name": "x", "status": "considering"}).status_code == 403
    assert not Vendor.objects.exists()


@pytest.mark.parametrize("url", ["/vendors/", "/ledger/", "/entrustments/", "/contracts/"])
def test_list_queries_do_not_grow_with_the_page_size(owner, url):
    _asset, main, _sub = make_registry(owner)
    for i in range(30):
        v = Vendor.objects.create(organization=main.organization, name=f"委託先{i:02d}")
        a = DataAsset.objects.create(organization=main.organization, name=f"台帳{i:02d}")
        Entrustment.objects.create(organization=main.organization, vendor=v, data_asset=a)
        Contract.objects.create(organization=main.organization, vendor=v, title=f"契約{i}")

    def count(per):
        with CaptureQueriesContext(connection) as ctx:
            assert owner.get(f"{url}?per={per}").status_code == 200
        return len(ctx.captured_queries)

    assert count(10) == count(30)


def test_from_file_scans_and_discards(owner, settings, tmp_path):
    csv = "氏名,メールアドレス,電話番号\n山田 太郎,taro@example.jp,090-1234-5678\n佐藤 花子,hanako@example.jp,080-1111-2222\n"
    upload = SimpleUploadedFile("members.csv", csv.encode("utf-8"))
    post(owner, "/ledger/from-file/", {"name": "会員（スキャン）", "file": upload})
    asset = DataAsset.objects.get()
    assert asset.items == ["email", "person_name", "phone"] and asset.individuals == 2
    assert not any(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True
    assert "taro@example.jp" not in str(asset.scan_summary)


def test_dashboard_shows_expiring_and_high_risk(owner, tenancy):
    import datetime as dt

    from django.utils import timezone

    from mamori.vendors.models import Certification

    _asset, main, _sub = make_registry(owner)
    Certification.objects.create(
        organization=tenancy.org,
        vendor=main,
        kind="pmark",
        number="1",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    Contract.objects.create(
        organization=tenancy.org,
        vendor=main,
        title="基本契約",
        ends_on=timezone.localdate() + dt.timedelta(days=59),
    )
    Contract.objects.create(
        organization=tenancy.org,
        vendor=main,
        title="遠い契約",
        ends_on=timezone.localdate() + dt.timedelta(days=200),
    )
    page = owner.get("/").content.decode()
    # (both contracts are in the recent trail entries further down the page)
    expiring = page.split("60日以内に期限を迎えるもの", 1)[1].split("<h2", 1)[0]
    assert "基本契約" in expiring and "遠い契約" not in expiring
    assert "注意が必要な委託先" in page and "株式会社発送代行" in page


def test_upload_size_limit_is_one_rule_everywhere(owner, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 10 * 2**20
    big = SimpleUploadedFile("big.csv", b"a" * (10 * 2**20 + 1))
    response = owner.post("/ledger/from-file/", {"name": "大きい", "file": big})
    assert "ファイルが 10 MB を超えています" in response.content.decode() and not DataAsset.objects.exists()
    big.seek(0)
    response = owner.post("/import/vendors/", {"file": SimpleUploadedFile("v.csv", b"a" * (10 * 2**20 + 1))})
    assert "10 MB を超えています" in response.content.decode() and not Vendor.objects.exists()


def test_vendor_facts_are_for_the_day_asked(owner, tenancy):
    """Expired certifications, current contracts and active entrustments count from the given day."""
    import datetime as dt

    from mamori.vendors.actions import vendor_facts
    from mamori.vendors.models import Certification

    _asset, main, _sub = make_registry(owner)
    last_day = dt.date(2030, 3, 31)
    Entrustment.objects.filter(vendor=main).update(ends_on=last_day)
    Certification.objects.create(
        organization=tenancy.org, vendor=main, kind="pmark", number="1", expires_on=last_day
    )
    Contract.objects.create(organization=tenancy.org, vendor=main, title="基本契約", ends_on=last_day)
    on_the_day, after = vendor_facts(main, last_day), vendor_facts(main, last_day + dt.timedelta(days=1))
    assert on_the_day.expired_certifications == 0 and after.expired_certifications == 1
    assert on_the_day.has_contract and not after.has_contract
    assert on_the_day.entrustments[0].active and not after.entrustments[0].active
