"""Third-party provision records and purpose notices (APPI 法21条, 27–30条; mamori.core.appi.provision).

Law text read in the e-Gov XML of the APPI (see the module docstring); retention periods from a
secondary source (C²) as the module says."""

from __future__ import annotations

import datetime as dt

import pytest

from mamori.core.appi import provision as rules
from mamori.ledger.models import DataAsset
from mamori.platform.trail.models import TrailEntry as Entry
from mamori.provisions import actions
from mamori.provisions.models import DataUse, OptOutNotice, ProvisionRecord, PurposeNotice

# --- Core rules -----------------------------------------------------------------------------------


def test_consent_based_provision_needs_a_record():
    # 法29条1項 本文: a record whenever 個人データ is provided to a 第三者.
    assert rules.record_required(rules.PROVIDING, "consent")[0] is True
    assert rules.record_required(rules.RECEIVING, "consent")[0] is True  # 法30条1項・3項


@pytest.mark.parametrize("basis", ["entrustment", "succession", "joint_use"])
def test_entrustment_succession_and_joint_use_need_no_record(basis):
    # 法27条5項1–3号: the recipient is not a 第三者; 法29条1項ただし書 / 法30条1項ただし書.
    required, why = rules.record_required(rules.PROVIDING, basis)
    assert required is False and "法29条1項ただし書" in why


@pytest.mark.parametrize("basis", ["law", "life", "public_health", "state_affairs"])
def test_article_27_1_exceptions_need_no_record(basis):
    # 法27条1項各号 (法令に基づく場合 …) — 法29条1項ただし書.
    assert rules.record_required(rules.PROVIDING, basis)[0] is False


def test_the_receiving_record_holds_the_confirmed_items():
    # 法30条1項1号・2号 and 3項: the provider's name and address, its representative, how it acquired the data.
    codes = {i.code for i in rules.required_items(rules.RECEIVING, "consent")}
    assert {"date", "counterparty", "counterparty_address", "representative", "acquisition"} <= codes
    # An individual has no representative (法30条1項1号 「法人にあっては」).
    codes = {
        i.code for i in rules.required_items(rules.RECEIVING, "consent", counterparty_is_corporation=False)
    }
    assert "representative" not in codes


def test_the_providing_record_holds_date_and_recipient():
    # 法29条1項: 提供した年月日, 第三者の氏名又は名称.
    missing = rules.missing_items(rules.PROVIDING, "consent", {"counterparty": "株式会社A"})
    assert "date" in {i.code for i in missing}


def test_retention_three_years_in_principle_one_year_for_a_contract():
    # 法29条2項 / 法30条4項 → 規則で定める期間 (C²: 3 years; contract kept as the record: 1 year from the last provision).
    made = dt.date(2026, 4, 1)
    assert rules.retention_until(rules.SINGLE, made)[0] == dt.date(2029, 4, 1)
    assert rules.retention_until(rules.DOCUMENT, made, dt.date(2026, 9, 30))[0] == dt.date(2027, 9, 30)
    assert rules.retention_until(rules.BULK, made, dt.date(2026, 12, 1))[0] == dt.date(2029, 12, 1)
    assert rules.retention_until(rules.SINGLE, dt.date(2028, 2, 29))[0] == dt.date(2031, 2, 28)


def test_opt_out_is_forbidden_for_special_care_data():
    # 法27条2項ただし書: 要配慮個人情報 cannot be provided by opt-out.
    p = rules.Provision(
        "p", rules.PROVIDING, "opt_out", "健診", {}, special_care=True, opt_out_notice_filed=True
    )
    assert "opt_out_forbidden" in {g.code for g in rules.check_provision(p)}


def test_opt_out_needs_a_filed_notice_and_a_third_party_purpose():
    # 法27条2項 (notice + 届出) and 2号 (第三者への提供を利用目的とすること).
    p = rules.Provision("p", rules.PROVIDING, "opt_out", "名簿", {})
    assert "opt_out_not_filed" in {g.code for g in rules.check_provision(p)}
    purposes = [rules.Purpose("a", "商品の発送", rules.PUBLISHED, dt.date(2025, 1, 1), third_party=False)]
    uses = [rules.Use("u", "名簿業者への提供", "a", dt.date(2025, 6, 1), provision_basis="opt_out")]
    assert "opt_out_purpose" in {g.code for g in rules.check_purposes("名簿", purposes, uses)}


def test_a_use_outside_or_before_the_notified_purposes_is_a_gap():
    # 法21条1項: purposes notified or published; uses must fall within them.
    purposes = [
        rules.Purpose("a", "商品の発送", rules.PUBLISHED, dt.date(2025, 4, 1)),
        rules.Purpose("b", "新商品の案内", None, None),
    ]
    uses = [
        rules.Use("u1", "発送ラベル印刷", "a", dt.date(2025, 5, 1)),
        rules.Use("u2", "行動分析による広告配信", None, dt.date(2025, 5, 1)),
        rules.Use("u3", "旧システムでの発送", "a", dt.date(2024, 5, 1)),
    ]
    gaps = {(g.ref, g.code) for g in rules.check_purposes("会員", purposes, uses)}
    assert ("u2", "use_outside") in gaps and ("u3", "use_before_notice") in gaps
    assert ("b", "purpose_not_disclosed") in gaps
    assert not any(ref == "u1" for ref, _c in gaps)


def test_foreign_entrustment_still_needs_consent():
    # 法28条1項 (後段: 「この場合においては、同条の規定は、適用しない」 — 27条5項 does not exempt).
    p = rules.Provision("p", rules.PROVIDING, "entrustment", "会員", {}, foreign=True)
    assert "foreign" in {g.code for g in rules.check_provision(p)}


# --- The app, with the demo organization ------------------------------------------------------------


def test_check_lists_missing_records_and_uses_outside_purposes(demo):
    org = demo.org
    members = DataAsset.objects.for_org(org).get(name="通販会員・顧客台帳")
    shipping = PurposeNotice.objects.create(
        organization=org,
        data_asset=members,
        purpose="ご注文商品の発送",
        way="published",
        since=dt.date(2024, 4, 1),
    )
    DataUse.objects.create(organization=org, data_asset=members, description="発送", purpose=shipping)
    DataUse.objects.create(organization=org, data_asset=members, description="購買履歴の外部販売")
    ProvisionRecord.objects.create(
        organization=org,
        direction="providing",
        data_asset=members,
        basis="consent",
        counterparty="株式会社ポイント連合",
        provided_on=dt.date(2026, 10, 1),
        purpose=shipping,
    )
    result = {r.data_asset.name: r for r in actions.check(org)}[members.name]
    codes = {g.code for g in result.gaps}
    assert {"use_outside", "missing_subjects", "missing_items", "missing_consent"} <= codes
    assert Entry.objects.filter(organization=org, object_type="provisions.provisionrecord").exists()


def test_check_page_is_scoped_and_in_japanese(demo, tenancy):
    org = demo.org
    asset = DataAsset.objects.for_org(org).get(name="カタログDM発送リスト")
    OptOutNotice.objects.create(organization=org, data_asset=asset, items="氏名、住所")
    page = demo.client().get("/provisions/check/")
    assert page.status_code == 200 and "提供記録と利用目的の確認" in page.content.decode()
    outsider = tenancy.client(tenancy.outsider).get("/provisions/check/")
    assert "カタログDM発送リスト" not in outsider.content.decode()


def test_the_ledger_page_shows_the_data_sets_purposes_and_provisions(demo):
    asset = DataAsset.objects.for_org(demo.org).get(name="通販会員・顧客台帳")
    text = demo.client().get(f"/ledger/{asset.uuid}/").content.decode()
    assert "利用目的と第三者提供記録" in text and "ご注文商品の発送、代金の請求" in text
    assert "株式会社ポイント連合" in text
