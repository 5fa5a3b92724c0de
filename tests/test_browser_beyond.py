"""Issue 18 end to end in Chromium: provision records and purposes, the response plan and a drill,
the standards lenses of a vendor."""

from __future__ import annotations

import pytest
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
    expect(page.locator("#retention-until")).to_have_text("2029-11-25")  # made today (2026-11-25) + 3 years
    expect(page.locator("#record-items")).to_contain_text("不足")

    page.goto(live_server.url + "/provisions/check/")
    row = page.locator("#check-rows tr[data-asset='会員台帳']")
    expect(row.locator("li[data-code=missing_subjects]")).to_be_visible()
    expect(row.locator("li[data-code=use_outside]")).to_contain_text("株式会社ポイント連合への提供")
