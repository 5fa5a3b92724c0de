"""From a leaked file to a PPC draft in the browser: record the incident, scan the file, see the
assessment with both dates, download the Word draft, complete the checklist, close; the timeline
verifies."""

from __future__ import annotations

import io
import time

import docx
import pytest
from playwright.sync_api import expect

from mamori.incidents.actions import verify_timeline
from mamori.incidents.models import Incident
from mamori.platform.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser import SHOTS
from tests.test_browser_checksheet import browser  # noqa: F401 - the shared browser fixture
from tests.test_incidents import CSV


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_a_leaked_file_to_a_ppc_draft(browser, live_server, tmp_path):  # noqa: F811
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    page = browser.new_context(locale="ja-JP", accept_downloads=True).new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()

    page.goto(live_server.url + "/incidents/new/")
    page.locator("#id_title").fill("顧客リストのメール誤送信")
    page.locator("#id_description").fill("顧客リストを添付したメールを取引先以外に誤送信した")
    page.locator("#id_cause").select_option("misdirected_email")
    page.locator("#id_aware_on").fill("2026-04-28")
    page.locator("#save-button").click()
    expect(page.locator("#verdict")).to_have_text("判定保留")  # the number of people is not known yet
    expect(page.locator("#missing")).to_contain_text("1,000人を超えるおそれがあれば報告対象")

    leaked = tmp_path / "顧客リスト.csv"
    leaked.write_text(CSV, encoding="utf-8")
    started = time.perf_counter()  # measured for the report, never asserted
    page.locator("input[name=file]").first.set_input_files(str(leaked))
    page.locator("#scan-submit").click()
    expect(page.locator("#verdict")).to_have_text("報告が必要")
    expect(page.locator("#people")).to_contain_text("1,200人")
    expect(page.locator("#prelim")).to_have_text("2026-05-01 〜 2026-05-03")
    expect(page.locator("#final")).to_have_text("2026-05-27")
    page.screenshot(path=str(SHOTS / "incident.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("a.doc-link[data-kind=ppc_preliminary]").click()
    draft = docx.Document(io.BytesIO(info.value.path().read_bytes()))
    print(f"\nupload to PPC draft: {time.perf_counter() - started:.2f} s")
    text = "\n".join(p.text for p in draft.paragraphs)
    cells = [c.text for t in draft.tables for row in t.rows for c in row.cells]
    assert "個人情報保護委員会への漏えい等報告（速報）" in text and any("1,200人" in c for c in cells)

    done_buttons = page.get_by_role("button", name="完了", exact=True)
    for _ in range(30):
        if not done_buttons.count():
            break
        done_buttons.first.click()
        page.wait_for_load_state()
    page.locator("#close-incident").click()
    expect(page.locator("#incident-state")).to_have_text("終了")
    expect(page.locator("#timeline-ok")).to_be_visible()
    incident = Incident.objects.get()
    assert verify_timeline(incident) is None and not incident.tasks.filter(done_at__isnull=True).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editing_a_wording_in_the_browser(browser, live_server):  # noqa: F811
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    page = browser.new_context(locale="ja-JP").new_page()
    page.set_default_timeout(15000)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()
    page.goto(live_server.url + "/incidents/new/")
    page.locator("#id_title").fill("顧客リストのメール誤送信")
    page.locator("#id_aware_on").fill("2026-04-28")
    page.locator("#save-button").click()
    expect(page.locator("#assessment")).to_be_visible()
    incident = Incident.objects.get()

    page.goto(live_server.url + "/incidents/wording/notice/")
    expect(page.locator("#placeholders")).to_contain_text("{{会社名}}")
    expect(page.locator("#placeholders")).to_contain_text("作成する会社（組織）の名称")
    page.screenshot(path=str(SHOTS / "wording.png"), full_page=True)
    hostile = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'
    page.locator("#id_body").fill(f"■ お知らせ\n{{{{会社名}}}}\n{hostile}\n{{{{社長名}}}}")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist")).to_contain_text("使えない差し込み項目があります：{{社長名}}")
    page.locator("#id_body").fill(f"■ お知らせ\n{{{{会社名}}}}\n{hostile}")
    page.get_by_role("button", name="保存").click()
    page.goto(live_server.url + f"/incidents/{incident.uuid}/documents/notice.html")
    expect(page.locator("article.document")).to_contain_text("株式会社守り")
    expect(page.locator("article.document")).to_contain_text(hostile)
    assert dialogs == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_incident_form_is_grouped_and_shows_vendor_and_my_number_questions_only_when_they_apply(
    browser,  # noqa: F811
    live_server,
):
    """Fieldsets by topic; the 規則9条 group only for 'we are the vendor', the 番号法 question only when
    My Number is among the items; without JavaScript every group is there and usable."""
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    for javascript in (True, False):
        page = browser.new_context(locale="ja-JP", java_script_enabled=javascript).new_page()
        page.set_default_timeout(15000)
        page.goto(live_server.url + "/login/")
        page.get_by_label("メールアドレス").fill(owner.email)
        page.get_by_label("パスワード").fill(PASSWORD)
        page.locator("#login-submit").click()
        page.goto(live_server.url + "/incidents/new/")
        legends = page.locator("fieldset.incident-group > legend").all_inner_texts()
        assert legends[:3] == ["基本情報", "発生と発覚の日時", "漏えい等の内容と人数"]
        assert "委託元への通知（当社が委託先の場合）" in legends and "本人への通知" in legends
        vendor, my_number = page.locator("#group-vendor-mode"), page.locator("#group-my-number")
        if javascript:
            expect(vendor).to_be_hidden()
            expect(my_number).to_be_hidden()
            page.locator("#id_role").select_option("vendor")
            expect(vendor).to_be_visible()
            page.locator("input[name=items][value=my_number]").check()
            expect(my_number).to_be_visible()
            page.locator("#id_role").select_option("principal")
            expect(vendor).to_be_hidden()
            page.locator("#id_role").select_option("vendor")
        else:
            expect(vendor).to_be_visible()
            expect(my_number).to_be_visible()
            page.locator("#id_role").select_option("vendor")
            page.locator("input[name=items][value=my_number]").check()
        title = f"源泉徴収票の誤送付（JS {'あり' if javascript else 'なし'}）"
        page.locator("#id_title").fill(title)
        page.locator("#id_aware_on").fill("2026-04-28")
        page.locator("#id_cause").select_option("misdirected_mail")
        page.locator("#id_caused_by").select_option("self")
        page.locator("#id_individuals").fill("150")
        page.locator("#id_principal_name").fill("株式会社アルファ通販")
        page.locator("#id_my_number_system").select_option("no")
        page.locator("#save-button").click()
        expect(page.locator("#assessment")).to_be_visible()
        incident = Incident.objects.get(title=title)
        assert incident.role == "vendor" and incident.principal_name == "株式会社アルファ通販"
        assert "my_number" in incident.items
        page.context.close()
