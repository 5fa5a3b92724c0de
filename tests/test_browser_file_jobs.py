"""The page that waits for the worker, in a browser: 「読み取り中…」 until the scan is done, then the
data set, without the person doing anything (htmx asks every two seconds)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.models import Role
from mamori.platform.web.jobs import read_uploaded_file
from mamori.platform.web.models import FileJob
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser_checksheet import browser  # noqa: F401 - the shared browser fixture


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_moves_on_when_the_worker_is_done(browser, live_server, tmp_path, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    page = browser.new_context(locale="ja-JP").new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()

    members = tmp_path / "会員名簿.csv"
    members.write_text(
        "氏名,メールアドレス\n山田 太郎,taro@example.jp\n佐藤 花子,hanako@example.jp\n", encoding="utf-8"
    )
    page.goto(live_server.url + "/ledger/from-file/")
    page.locator("#id_name").fill("会員名簿")
    page.locator("input[name=file]").set_input_files(str(members))
    page.locator("#scan-submit").click()
    expect(page.locator("h1")).to_have_text("読み取り中…")
    page.wait_for_timeout(2500)  # a poll or two while the job waits
    expect(page.locator("h1")).to_have_text("読み取り中…")

    read_uploaded_file.call(FileJob.objects.get().pk)  # the worker

    expect(page).to_have_url(f"{live_server.url}/ledger/{DataAsset.objects.get().uuid}/edit/", timeout=10000)
    expect(page.locator("body")).to_contain_text("ファイルをスキャンして破棄しました")
