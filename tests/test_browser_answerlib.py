"""The answer library in Debian's Chromium: the vendor fills its library from its self-assessment,
uploads a principal's sheet in a foreign layout (tests/foreign_sheet.py), checks the proposals,
corrects one, saves, and downloads the principal's own workbook with the answers written in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from mamori.answerlib.models import LibraryAnswer
from mamori.platform.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory
from tests.foreign_sheet import ANSWER_COLUMN, HEADER_ROW, QUESTIONS, SHEET_NAME, foreign_workbook
from tests.test_browser import SHOTS
from tests.test_browser_checksheet import browser  # noqa: F401 - the fixture


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_answer_a_foreign_sheet_from_the_library_and_download_it(browser, live_server, tmp_path):  # noqa: F811
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社発送代行").user
    org = owner.memberships.get().organization
    sheet = tmp_path / "取引先A_セキュリティ調査票.xlsx"
    sheet.write_bytes(foreign_workbook())

    page = browser.new_context(locale="ja-JP").new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()

    page.goto(live_server.url + "/answers/")
    expect(page.locator("h1")).to_have_text("回答ライブラリ")
    page.locator("#seed-library").click()
    expect(page.locator("#library-table tbody tr")).to_have_count(LibraryAnswer.objects.for_org(org).count())

    # Our answer about certification: いいえ, with a remark, valid until the end of the fiscal year.
    page.locator("#lib-c1 a").click()
    page.get_by_label("いいえ", exact=True).check()
    page.locator("#answer-form textarea[name=remark]").fill("2027年度にISMS取得予定")
    page.locator("#answer-form input[name=valid_until]").fill("2027-03-31")
    page.locator("#answer-save").click()
    expect(page.locator("input[name=value][value=no]")).to_be_checked()
    expect(page.locator("#answer-form input[name=valid_until]")).to_have_value("2027-03-31")
    # The rest answered はい for the test.
    LibraryAnswer.objects.for_org(org).filter(value="").update(value="yes")

    page.goto(live_server.url + "/answers/")
    page.locator("#sheet-upload-form input[name=name]").fill("取引先A 調査票")
    page.locator("#sheet-upload-form input[name=file]").set_input_files(str(sheet))
    page.locator("#sheet-upload").click()

    expect(page.locator("h1")).to_have_text("取引先A 調査票")
    expect(page.locator("#sheet-summary")).to_contain_text("40 問")
    expect(page.locator("tr.sheet-row")).to_have_count(40)
    c1 = next(i for i, (_f, q, _k) in enumerate(QUESTIONS) if "Pマーク" in q)
    row = page.locator(f"#row-{c1}")
    expect(row.locator("select")).to_have_value("no")
    expect(row.locator("input[type=text]")).to_have_value("2027年度にISMS取得予定")
    expect(row.locator(".match")).to_contain_text("プライバシーマーク")
    page.screenshot(path=str(SHOTS / "answer-library-proposals.png"), full_page=True)

    # The user changes the first answer to 一部 and saves.
    page.locator("#row-0 select").select_option("partial")
    page.locator("#sheet-save").click()
    expect(page.locator("#row-0 select")).to_have_value("partial")

    with page.expect_download() as info:
        page.locator("#sheet-export").click()
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    ws = wb[SHEET_NAME]
    assert ws[f"{ANSWER_COLUMN}{HEADER_ROW + 1}"].value == "一部適合"
    assert ws[f"{ANSWER_COLUMN}{HEADER_ROW + 1 + c1}"].value == "不適合"
    assert info.value.suggested_filename.endswith("_回答.xlsx")
