"""Everyday use (issue 17): the dashboard's 「次にすること」 and charts, 「再委託を承認」 in one click,
and contract clauses shown as 記載あり（提案）/ 未確認 / 記載なし with one-click confirmation."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Contract, Entrustment, Vendor

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_dashboard_says_what_to_do_next_each_one_click_from_the_fix(demo):
    client = demo.client()
    org = demo.org
    no_contact = Vendor.objects.for_org(org).filter(contacts__isnull=True).exclude(status="ended").count()
    no_contract = Vendor.objects.for_org(org).filter(contracts__isnull=True).exclude(status="ended").count()
    unapproved = Entrustment.objects.for_org(org).filter(parent__isnull=False, approved=False).first()
    assert no_contract and unapproved is not None  # the demo organization has both to fix
    html = client.get("/").content.decode()
    text = _text(client.get("/"))
    assert f"契約未登録の委託先 {no_contract}社" in text
    if no_contact:
        assert f"担当者のいない委託先 {no_contact}社" in text
    assert "承認のない再委託" in text
    # One click from the fix: the approval form of that very re-subcontract.
    assert reverse("entrustment_approve", args=[unapproved.uuid]) in html
    assert "承認を記録" in text
    # The charts: server-drawn bars, one per tier.
    assert html.count('<svg class="bar"') >= 3 + 5 + 3 + 4
    assert "固有リスク別の委託先" in text


def test_each_dashboard_card_is_one_query_per_line_whatever_the_size(demo):
    from django.test import RequestFactory

    from mamori.audits import next as cards
    from mamori.platform.tenancy.models import Membership

    request = RequestFactory().get("/")
    request.user = demo.owner
    request.membership = Membership.objects.get(organization=demo.org, user=demo.owner)
    request.org = demo.org

    def count(fn) -> int:
        with CaptureQueriesContext(connection) as queries:
            fn(request)
        return len(queries.captured_queries)

    # 「次にすること」: five lines, one query each; the charts: vendors, sheets, incidents.
    assert count(cards.todo) == 5 and count(cards.charts) == 3
    Vendor.objects.bulk_create([Vendor(organization=demo.org, name=f"追加委託先{i}") for i in range(30)])
    assert count(cards.todo) == 5 and count(cards.charts) == 3
    lines = {line["key"]: line for line in cards.todo(request)["todo_lines"]}
    assert lines["no-contract"]["n"] >= 30 and len(lines["no-contract"]["rows"]) == cards.SHOWN


def test_approve_a_re_subcontract_in_one_click_from_the_vendor_page(demo):
    client = demo.client(demo.editor)
    e = Entrustment.objects.for_org(demo.org).filter(parent__isnull=False, approved=False).first()
    vendor_page = reverse("vendors:detail", args=[e.parent.vendor.uuid])
    page = client.get(vendor_page).content.decode()
    assert reverse("entrustment_approve", args=[e.uuid]) in page
    assert "再委託を承認" in page
    response = client.post(
        reverse("entrustment_approve", args=[e.uuid]),
        {"approved_on": "2026-11-20", "approval_evidence": "承認書 第12号", "next": vendor_page},
    )
    assert response.status_code == 302 and response["Location"] == vendor_page
    e.refresh_from_db()
    assert e.approved and str(e.approved_on) == "2026-11-20" and e.approval_evidence == "承認書 第12号"
    assert TrailEntry.objects.filter(organization=demo.org, object_repr__contains=e.vendor.name).exists()
    # A viewer cannot, and an off-site "next" is not followed.
    assert demo.client(demo.viewer).post(reverse("entrustment_approve", args=[e.uuid]), {}).status_code == 403
    other = Entrustment.objects.for_org(demo.org).filter(parent__isnull=False).exclude(pk=e.pk).first()
    if other is not None:
        r = client.post(
            reverse("entrustment_approve", args=[other.uuid]),
            {"approved_on": "2026-11-20", "next": "https://evil.example/"},
        )
        assert r.status_code == 302 and not r["Location"].startswith("https://evil")


def test_approval_needs_a_date(demo):
    client = demo.client(demo.editor)
    e = Entrustment.objects.for_org(demo.org).filter(parent__isnull=False, approved=False).first()
    response = client.post(reverse("entrustment_approve", args=[e.uuid]), {"approved_on": ""})
    assert response.status_code == 200
    e.refresh_from_db()
    assert not e.approved


def test_contract_clauses_suggested_with_the_sentence_and_confirmed_in_one_click(demo, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = demo.client(demo.editor)
    vendor = Vendor.objects.for_org(demo.org).first()
    text = (
        "第1条（目的）本契約は業務委託について定める。\n"
        "第5条（秘密保持）乙は、本業務で知り得た甲の情報について秘密を保持し、第三者に開示しない。\n"
        "第9条（再委託）乙は、甲の書面による事前の承諾なく再委託してはならない。\n"
    )
    upload = SimpleUploadedFile("契約書.txt", text.encode(), content_type="text/plain")
    client.post(
        reverse("contracts:create"),
        {"vendor": str(vendor.uuid), "title": "業務委託契約", "status": "active", "document": upload},
    )
    contract = Contract.objects.for_org(demo.org).get(title="業務委託契約")
    assert "confidentiality" in contract.suggested_clauses
    page = _text(client.get(reverse("contracts:detail", args=[contract.uuid])))
    assert "記載あり（提案）" in page and "記載なし" in page
    assert "乙は、本業務で知り得た甲の情報について秘密を保持し" in page
    r = client.post(reverse("contract_clauses", args=[contract.uuid]), {"clause": "confidentiality"})
    assert r.status_code == 302
    contract.refresh_from_db()
    assert contract.clauses["confidentiality"] is True
    page = _text(client.get(reverse("contracts:detail", args=[contract.uuid])))
    assert "記載あり（確認済み）" in page
    assert (
        demo.client(demo.viewer)
        .post(reverse("contract_clauses", args=[contract.uuid]), {"clause": "audit"})
        .status_code
        == 403
    )


def test_excel_export_reads_as_a_report_and_imports_again(demo):
    import io

    from openpyxl import load_workbook

    client = demo.client()
    response = client.get("/vendors/export.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "委託先" and ws["A1"].font.bold
    assert demo.org.name in ws["A2"].value and _today_ja() in ws["A2"].value
    assert ws["A3"].font.bold and ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:")
    name_col = next(c.column_letter for c in ws[3] if c.value == "名称")
    longest = max(
        len(str(r[0].value or "")) for r in ws.iter_rows(min_row=4, min_col=ws[name_col + "3"].column)
    )
    assert ws.column_dimensions[name_col].width >= min(60, longest * 2)
    assert ws.print_title_rows == "$3:$3"
    # The exported file goes back in: the title rows are skipped by the import.
    from mamori.platform.tables import strip_title_rows

    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert strip_title_rows(rows)[0] == rows[2]
    # CSV stays a plain table (header first).
    csv_text = client.get("/vendors/export.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("名称")


def test_a_printout_names_the_organization_and_date_and_hides_private_links(demo):
    from mamori.checksheets.models import Assessment

    client = demo.client()
    html = client.get("/vendors/").content.decode()
    assert 'class="print-only print-head' in html and demo.org.name in html and _today_ja() in html
    sheet = Assessment.objects.for_org(demo.org).filter(state="sent").first()
    page = client.get(reverse("checksheets:detail", args=[sheet.uuid])).content.decode()
    assert "/p/" in page and 'class="link-field"' in page  # shown on screen …
    css = (
        __import__("pathlib").Path(__file__).resolve().parent.parent / "mamori" / "static" / "mamori.css"
    ).read_text()
    print_rules = css[css.index("@media print") :]
    print_rules = print_rules[: print_rules.index("}\n}") + 3] if "}\n}" in print_rules else print_rules
    assert ".link-field" in print_rules.split("{")[1]  # … never printed


def test_organization_settings_page_and_the_mail_to_vendors_uses_them(demo):
    import datetime as dt

    from django.core import mail

    from mamori.checksheets import actions as sheets
    from mamori.checksheets.models import Template
    from mamori.platform.actor import Actor
    from mamori.platform.tenancy.models import profile_for

    client = demo.client()
    page = client.get(reverse("tenancy:settings")).content.decode()
    assert "差出人名" in page and "Reply-To" in page
    assert reverse("checksheets:settings") in page  # the reminders are linked from here
    bad = client.post(
        reverse("tenancy:settings"),
        {"org-name": demo.org.name, "mail-phone": "電話してね", "mail-reply_to": "not-an-address"},
    )
    assert bad.status_code == 200 and "03-1234-5678" in bad.content.decode()
    response = client.post(
        reverse("tenancy:settings"),
        {
            "org-name": demo.org.name,
            "mail-sender_name": "さくら通販 総務部",
            "mail-contact_name": "山田 花子",
            "mail-department": "総務部",
            "mail-phone": "０３－１２３４－５６７８",
            "mail-reply_to": "soumu@sakura-tsuhan.example.jp",
            "mail-checksheet_message": "年に一度の確認です。ご協力をお願いします。",
            "mail-digest_enabled": "on",
        },
    )
    assert response.status_code == 302
    profile = profile_for(demo.org)
    assert profile.contact_name == "山田 花子" and profile.reply_to == "soumu@sakura-tsuhan.example.jp"
    assert TrailEntry.objects.filter(
        organization=demo.org, object_type__contains="organizationprofile"
    ).exists()
    # A viewer cannot open it.
    assert demo.client(demo.viewer).get(reverse("tenancy:settings")).status_code == 403

    vendor = (
        Vendor.objects.for_org(demo.org).filter(contacts__email__contains="@").exclude(status="ended").first()
    )
    version = Template.objects.filter(organization=demo.org, builtin_key="short").first().current
    mail.outbox = []
    sheets.send(
        org=demo.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=demo.owner),
    )
    message = mail.outbox[-1]
    assert message.reply_to == ["soumu@sakura-tsuhan.example.jp"]
    assert "さくら通販 総務部" in message.from_email
    assert "担当：山田 花子" in message.body and "電話：03-1234-5678" in message.body
    assert "年に一度の確認です。" in message.body


def test_a_mail_to_vendors_names_someone_even_with_no_settings(demo):
    import datetime as dt

    from django.core import mail

    from mamori.checksheets import actions as sheets
    from mamori.checksheets.models import Template
    from mamori.platform.actor import Actor

    vendor = (
        Vendor.objects.for_org(demo.org).filter(contacts__email__contains="@").exclude(status="ended").first()
    )
    version = Template.objects.filter(organization=demo.org, builtin_key="short").first().current
    # No settings: the sample organization's are emptied.
    from mamori.platform.tenancy.models import OrganizationProfile

    OrganizationProfile.objects.filter(organization=demo.org).update(
        sender_name="", contact_name="", department="", phone="", reply_to="", checksheet_message=""
    )
    mail.outbox = []
    sheets.send(
        org=demo.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=demo.owner),
    )
    message = mail.outbox[-1]
    assert f"担当：{demo.owner.name}" in message.body and message.reply_to == [demo.owner.email]


def test_the_weekly_digest_waits_for_something_to_act_on(tenancy):
    """A new organization that only registered vendors gets no digest in its first days (its
    planned audits are months away, and planned audits alone do not make a digest then)."""
    import datetime as dt

    from django.core import mail
    from django.utils import timezone

    from mamori.audits.digest import send_weekly_digests
    from mamori.platform.tenancy.models import profile_for

    for i, tier in enumerate(["high", "medium", "low"]):
        Vendor.objects.create(
            organization=tenancy.org, name=f"委託先{i}", status="contracted", inherent_tier=tier
        )
    mail.outbox = []
    assert send_weekly_digests() == 0 and not mail.outbox
    # Something to act on: a contract ending soon makes the digest go.
    Contract.objects.create(
        organization=tenancy.org,
        vendor=Vendor.objects.for_org(tenancy.org).first(),
        title="委託契約",
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    profile = profile_for(tenancy.org)
    profile.digest_enabled = False
    profile.save()
    assert send_weekly_digests() == 0  # … unless the organization turned it off
    profile.digest_enabled = True
    profile.save()
    assert send_weekly_digests() == 1


def test_lists_group_thousands_in_both_languages(demo, settings):
    from mamori.ledger.models import DataAsset

    asset = DataAsset.objects.for_org(demo.org).order_by("-individuals").first()
    asset.individuals = 12000
    asset.save()
    client = demo.client()
    assert "12,000" in _text(client.get("/ledger/")) and "12000" not in _text(client.get("/ledger/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _text(client.get("/ledger/"))
    assert "12,000" in page and "Ledger" in page


def test_things_are_named_meisho_and_people_namae(demo):
    """名前 vs 名称: a vendor, a data set, a template or the organization has a 名称; a person
    (a vendor's contact, a member) has a 名前."""
    client = demo.client()
    vendor_form = client.get("/vendors/new/").content.decode()
    assert ">名称" in vendor_form and ">名前" not in vendor_form
    assert ">名称" in client.get("/ledger/new/").content.decode()
    assert ">名前" in client.get("/contacts/new/").content.decode()


def test_item_names_follow_the_language(demo, settings):
    """The English interface names personal-data items in English (the Japanese one in Japanese)."""
    from mamori.ledger.models import DataAsset

    asset = DataAsset.objects.for_org(demo.org).exclude(items=[]).first()
    client = demo.client()
    page = _text(client.get(reverse("ledger:list")))
    assert "氏名" in page or "住所" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _text(client.get(reverse("ledger:list")))
    assert "Name" in page or "Address" in page
    form = client.get(reverse("ledger:edit", args=[asset.uuid])).content.decode()
    assert 'value="address"' in form and "Address" in form


def _today_ja() -> str:
    """Today (the suite's frozen clock) as the Japanese screens write it."""
    from django.utils import timezone as tz

    day = tz.localdate()
    return f"{day.year}年{day.month}月{day.day}日"
