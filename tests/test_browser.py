"""One browser walk through first-run setup, sign-in, the dashboard and sign-out (Debian's Chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture
def browser_page(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(locale="ja-JP")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_first_run_setup_sign_in_dashboard_sign_out(browser_page, live_server):
    page = browser_page
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/setup/")
    expect(page.locator("h1")).to_have_text("Mamori へようこそ")
    page.screenshot(path=str(SHOTS / "setup.png"), full_page=True)

    page.get_by_label("組織名").fill("株式会社守り")
    page.get_by_label("お名前").fill("山田 花子")
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.locator("#id_password1").fill("long-enough-pass-99")
    page.locator("#id_password2").fill("long-enough-pass-99")
    page.locator("#setup-submit").click()

    expect(page.locator("h1")).to_have_text("株式会社守り")
    expect(page.get_by_text("Mamori の準備ができました")).to_be_visible()
    page.locator("#logout-button").click()
    expect(page).to_have_url(live_server.url + "/login/")

    # The setup page is gone now.
    assert page.goto(live_server.url + "/setup/").status == 404

    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("パスワード").fill("wrong-password-123")
    page.locator("#login-submit").click()
    expect(page.get_by_text("メールアドレスまたはパスワードが違います")).to_be_visible()
    page.get_by_label("パスワード").fill("long-enough-pass-99")
    page.locator("#login-submit").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("株式会社守り")
    page.locator(".site-sections summary", has_text="レポート").click()  # the grouped menu
    expect(page.get_by_role("link", name="証跡")).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)

    page.locator("#logout-button").click()
    expect(page).to_have_url(live_server.url + "/login/")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/login/?next=/")
