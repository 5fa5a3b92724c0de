"""Both sides of a check sheet in Debian's Chromium: the company sends, the vendor answers on its
private link in a separate browser context (drafts survive a reload, evidence uploads), submits;
the company returns it with a comment, the vendor answers again, the company accepts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.core.checksheets.builtin import SHORT_KEYS
from mamori.platform.tenancy.models import Role
from mamori.vendors.models import Vendor, VendorContact
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser import ARGS, CHROMIUM, SHOTS


@pytest.fixture
def browser(live_server):
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_company_and_vendor_exchange_a_check_sheet(browser, live_server, tmp_path, settings):
    settings.BASE_URL = live_server.url  # links in mails and on pages point to this server
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    org = owner.memberships.get().organization
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )

    company = browser.new_context(locale="ja-JP").new_page()
    company.set_default_timeout(15000)
    company.goto(live_server.url + "/login/")
    company.get_by_label("メールアドレス").fill(owner.email)
    company.get_by_label("パスワード").fill(PASSWORD)
    company.locator("#login-submit").click()
    company.goto(live_server.url + "/checksheets/send/")
    company.locator("select[name=version]").select_option(
        label="委託先チェックシート（小規模事業者向け）（v1・15問）"
    )
    company.locator("input[name=due_on]").fill((timezone.localdate() + dt.timedelta(days=21)).isoformat())
    company.get_by_label("株式会社発送代行", exact=True).check()
    company.locator("#send-submit").click()
    expect(company.locator("#state")).to_have_text("送付済")
    link = company.locator("input.link-field").first.input_value()
    assert "/p/mmv_" in link

    # The vendor, on a phone-sized screen, in another browser context (no session, no account).
    vendor_page = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844}).new_page()
    vendor_page.set_default_timeout(15000)
    vendor_page.goto(link)
    expect(vendor_page.locator("h1")).to_have_text("委託先チェックシート（小規模事業者向け）")
    for key in SHORT_KEYS[:3]:
        vendor_page.locator(f"#q-{key} input[value=yes]").check()
        expect(vendor_page.locator(f"#q-{key} .save-status")).to_contain_text("保存しました")
    vendor_page.reload()
    expect(vendor_page.locator(f"#q-{SHORT_KEYS[0]} input[value=yes]")).to_be_checked()  # the draft was kept
    evidence = tmp_path / "規程.pdf"
    evidence.write_bytes(b"%PDF-1.4 policy")
    vendor_page.locator(f"#q-{SHORT_KEYS[0]} details.evidence summary").click()  # folded away on a phone
    vendor_page.locator(f"#q-{SHORT_KEYS[0]} input[type=file]").set_input_files(str(evidence))
    vendor_page.locator(f"#q-{SHORT_KEYS[0]} button:has-text('証跡をアップロード')").click()
    expect(vendor_page.locator(f"#q-{SHORT_KEYS[0]}")).to_contain_text("規程.pdf")
    for key in SHORT_KEYS[3:]:
        vendor_page.locator(f"#q-{key} input[value={'no' if key == 't2' else 'yes'}]").check()
        expect(vendor_page.locator(f"#q-{key} .save-status")).to_contain_text("保存しました")
    vendor_page.screenshot(path=str(SHOTS / "portal-phone.png"), full_page=False)
    vendor_page.locator("#submit-button").click()
    expect(vendor_page.locator("#receipt")).to_contain_text("ご回答を受け付けました")

    # The company returns it with a comment on one question.
    company.reload()
    expect(company.locator("#state")).to_have_text("提出済")
    expect(company.locator("#rating")).to_contain_text("D")
    company.locator("textarea[name=comment_t2]").fill("多要素認証の導入状況を教えてください")
    company.locator("#return-button").click()
    expect(company.locator("#state")).to_have_text("差戻し")

    vendor_page.reload()
    expect(vendor_page.locator("#q-t2")).to_contain_text("多要素認証の導入状況を教えてください")
    vendor_page.locator("#q-t2 input[value=yes]").check()
    expect(vendor_page.locator("#q-t2 .save-status")).to_contain_text("保存しました")
    vendor_page.locator("#submit-button").click()
    expect(vendor_page.locator("#receipt")).to_be_visible()

    company.reload()
    company.locator("#approve-button").click()
    expect(company.locator("#state")).to_have_text("承認済")
    expect(company.locator("#score")).to_contain_text("100")
    expect(company.locator("#rating")).to_contain_text("A（良好）")
    expect(company.locator("#risk")).to_contain_text("リスク")
    company.screenshot(path=str(SHOTS / "assessment.png"), full_page=True)
