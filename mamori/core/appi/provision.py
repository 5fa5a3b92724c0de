"""Third-party provision of personal data: when a record is required, what it holds, how long it is
kept, and whether a data set's uses stay within its notified purposes (APPI 法21条, 27–30条).

Pure Python. Every rule cites its source. Marks as in ``shared/domain/appi.md``:

- **C** — read in the law's e-Gov XML (repo ``kaz-under-the-bridge/appi-related-laws``,
  ``sources/appi-law/content.xml``, retrieved 2025-09-24; canonical
  https://laws.e-gov.go.jp/law/415AC0000000057): 法21条1–4項, 法27条1項1–7号, 2項 (opt-out, its proviso and items
  1–8), 5項1–3号, 法29条1項・2項, 法30条1項・3項・4項.
- **C²** — from a secondary page only: the retention periods of the 施行規則 (原則3年; a record kept
  as a contract or other document instead: 1 year from the last provision) —
  https://www.office-furuki.info/Protection-PI/保管期間/ .
- **U** — not confirmed in a primary text here: the 施行規則 article numbers (規則19条–25条: 作成方法,
  記録事項, 保存期間, 確認の方法 …) and the items of a record beyond those the law names itself.
  Check them against the 施行規則 (https://laws.e-gov.go.jp/law/428M60020000003) and the PPC
  guideline 確認記録義務編 before relying on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SOURCE_LAW = "https://laws.e-gov.go.jp/law/415AC0000000057"
SOURCE_RULES = "https://laws.e-gov.go.jp/law/428M60020000003"
SOURCE_RETENTION = "https://www.office-furuki.info/Protection-PI/%e4%bf%9d%e7%ae%a1%e6%9c%9f%e9%96%93/"

PROVIDING = "providing"
RECEIVING = "receiving"

# --- Bases of a provision ------------------------------------------------------------------------
# (code, label, citation, record required?, mark)
CONSENT = "consent"
OPT_OUT = "opt_out"
FOREIGN_CONSENT = "foreign_consent"

BASES: dict[str, tuple[str, str, bool]] = {
    CONSENT: ("本人の同意", "法27条1項柱書", True),
    OPT_OUT: ("オプトアウト（届出済み）", "法27条2項", True),
    FOREIGN_CONSENT: ("外国にある第三者への提供（本人の同意）", "法28条1項", True),
    # 法27条1項各号: no consent needed, and no record (法29条1項ただし書, 法30条1項ただし書).
    "law": ("法令に基づく場合", "法27条1項1号", False),
    "life": ("人の生命、身体又は財産の保護のために必要で、本人の同意を得ることが困難", "法27条1項2号", False),
    "public_health": ("公衆衛生の向上又は児童の健全な育成の推進のために特に必要", "法27条1項3号", False),
    "state_affairs": ("国の機関等の法令の定める事務への協力", "法27条1項4号", False),
    "research_publication": ("学術研究機関等による学術研究の成果の公表又は教授", "法27条1項5号", False),
    "research_joint": ("学術研究機関等との共同研究", "法27条1項6号", False),
    "research_recipient": ("提供先が学術研究機関等で学術研究目的", "法27条1項7号", False),
    # 法27条5項: the recipient is not a 第三者 — no consent, no record.
    "entrustment": ("委託に伴う提供", "法27条5項1号", False),
    "succession": ("合併その他の事由による事業の承継", "法27条5項2号", False),
    "joint_use": ("共同利用", "法27条5項3号", False),
}

EXEMPT_BASES = frozenset(code for code, (_l, _c, required) in BASES.items() if not required)


def basis_label(code: str) -> str:
    label, cite, _required = BASES[code]
    return f"{label}（{cite}）"


def record_required(direction: str, basis: str) -> tuple[bool, str]:
    """Whether the provision needs a record, and why (C).

    Providing: 法29条1項 — a record is made whenever 個人データ is provided to a 第三者, unless the
    provision falls under 法27条1項各号 or 5項各号 (for a provision under 法28条1項, only 27条1項各号
    exempts). Receiving: 法30条1項・3項 — the recipient confirms and records, with the same exemptions.
    """
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    label, cite, required = BASES[basis]
    article = "法29条1項" if direction == PROVIDING else "法30条1項・3項"
    if required:
        return True, f"{label}（{cite}）による提供は記録が必要です（{article}）。"
    proviso = "法29条1項ただし書" if direction == PROVIDING else "法30条1項ただし書"
    return False, f"{label}（{cite}）に該当するため記録は不要です（{proviso}）。"


# --- What a record holds -------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordItem:
    code: str
    label: str
    cite: str
    mark: str  # C / U


# Providing (法29条1項: 提供した年月日, 第三者の氏名又は名称 — C; the rest 規則で定める事項 — U).
PROVIDING_ITEMS = (
    RecordItem("date", "個人データを提供した年月日", "法29条1項", "C"),
    RecordItem("counterparty", "第三者の氏名又は名称", "法29条1項", "C"),
    RecordItem("subjects", "本人の氏名その他の本人を特定するに足りる事項", "規則20条（U）", "U"),
    RecordItem("items", "個人データの項目", "規則20条（U）", "U"),
    RecordItem("consent", "本人の同意を得ている旨（同意による場合）", "規則20条（U）", "U"),
)
# Receiving (法30条1項・3項: 提供を受けた年月日, 確認に係る事項 = 提供者の氏名又は名称及び住所、
# 法人の代表者の氏名 (1号), 提供者による取得の経緯 (2号) — C; the rest — U).
RECEIVING_ITEMS = (
    RecordItem("date", "個人データの提供を受けた年月日", "法30条3項", "C"),
    RecordItem("counterparty", "提供者の氏名又は名称", "法30条1項1号", "C"),
    RecordItem("counterparty_address", "提供者の住所", "法30条1項1号", "C"),
    RecordItem("representative", "法人にあっては代表者の氏名", "法30条1項1号", "C"),
    RecordItem("acquisition", "提供者による個人データの取得の経緯", "法30条1項2号", "C"),
    RecordItem("subjects", "本人の氏名その他の本人を特定するに足りる事項", "規則24条（U）", "U"),
    RecordItem("items", "個人データの項目", "規則24条（U）", "U"),
    RecordItem("consent", "本人の同意を得ている旨（同意による場合）", "規則24条（U）", "U"),
)


def required_items(direction: str, basis: str, counterparty_is_corporation: bool = True) -> list[RecordItem]:
    items = PROVIDING_ITEMS if direction == PROVIDING else RECEIVING_ITEMS
    out = []
    for item in items:
        if item.code == "consent" and basis not in (CONSENT, FOREIGN_CONSENT):
            continue
        if item.code == "representative" and not counterparty_is_corporation:
            continue
        out.append(item)
    return out


def missing_items(
    direction: str, basis: str, values: dict, counterparty_is_corporation: bool = True
) -> list[RecordItem]:
    """The record items a provision's record lacks (``values``: item code -> value)."""
    required, _why = record_required(direction, basis)
    if not required:
        return []
    return [
        item
        for item in required_items(direction, basis, counterparty_is_corporation)
        if values.get(item.code) in (None, "", [], False)
    ]


# --- Retention (法29条2項, 法30条4項: 規則で定める期間 — periods C², article numbers U) --------------

SINGLE = "single"  # a record made for each provision
BULK = "bulk"  # one record for continuous or repeated provision (一括して作成)
DOCUMENT = "document"  # a contract or other document kept as the record (契約書等の代替手段)

METHODS = {
    SINGLE: "提供の都度作成",
    BULK: "一括して作成（継続的・反復的な提供）",
    DOCUMENT: "契約書その他の書面で代替",
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_until(
    method: str, created_on: dt.date, last_provided_on: dt.date | None = None
) -> tuple[dt.date, str]:
    """The last day the record must be kept, and the rule.

    C²: in principle 3 years from the day the record was made; a record kept as a contract or other
    document: until 1 year has passed from the last provision it covers; a bulk record: 3 years from
    the last provision it covers (counted from the last entry). "起算して…を経過する日" is read as the
    anniversary date. Article numbers (規則21条, 25条) are U.
    """
    last = last_provided_on or created_on
    if method == DOCUMENT:
        return add_years(
            last, 1
        ), "契約書等で代替した記録：最後の提供の日から1年（法29条2項・法30条4項、規則21条・25条（U））"
    if method == BULK:
        return add_years(
            max(last, created_on), 3
        ), "一括して作成した記録：最後の提供の日から3年（法29条2項・法30条4項、規則21条・25条（U））"
    return add_years(created_on, 3), "記録を作成した日から3年（法29条2項・法30条4項、規則21条・25条（U））"


# --- Checks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provision:
    """One provision of a data set's personal data, as the checks see it."""

    ref: str
    direction: str
    basis: str
    data_set: str
    values: dict = field(default_factory=dict)  # record item code -> value
    counterparty_is_corporation: bool = True
    special_care: bool = False
    opt_out_notice_filed: bool = False  # an opt-out notice filed with the PPC covers this data set
    from_opt_out: bool = False  # (providing) the data itself was received by opt-out
    foreign: bool = False


@dataclass(frozen=True)
class Gap:
    ref: str
    code: str
    text: str
    cite: str


def check_provision(p: Provision) -> list[Gap]:
    gaps: list[Gap] = []
    if p.basis == OPT_OUT and p.direction == PROVIDING:
        if p.special_care or p.from_opt_out:
            # C: 法27条2項ただし書 — no opt-out for 要配慮個人情報, nor for data itself received by opt-out.
            gaps.append(
                Gap(
                    p.ref,
                    "opt_out_forbidden",
                    "要配慮個人情報、又はオプトアウトにより提供を受けた個人データは、オプトアウトで提供できません。",
                    "法27条2項ただし書",
                )
            )
        if not p.opt_out_notice_filed:
            gaps.append(
                Gap(
                    p.ref,
                    "opt_out_not_filed",
                    "オプトアウトによる提供ですが、本人への通知等と個人情報保護委員会への届出の記録がありません。",
                    "法27条2項",
                )
            )
    if (
        p.foreign
        and p.direction == PROVIDING
        and p.basis not in (FOREIGN_CONSENT,)
        and p.basis
        not in (
            "law",
            "life",
            "public_health",
            "state_affairs",
            "research_publication",
            "research_joint",
            "research_recipient",
        )
    ):
        gaps.append(
            Gap(
                p.ref,
                "foreign",
                "外国にある第三者への提供です。同等国・基準適合体制でなければ、外国への提供を認める旨の本人の同意が必要です（委託・共同利用でも同じ）。",
                "法28条1項",
            )
        )
    for item in missing_items(p.direction, p.basis, p.values, p.counterparty_is_corporation):
        gaps.append(Gap(p.ref, f"missing_{item.code}", f"記録に「{item.label}」がありません。", item.cite))
    return gaps


# Purposes (法21条1項: notify or publish the purposes of use on acquisition, unless already published;
# 2項: state them beforehand when acquiring directly in writing; 3項: a changed purpose too; 4項4号: no
# duty when the purpose is clear from the circumstances — all C in the law XML).
NOTIFIED = "notified"
PUBLISHED = "published"
EXPLICIT = "explicit"  # 本人から直接書面で取得: 明示 (法21条2項)
OBVIOUS = "obvious"  # 取得の状況からみて利用目的が明らかな場合 (法21条4項4号)
DISCLOSURE_WAYS = {
    NOTIFIED: "本人に通知（法21条1項）",
    PUBLISHED: "公表（法21条1項）",
    EXPLICIT: "本人に明示（書面で直接取得、法21条2項）",
    OBVIOUS: "取得の状況からみて明らか（法21条4項4号）",
}


@dataclass(frozen=True)
class Purpose:
    ref: str
    text: str
    way: str | None  # one of DISCLOSURE_WAYS, None = not yet notified or published
    since: dt.date | None
    third_party: bool = False  # the purpose names provision to third parties


@dataclass(frozen=True)
class Use:
    ref: str
    description: str
    purpose_ref: str | None
    since: dt.date | None = None
    provision_basis: str | None = None  # when the use is a provision


def check_purposes(data_set: str, purposes: list[Purpose], uses: list[Use]) -> list[Gap]:
    """Every use of a data set must fall within a purpose that was notified or published before the
    use began (法18条1項: no handling beyond the purposes specified under 法17条 without consent —
    U here: 法18条 not re-read in this session; 法21条1項・4項4号 — C)."""
    gaps: list[Gap] = []
    by_ref = {p.ref: p for p in purposes}
    if not purposes:
        gaps.append(Gap(data_set, "no_purpose", "利用目的が登録されていません。", "法21条1項"))
    for p in purposes:
        if p.way is None:
            gaps.append(
                Gap(
                    p.ref,
                    "purpose_not_disclosed",
                    f"利用目的「{p.text}」が通知・公表されていません。",
                    "法21条1項",
                )
            )
    for u in uses:
        purpose = by_ref.get(u.purpose_ref or "")
        if purpose is None:
            gaps.append(
                Gap(
                    u.ref,
                    "use_outside",
                    f"利用「{u.description}」は、通知・公表した利用目的のどれにも当たりません。",
                    "法18条1項（U）・法21条1項",
                )
            )
            continue
        if purpose.way is None:
            continue  # already reported on the purpose
        if u.since and purpose.since and u.since < purpose.since:
            gaps.append(
                Gap(
                    u.ref,
                    "use_before_notice",
                    f"利用「{u.description}」は、利用目的の通知・公表（{purpose.since:%Y-%m-%d}）より前に始まっています。",
                    "法21条1項",
                )
            )
        if u.provision_basis == OPT_OUT and not purpose.third_party:
            gaps.append(
                Gap(
                    u.ref,
                    "opt_out_purpose",
                    "オプトアウトによる提供には、第三者への提供を利用目的とすることの通知等が必要です。",
                    "法27条2項2号",
                )
            )
    return gaps
