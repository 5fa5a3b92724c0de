"""Both sides of a check sheet on a phone (390×844) in Debian's Chromium (issue 16): the vendor's
failed saves are said next to the question, progress moves as it answers, the 該当なし reason
shows only with 該当なし, remarks and evidence are folded away, 「次の未回答へ」 jumps, a renamed
program is refused as evidence and a wrong file withdrawn; the company returns the sheet, the
vendor answers again, the company approves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.core.checksheets.builtin import SHORT_KEYS
from mamori.platform.tenancy.models import Role
from mamori.vendors.models import Vendor, VendorContact
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser import SHOTS
from tests.test_browser_checksheet import browser  # noqa: F401  (the fixture)

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_both_sides_on_a_phone_through_return_and_approval(browser, live_server, tmp_path, settings):  # noqa: F811
    settings.BASE_URL = live_server.url
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    org = owner.memberships.get().organization
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )

    company = browser.new_context(locale="ja-JP", viewport=PHONE).new_page()
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

    page = browser.new_context(locale="ja-JP", viewport=PHONE).new_page()
    page.set_default_timeout(15000)
    page.goto(link)
    first, second = SHORT_KEYS[0], SHORT_KEYS[1]
    # Large tap targets; the 該当なし reason only with 該当なし; remarks folded away.
    assert page.locator(f"#q-{first} .choices label").first.bounding_box()["height"] >= 44
    expect(page.locator(f"#q-{first} input[name=na_reason]")).to_be_hidden()
    expect(page.locator(f"#q-{first} textarea[name=remark]")).to_be_hidden()
    page.locator(f"#q-{first} input[value=na]").check()
    expect(page.locator(f"#q-{first} input[name=na_reason]")).to_be_visible()
    page.locator(f"#q-{first} input[name=na_reason]").fill("該当業務なし")
    page.locator(f"#q-{first} input[name=na_reason]").press("Tab")  # leaving the field saves it
    expect(page.locator(f"#q-{first} .save-status")).to_contain_text("保存しました")
    expect(page.locator("#progress-text")).to_have_text("1 / 15")  # live, without a reload

    # The network drops: the failure is said next to the question, with what to do.
    page.route("**/answer/**", lambda route: route.abort())
    page.locator(f"#q-{second} input[value=yes]").check()
    expect(page.locator(f"#q-{second} .save-error")).to_contain_text("通信できませんでした")
    page.unroute("**/answer/**")
    page.locator(f"#q-{second} input[value=partial]").check()
    expect(page.locator(f"#q-{second} .save-status")).to_contain_text("保存しました")
    expect(page.locator("#progress-text")).to_have_text("2 / 15")

    # 「次の未回答へ」 goes to the first question still open.
    page.locator("#next-unanswered").click()
    expect(page.locator(f"#q-{SHORT_KEYS[2]}")).to_be_in_viewport()

    # A program renamed .pdf is refused, next to its question; a wrong file is withdrawn.
    fake = tmp_path / "規程.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode")
    page.locator(f"#q-{first} details.evidence summary").click()
    page.locator(f"#q-{first} input[type=file]").set_input_files(str(fake))
    page.locator(f"#q-{first} button:has-text('証跡をアップロード')").click()
    expect(page.locator(f"#q-{first} .question-message")).to_contain_text("PDFファイルではない")
    wrong = tmp_path / "別の会社の規程.txt"
    wrong.write_text("別の会社の規程", encoding="utf-8")
    page.locator(f"#q-{first} input[type=file]").set_input_files(str(wrong))
    page.locator(f"#q-{first} button:has-text('証跡をアップロード')").click()
    expect(page.locator(f"#q-{first} .evidence-file")).to_contain_text("別の会社の規程.txt")
    page.locator(f"#q-{first} .evidence-file button.withdraw").click()
    expect(page.locator(f"#q-{first} .evidence-file")).to_have_count(0)

    for key in SHORT_KEYS[2:]:
        page.locator(f"#q-{key} input[value={'no' if key == 't2' else 'yes'}]").check()
        expect(page.locator(f"#q-{key} .save-status")).to_contain_text("保存しました")
    expect(page.locator("#progress-text")).to_have_text("15 / 15")
    page.screenshot(path=str(SHOTS / "portal-phone-issue16.png"), full_page=False)
    page.locator("#submit-button").click()
    expect(page.locator("#receipt")).to_contain_text("ご回答を受け付けました")

    # The company, on its phone, returns the sheet with a comment.
    company.reload()
    expect(company.locator("#state")).to_have_text("提出済")
    expect(company.locator("#rating")).to_contain_text("D")
    company.locator("textarea[name=comment_t2]").fill("多要素認証の導入状況を教えてください")
    company.locator("#return-button").click()
    expect(company.locator("#state")).to_have_text("差戻し")

    page.reload()
    expect(page.locator("#q-t2")).to_contain_text("多要素認証の導入状況を教えてください")
    page.locator("#q-t2 input[value=yes]").check()
    expect(page.locator("#q-t2 .save-status")).to_contain_text("保存しました")
    page.locator("#submit-button").click()
    expect(page.locator("#receipt")).to_be_visible()

    company.reload()
    # The reviewer sees what the first round said.
    expect(company.locator("#q-t2 .earlier-round")).to_contain_text("いいえ")
    company.locator("#approve-button").click()
    expect(company.locator("#state")).to_have_text("承認済")
    expect(company.locator("#rating")).to_contain_text("A（良好）")
    company.screenshot(path=str(SHOTS / "assessment-phone-issue16.png"), full_page=True)

    # The heat map shows the vendor in its cell, which leads to the list of that cell.
    company.goto(live_server.url + "/checksheets/")
    cell = company.locator("#heatmap td").filter(has_text="株式会社発送代行")
    expect(cell).to_have_count(1)
    company.screenshot(path=str(SHOTS / "heatmap-phone-issue16.png"), full_page=True)
    cell.locator("a.cell").click()
    expect(company.locator("#cell-list")).to_contain_text("株式会社発送代行")
