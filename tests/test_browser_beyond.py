"""Issue 18 end to end in Chromium: provision records and purposes, the response plan and a drill,
the standards lenses of a vendor."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser_checksheet import browser  # noqa: F401 - the shared browser fixture


def _login(browser, live_server):  # noqa: F811
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    page = browser.new_context(locale="ja-JP").new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page, owner.memberships.get().organization


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provision_record_and_purpose_check(browser, live_server):  # noqa: F811
    page, org = _login(browser, live_server)
    DataAsset.objects.create(organization=org, name="会員台帳", items=["name", "address"])

    page.goto(live_server.url + "/provisions/purposes/new/")
    page.locator("#id_data_asset").select_option(label="会員台帳")
    page.locator("#id_purpose").fill("ご注文商品の発送")
    page.locator("#id_way").select_option("published")
    page.locator("#id_since").fill("2025-04-01")
    page.locator("#save-button").click()
    expect(page.locator("h1")).to_contain_text("ご注文商品の発送")

    page.goto(live_server.url + "/provisions/records/new/")
    page.locator("#id_direction").select_option("providing")
    page.locator("#id_data_asset").select_option(label="会員台帳")
    page.locator("#id_basis").select_option("consent")
    page.locator("#id_counterparty").fill("株式会社ポイント連合")
    page.locator("#id_provided_on").fill("2026-10-01")
    page.locator("#id_items").fill("氏名、住所")
    page.locator("#save-button").click()
    expect(page.locator("#record-required")).to_contain_text("記録が必要です（法29条1項）")
    made = timezone.localdate()  # the record is made today (the suite's frozen day); kept 3 years
    expect(page.locator("#retention-until")).to_have_text(f"{made.year + 3}年{made.month}月{made.day}日")
    expect(page.locator("#record-items")).to_contain_text("不足")

    page.goto(live_server.url + "/provisions/check/")
    row = page.locator("#check-rows tr[data-asset='会員台帳']")
    expect(row.locator("li[data-code=missing_subjects]")).to_be_visible()
    expect(row.locator("li[data-code=use_outside]")).to_contain_text("株式会社ポイント連合への提供")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_response_plan_drill_and_day_one(browser, live_server):  # noqa: F811
    from mamori.audits.models import CorrectiveAction
    from mamori.incidents.models import Incident, TimelineEntry

    page, org = _login(browser, live_server)
    page.goto(live_server.url + "/preparedness/plan/")
    expect(page.locator("#plan-gaps li[data-code=decision_maker]")).to_be_visible()
    page.locator("#plan-form #id_decision_maker").fill("代表取締役 守 太郎")
    page.locator("#plan-form #id_call_centre").fill("外部コールセンターに48時間以内に窓口を開設")
    page.locator("#plan-form #id_approved_wording").fill(
        "このたびはご迷惑をおかけし、深くお詫び申し上げます。"
    )
    page.locator("#plan-form #id_approved_on").fill("2026-10-01")
    page.locator("#save-plan").click()
    for role, name, phone in [
        ("lawyer", "守法律事務所", "03-1111-2222"),
        ("forensic", "調査会社A", "0120-000-111"),
        ("insurer", "B損保", "0120-222-333"),
        ("police", "警視庁", "03-3581-4321"),
        ("ppc", "個人情報保護委員会", "03-6457-9849"),
    ]:
        if not page.locator("#contact-form").is_visible():
            page.locator("summary", has_text="連絡先を追加").click()
        page.locator("#contact-form #id_role").select_option(role)
        page.locator("#contact-form #id_name").fill(name)
        page.locator("#contact-form #id_phone").fill(phone)
        page.locator("#contact-add").click()
    expect(page.locator("#plan-complete")).to_be_visible()
    page.goto(live_server.url + "/preparedness/plan/print/")
    expect(page.locator("#sheet-decider")).to_contain_text("代表取締役 守 太郎")
    expect(page.locator("#sheet-contacts")).to_contain_text("03-6457-9849")

    page.goto(live_server.url + "/preparedness/drills/new/")
    page.locator("#id_title").fill("ランサムウェア訓練")
    page.locator("#id_sample").select_option("ransomware")
    page.locator("#id_held_on").fill("2026-03-25")
    page.locator("#save-button").click()
    expect(page.locator("#drill-final-due")).to_have_text("2026-05-25")
    page.locator("#drill-start").click()
    page.get_by_label("回答 1").fill("代表に電話し、サーバーを切り離す")
    page.locator("#findings").fill("保険会社の事故受付番号が計画にない\nカード会社の連絡先がない")
    page.locator("#drill-finish").click()
    expect(page.locator("#drill-status")).to_have_text("完了")
    expect(page.locator("#drill-findings li")).to_have_count(2)
    assert CorrectiveAction.objects.filter(organization=org, what__startswith="【訓練】").count() == 2

    page.goto(live_server.url + "/incidents/new/")
    page.locator("#id_title").fill("ノートPCの紛失")
    page.locator("#id_cause").select_option("loss")
    page.locator("#id_aware_on").fill("2026-11-25")
    page.locator("#save-button").click()
    incident = Incident.objects.get(organization=org, title="ノートPCの紛失")
    note = TimelineEntry.objects.get(incident=incident, text__startswith="対応計画を添付しました")
    assert "代表取締役 守 太郎" in note.text and "03-1111-2222" in note.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_vendor_lenses_and_required_star(browser, live_server):  # noqa: F811
    from mamori.checksheets.models import Answer, Assessment
    from mamori.core.checksheets import builtin
    from mamori.vendors.models import Entrustment, Vendor

    page, org = _login(browser, live_server)
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    asset = DataAsset.objects.create(organization=org, name="会員台帳", items=["person_name", "address"])
    Entrustment.objects.create(organization=org, vendor=vendor, data_asset=asset, purpose="DM発送")
    from mamori.audits.actions import self_version  # a template version of the built-in kind

    version = self_version(org)
    assessment = Assessment.objects.create(
        organization=org,
        vendor=vendor,
        version=version,
        state="submitted",
        due_on="2026-11-30",
        submitted_at="2026-11-20T10:00:00+09:00",
    )
    for _title, rows in builtin.STANDARD:
        for key, *_rest in rows:
            Answer.objects.create(
                organization=org, assessment=assessment, question=key, value="no" if key == "t5" else "yes"
            )

    page.goto(live_server.url + f"/vendors/{vendor.uuid}/")
    page.locator("#vendor-lenses-link").click()
    expect(page.locator("#lens-ppc .lens-summary")).to_contain_text("PPC: 19/20 項目")
    expect(page.locator("#lens-ipa .ipa-converted")).to_have_text("IPA 自社診断 換算 100/100")
    expect(page.locator("#star-level")).to_have_text("★3")
    page.locator("#star-form #id_entrustment").select_option(label="会員台帳 → 株式会社発送代行")
    page.locator("#star-form #id_level").select_option("4")
    page.locator("#star-save").click()
    expect(page.locator("#star-requirements .star-short")).to_be_visible()
