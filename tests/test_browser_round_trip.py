"""Approving a re-subcontract in Debian's Chromium keeps the chain and lowers the dashboard's count
of unapproved re-subcontracts by exactly one (the edit page used to drop the parent: a false
all-clear)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from mamori.vendors.models import Entrustment
from tests.factories import PASSWORD
from tests.test_browser import ARGS, CHROMIUM, SHOTS
from tests.test_form_round_trip import build_round_trip_org


@pytest.fixture
def page(live_server):
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


def unapproved_figure(page, base):
    page.goto(base + "/")
    card = page.locator("section.stats article").filter(has=page.get_by_role("link", name="承認のない再委託"))
    return int(card.locator(".figure").inner_text().strip())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_approving_a_re_subcontract_keeps_the_chain(page, live_server):
    org, owner = build_round_trip_org()
    e = (
        Entrustment.objects.filter(organization=org, parent__isnull=False, approved=False)
        .select_related("vendor", "parent__vendor")
        .order_by("pk")
        .first()
    )
    parent = e.parent
    base = live_server.url

    page.goto(base + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()
    before = unapproved_figure(page, base)
    assert (
        before == Entrustment.objects.filter(organization=org, parent__isnull=False, approved=False).count()
    )
    assert before >= 2

    page.goto(f"{base}/entrustments/{e.uuid}/edit/")
    # The page shows what is stored: vendor, data set and the entrustment it is passed on from.
    expect(page.locator("select[name=vendor]")).to_have_value(str(e.vendor.uuid))
    expect(page.locator("select[name=data_asset]")).to_have_value(str(e.data_asset.uuid))
    expect(page.locator("select[name=parent]")).to_have_value(str(parent.uuid))
    page.get_by_label("再委託を当社が承認済み").check()
    page.screenshot(path=str(SHOTS / "entrustment-approve.png"), full_page=True)
    page.locator("#save-button").click()
    expect(page).to_have_url(re.compile(rf"/entrustments/{e.uuid}/$"))
    expect(page.get_by_text("保存しました")).to_be_visible()

    e.refresh_from_db()
    assert e.approved and e.parent_id == parent.pk
    # The chain on the parent's vendor still holds the re-subcontract, now without the warning.
    page.goto(f"{base}/vendors/{parent.vendor.uuid}/")
    node = page.locator("ul.chain li.depth-1").filter(has_text=e.vendor.name)
    expect(node).to_have_count(1)
    expect(node.locator("mark.warn")).to_have_count(0)
    expect(page.locator("ul.chain li mark.warn")).to_have_count(before - 1)

    assert unapproved_figure(page, base) == before - 1
