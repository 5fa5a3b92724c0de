"""The six typical cases of issue 14, typed into the incident form in Chromium as a person would:
the verdict, its grounds, the deadlines and the cause's tasks on the incident page.

Law: 規則7条1〜4号 (grounds), 規則8条2項 with GL 3-5-3-4 (確報 30 days, 60 with 3号), 規則9条 (vendor
route), GL 3-5-2 (steps). Awareness 2026-04-28 (Tue): day 30 = 2026-05-27 (Wed), day 60 = 2026-06-26 (Fri).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mamori.platform.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory
from tests.test_browser_checksheet import browser  # noqa: F401 - the shared browser fixture

SCENARIOS = [
    (
        "DM発送委託先のPCがマルウェアに感染",
        {
            "cause": "malware",
            "caused_by": "vendor",
            "individuals": "5000",
            "items": ["person_name", "address"],
            "description": "DM発送を委託した会社の端末がマルウェアに感染し、宛名データが外部送信されたおそれ",
        },
        {"verdict": "報告が必要", "grounds": ["規則7条3号", "規則7条4号"], "final": "2026-06-26"},
        ["isolate", "forensic", "police_cyber", "vendor_report", "ppc_preliminary", "notify"],
    ),
    (
        "電車内にノートPCを置き忘れ",
        {
            "cause": "loss",
            "caused_by": "self",
            "improper_purpose": "no",
            "financial_damage_risk": "no",
            "individuals": "300",
            "items": ["person_name", "phone"],
        },
        {"verdict": "報告は不要", "grounds": [], "final": None},
        ["police_lost", "remote_wipe"],
    ),
    (
        "Webフォームのカード情報窃取（スキミング）",
        {
            "cause": "web_skimming",
            "caused_by": "third_party",
            "individuals": "420",
            "items": ["person_name", "credit_card"],
            "checks": ["personal_info_being_acquired"],
        },
        {"verdict": "報告が必要", "grounds": ["規則7条3号"], "final": "2026-06-26"},
        ["stop_form", "card_companies", "forensic", "ppc_final"],
    ),
    (
        "派遣社員が顧客名簿を名簿業者に売却",
        {
            "cause": "insider",
            "caused_by": "self",
            "individuals": "800",
            "items": ["person_name", "address", "phone"],
        },
        {"verdict": "報告が必要", "grounds": ["規則7条3号"], "final": "2026-06-26"},
        ["suspend_account", "dispatch_agency", "broker_delete", "police_insider"],
    ),
    (
        "健康診断結果のメール誤送信",
        {
            "cause": "misdirected_email",
            "caused_by": "self",
            "individuals": "12",
            "items": ["person_name", "email"],
            "special_care": ["health_check"],
            "audience": "employees",
        },
        {"verdict": "報告が必要", "grounds": ["規則7条1号"], "final": "2026-05-27"},
        ["recipient_delete", "ppc_preliminary", "ppc_final", "notify"],
    ),
    (
        "当社（委託先）のサーバーへの不正アクセス",
        {
            "cause": "unauthorized_access",
            "caused_by": "self",
            "individuals": "2500",
            "items": ["person_name", "email"],
            "role": "vendor",
            "principal_name": "株式会社アルファ通販",
        },
        {
            "verdict": "報告が必要",
            "grounds": ["規則7条3号", "規則7条4号"],
            "final": "2026-06-26",
            "vendor": True,
        },
        ["notify_principal", "assist_principal", "forensic"],
    ),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_six_scenarios_through_the_web_form(browser, live_server):  # noqa: F811
    owner = MembershipFactory(role=Role.OWNER, organization__name="株式会社守り").user
    page = browser.new_context(locale="ja-JP").new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("#login-submit").click()

    for title, facts, expected, task_keys in SCENARIOS:
        page.goto(live_server.url + "/incidents/new/")
        page.locator("#id_title").fill(title)
        page.locator("#id_aware_on").fill("2026-04-28")
        page.locator("#id_description").fill(facts.get("description", title))
        for name in ("cause", "caused_by", "improper_purpose", "financial_damage_risk", "role", "audience"):
            if name in facts:
                page.locator(f"#id_{name}").select_option(facts[name])
        page.locator("#id_individuals").fill(facts["individuals"])
        if "principal_name" in facts:
            page.locator("#id_principal_name").fill(facts["principal_name"])
        for name in ("items", "special_care"):
            for value in facts.get(name, []):
                page.locator(f"input[name={name}][value={value}]").check()
        for name in facts.get("checks", []):
            page.locator(f"#id_{name}").check()
        page.locator("#save-button").click()

        expect(page.locator("#verdict")).to_have_text(expected["verdict"])
        grounds = page.locator("#grounds")
        for citation in expected["grounds"]:
            expect(grounds).to_contain_text(citation)
        if expected["final"]:
            expect(page.locator("#final")).to_have_text(expected["final"])
        else:
            expect(page.locator("#final")).to_have_count(0)
        if expected.get("vendor"):
            expect(page.locator("#vendor-status")).to_have_text("委託元への通知が必要（規則9条）")
            expect(page.locator("tr.task[data-key=ppc_preliminary]")).to_have_count(0)
        for key in task_keys:
            expect(page.locator(f"tr.task[data-key={key}]")).to_have_count(1)
