"""Everyday use (issue 17): the dashboard's 「次にすること」 and charts, 「再委託を承認」 in one click,
and contract clauses shown as 記載あり（提案）/ 未確認 / 記載なし with one-click confirmation."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
