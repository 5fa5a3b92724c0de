"""The company's own messy Excel check sheet (tests/company_sheet.py) imported in Debian's Chromium
through the preview and the column mapping, then sent: the vendor answers it on a phone-sized
screen, the company returns it with a comment, the vendor answers again and the company approves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.checksheets.models import Template
from mamori.core.checksheets.structure import questions
from mamori.platform.tenancy.models import Role
from mamori.vendors.models import Vendor, VendorContact
from tests.company_sheet import EXPECTED, HEADER_ROW, SHEET_NAME, company_workbook
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser import SHOTS
from tests.test_browser_checksheet import browser  # noqa: F401 - the fixture


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_a_company_sheet_through_preview_and_mapping_then_exchange_it(
    browser,  # noqa: F811
    live_server,
    tmp_path,
    settings,
):
    settings.BASE_URL = live_server.url
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    org = owner.memberships.get().organization
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(
        organization=org, vendor=vendor, name="担当 花子", email="hanako@vendor.example"
    )
    sheet = tmp_path / "委託先チェックシート2026.xlsx"
    sheet.write_bytes(company_workbook())

    company = browser.new_context(locale="ja-JP").new_page()
    company.set_default_timeout(15000)
    company.goto(live_server.url + "/login/")
    company.get_by_label("メールアドレス").fill(owner.email)
    company.get_by_label("パスワード").fill(PASSWORD)
    company.locator("#login-submit").click()

    # Upload the file as it is, from the templates page.
    company.goto(live_server.url + "/checksheets/templates/")
    company.locator("input[name=name]").fill("委託先チェック（自社様式）")
    company.locator("input[name=file]").set_input_files(str(sheet))
    company.locator("form[action$='/checksheets/templates/import/'] button[type=submit]").click()

    # The preview proposes the questions sheet (not the cover), the header row under the titles
    # and the columns by their names; nothing is saved yet.
    expect(company.locator("#import-summary")).to_contain_text("19 問")
    expect(company.locator("#sheet-select")).to_have_value(SHEET_NAME)
    expect(company.locator("#header-select")).to_have_value(str(HEADER_ROW))
    expect(company.locator("#col-question option:checked")).to_contain_text("D：確認項目")
    expect(company.locator("#col-weight option:checked")).to_contain_text("F：配点")
    expect(company.locator("#col-guidance option:checked")).to_contain_text("H：備考")
    expect(company.locator("tr.import-question")).to_have_count(19)
    expect(company.locator("tr.import-question").first.locator(".q-choices")).to_have_text(
        "はい（1.0）／一部（0.5）／いいえ（0.0）／該当なし"
    )
    expect(company.locator("#skipped-rows")).to_contain_text("小計")
    company.screenshot(path=str(SHOTS / "sheet-import-preview.png"), full_page=True)
    assert not Template.objects.filter(organization=org, builtin_key="").exists()

    # Trying the cover sheet says there is no header there; back to the questions sheet.
    company.locator("#sheet-select").select_option("表紙")
    company.locator("#refresh-preview").click()
    expect(company.locator("#import-errors")).to_contain_text("見出し行が見つかりません")
    expect(company.locator("#confirm-import")).to_have_count(0)
    company.locator("#sheet-select").select_option(SHEET_NAME)
    company.locator("#refresh-preview").click()
    expect(company.locator("tr.import-question")).to_have_count(19)

    # The user fixes the mapping: 中項目 is not wanted, and the weights come from 配点 (F), not
    # the hidden helper column G the user picks by mistake first.
    company.locator("#col-weight").select_option(label="G：点数（計算用）（非表示）")
    company.locator("#refresh-preview").click()
    expect(company.locator("tr.import-question .q-weight").nth(1)).to_have_text("1.0")
    company.locator("#col-weight").select_option(label="F：配点")
    company.locator("#col-subsection").select_option(value="")
    company.locator("#refresh-preview").click()
    expect(company.locator("tr.import-question .q-weight").nth(1)).to_have_text("3.0")
    company.locator("#confirm-import").click()

    expect(company.locator("h1")).to_have_text("委託先チェック（自社様式）")
    template = Template.objects.get(organization=org, name="委託先チェック（自社様式）")
    structure = template.current.structure
    assert [s["title"] for s in structure["sections"]] == [t for t, _rows in EXPECTED]
    got = [(q["text"], float(q["weight"]), q["guidance"]) for _s, q in questions(structure)]
    assert got == [(text, w, g) for _t, rows in EXPECTED for text, w, g, _sub in rows]
    assert all(
        q["type"] == "ynp" and q["allow_na"] and q["required"] and "subsection" not in q
        for _s, q in questions(structure)
    )

    # Send it; the vendor answers on a phone.
    company.goto(live_server.url + "/checksheets/send/")
    company.locator("select[name=version]").select_option(label="委託先チェック（自社様式）（v1・19問）")
    company.locator("input[name=due_on]").fill((timezone.localdate() + dt.timedelta(days=21)).isoformat())
    company.get_by_label("株式会社発送代行", exact=True).check()
    company.locator("#send-submit").click()
    expect(company.locator("#state")).to_have_text("送付済")
    link = company.locator("input.link-field").first.input_value()

    vendor_page = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844}).new_page()
    vendor_page.set_default_timeout(15000)
    vendor_page.goto(link)
    expect(vendor_page.locator("h1")).to_have_text("委託先チェック（自社様式）")
    keys = [q["key"] for _s, q in questions(structure)]
    # Required by default: submitting a blank sheet is refused.
    vendor_page.locator("#submit-button").click()
    expect(vendor_page.locator(f"#q-{keys[0]}.missing")).to_be_visible()
    for key in keys:
        vendor_page.locator(f"#q-{key} input[value={'no' if key == keys[-1] else 'yes'}]").check()
        expect(vendor_page.locator(f"#q-{key} .save-status")).to_contain_text("保存しました")
    vendor_page.screenshot(path=str(SHOTS / "imported-sheet-phone.png"), full_page=False)
    vendor_page.locator("#submit-button").click()
    expect(vendor_page.locator("#receipt")).to_contain_text("ご回答を受け付けました")

    # Returned with a comment on the last question (weight 3 of 37: 91.9 before).
    company.reload()
    expect(company.locator("#state")).to_have_text("提出済")
    expect(company.locator("#score")).to_contain_text("91.9")
    company.locator(f"textarea[name=comment_{keys[-1]}]").fill("暗号化の方式を教えてください")
    company.locator("#return-button").click()
    expect(company.locator("#state")).to_have_text("差戻し")

    vendor_page.reload()
    expect(vendor_page.locator(f"#q-{keys[-1]}")).to_contain_text("暗号化の方式を教えてください")
    vendor_page.locator(f"#q-{keys[-1]} input[value=yes]").check()
    expect(vendor_page.locator(f"#q-{keys[-1]} .save-status")).to_contain_text("保存しました")
    vendor_page.locator("#submit-button").click()
    expect(vendor_page.locator("#receipt")).to_be_visible()

    company.reload()
    company.locator("#approve-button").click()
    expect(company.locator("#state")).to_have_text("承認済")
    expect(company.locator("#score")).to_contain_text("100")
