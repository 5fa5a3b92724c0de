"""The grouped menu in the browser, on a desktop screen and on a phone: six sections (台帳・委託先 /
チェックシート / 監査・自己点検 / 漏えい対応 / レポート / 設定), every page of each reached from the
menu, the current section and page marked, and on a phone the menu folded behind a menu button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mamori.platform.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser import SHOTS
from tests.test_browser_checksheet import browser  # noqa: F401 - the shared browser fixture

GROUPS = ["台帳・委託先", "チェックシート", "監査・自己点検", "漏えい対応", "レポート", "設定"]
# The pages the issue names as unreachable from the old flat menu, and a few more, by section.
MUST_REACH = {
    "台帳・委託先": ["台帳", "委託先"],
    "監査・自己点検": ["監査計画", "自己点検", "従業者の研修", "カレンダー"],
    "漏えい対応": ["漏えい等事案"],
    "レポート": ["年次の委託先監督報告書", "証跡"],
    "設定": ["組織の設定", "チェックシートの督促", "メンバー", "アカウント"],
}


def _sign_in(browser, live_server, viewport):  # noqa: F811
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    page = browser.new_context(locale="ja-JP", viewport=viewport).new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("h1")).to_have_text("株式会社守り")
    return page


def _walk(page, live_server, phone: bool) -> list[str]:
    reached = []
    groups = page.locator(".site-sections .nav-group[data-group] > details > summary")
    if phone:
        expect(page.locator(".site-sections")).to_be_hidden()
        page.locator("#menu-toggle").click()
    assert groups.all_inner_texts() == GROUPS
    for g, group in enumerate(GROUPS):
        if phone and not page.locator(".site-sections").is_visible():
            page.locator("#menu-toggle").click()
        page.locator(".site-sections summary", has_text=group).click()
        links = page.locator(f".site-sections .nav-group[data-group]:nth-child({g + 2}) details ul a")
        names = links.all_inner_texts()
        for wanted in MUST_REACH.get(group, []):
            assert wanted in names, f"{group}: {wanted} is not in the menu ({names})"
        for name in names:
            if page.locator(".site-sections details.dropdown[open]").count() == 0:
                if phone:
                    page.locator("#menu-toggle").click()
                page.locator(".site-sections summary", has_text=group).click()
            link = page.locator(".site-sections details.dropdown[open] ul a", has_text=name).first
            expect(link).to_be_visible()
            href = link.get_attribute("href")
            link.click()
            expect(page).to_have_url(live_server.url + href)
            assert page.locator("h1").count() >= 1, f"{group} / {name}: no page heading"
            # Where you are: the section underlined, the page marked in the menu.
            expect(page.locator(".site-sections .nav-group.current > details > summary")).to_have_text(group)
            expect(page.locator(f".site-sections a[aria-current=page][href='{href}']")).to_have_count(1)
            reached.append(f"{group}/{name}")
            if phone:
                expect(page.locator(".site-sections")).to_be_hidden()
    return reached


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grouped_menu_on_a_desktop_screen(browser, live_server):  # noqa: F811
    page = _sign_in(browser, live_server, {"width": 1280, "height": 800})
    reached = _walk(page, live_server, phone=False)
    page.screenshot(path=str(SHOTS / "nav-desktop.png"))
    assert len(reached) >= 18


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grouped_menu_on_a_phone(browser, live_server):  # noqa: F811
    page = _sign_in(browser, live_server, {"width": 390, "height": 844})
    # Folded: the header is one line (brand, organization, menu button), not four. The button shows
    # once mamori.js has run (it marks the page ``js``), so wait for it before measuring.
    expect(page.locator("#menu-toggle")).to_be_visible()
    header = page.locator("header.site-header").bounding_box()
    assert header is not None and header["height"] < 120, header
    reached = _walk(page, live_server, phone=True)
    page.locator("#menu-toggle").click()
    expect(page.locator("#menu-toggle")).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(SHOTS / "nav-phone.png"), full_page=True)
    assert len(reached) >= 18
