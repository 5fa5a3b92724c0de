"""The one vocabulary of personal-data items and their legal meanings (pure Python, no Django).

Every item the scanner finds, the ledger and entrustments record, the rules engine judges and the
JNSA model weighs is named here once: its code, its Japanese and English labels, and what the law
makes of it —

- 要配慮個人情報 (法2条3項, 令2条, 規則5条): :data:`SPECIAL_CARE` lists the categories, each with
  its legal basis; the item ``special_care`` stands for "some category, not yet known".
- 規則7条2号 (不正に利用されることにより財産的被害が生じるおそれがある個人データ): :class:`Financial`
  says whether the item is such data on its own or only with other information, and why.
- 番号法: 個人番号 (番号法2条5項); personal information containing it is 特定個人情報 (同2条8項),
  with its own duty to report (番号法29条の4).
- 個人識別符号 (法2条2項, 令1条): an item that is personal information on its own.

Sources: shared/domain/appi.md (§1 definitions and categories, §3.2 規則7条 and the guideline's
examples, §9 JNSA EP map, §11 My Number Act) and the PPC Q&A pages cited in the data.

The scanner (:mod:`mamori.scan`), the ledger and entrustment flags (:func:`flags`), the vendor risk
tier (:mod:`mamori.core.risk`, fed with :func:`flags`), the rules engine (:mod:`mamori.core.appi`)
and the screens' choices all read this module; ``tests/test_vocabulary.py`` proves they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PERSONAL, MARKER, NON_PERSONAL = "personal", "marker", "non_personal"


@dataclass(frozen=True)
class Financial:
    """規則7条2号: whether the item is data whose misuse may cause financial damage.

    ``alone``: it is, by itself. Otherwise it is only together with one of ``with_any`` (or other
    information the user confirms, through the engine's ``financial_damage_risk``).
    """

    alone: bool
    condition: str  # Japanese: when the item falls under 規則7条2号
    source: str
    with_any: tuple[str, ...] = ()
    short: str = ""  # Japanese, for a one-line notice when the condition is open


@dataclass(frozen=True)
class Item:
    code: str
    ja: str
    en: str
    kind: str = PERSONAL  # personal | marker (special_care, category unknown) | non_personal
    financial: Financial | None = None
    my_number: bool = False  # 個人番号 (番号法2条5項): data containing it is 特定個人情報 (番号法2条8項)
    identifier: str | None = None  # 個人識別符号: its basis (法2条2項, 令1条 n号)
    jnsa_ep: str | None = None  # the item's label on the JNSA EP map (or our placement, jnsa.OUR_EP)
    form: bool = True  # offered on the ledger, entrustment and incident screens
    scanned: bool = True  # a type the scanner detects in files
    source: str = ""

    @property
    def personal(self) -> bool:
        return self.kind != NON_PERSONAL


@dataclass(frozen=True)
class SpecialCare:
    """A category of 要配慮個人情報 (法2条3項; the law lists some, 令2条 and 規則5条 the rest)."""

    code: str
    ja: str
    en: str
    basis: str
    jnsa_ep: str


# --- 規則7条2号 ---------------------------------------------------------------------------------

_GL_EXAMPLES = (
    "規則7条2号。通則GL 3-5-3-1 の事例：ECサイトからクレジットカード番号を含む個人データが漏えいした場合／"
    "送金や決済機能のあるウェブサービスのログインIDとパスワードの組合せを含む個人データが漏えいした場合"
    "（shared/domain/appi.md §3.2）"
)

CARD = Financial(
    alone=True,
    condition=(
        "クレジットカード番号だけでも該当する（暗証番号やセキュリティコードが割り出されるおそれがあるため）。"
        "下4桁と有効期限の組合せだけなら直ちには該当しない"
    ),
    source=_GL_EXAMPLES + "；個人情報保護委員会Q&A 6-12 https://www.ppc.go.jp/all_faq_index/faq1-q6-12_/",
)

PAYMENT_LOGIN = Financial(
    alone=True,
    condition="送金や決済機能のあるサービスのログインIDとパスワードの組合せは、それだけで該当する",
    source=_GL_EXAMPLES,
)

BANK_ACCOUNT = Financial(
    alone=False,
    condition=(
        "口座番号だけでは直ちに該当するとはいえない。暗証番号やインターネットバンキングのID・パスワードなど、"
        "本人になりすまして払出しや送金をすることを可能にする情報と一緒に漏えい等した場合に該当する"
    ),
    source=(
        "規則7条2号。appi.md §3.2 のガイドラインの事例はクレジットカード番号と送金・決済機能のあるサービスの"
        "ID・パスワードだけで、口座番号の例はない。個人情報保護委員会Q&A 6-11：7条2号は「漏えい等した個人データを"
        "利用し、本人になりすまして財産の処分が行われる場合」を想定 https://www.ppc.go.jp/all_faq_index/faq1-q6-11_/ ；"
        "同Q&A 14-8：口座番号それ自体は不正に利用されても直ちに財産的被害が生じるおそれがあるとはいえない"
        "（同じ文言の規則31条3号について） https://www.ppc.go.jp/all_faq_index/faq1-q14-8 ；"
        "JNSAのEP図（appi.md §9）も経済的損失3は「口座番号+暗証番号」"
    ),
    with_any=("payment_credentials",),
    short="暗証番号やネットバンキングのID・パスワードと一緒なら財産的被害のおそれ（規則7条2号）",
)

_IDENTIFIER_SOURCE = (
    "法2条2項（appi.md §1）。令1条の号は appi.md に条文がなく未確認（U）：同じ構成の独立行政法人等個人情報保護法"
    "施行令1条（2号 旅券の番号、4号 免許証の番号、6号 個人番号、7号 健康保険の被保険者証の記号・番号等）による"
)

# The order is the order of the screens' checkboxes.
ITEMS: tuple[Item, ...] = (
    Item("person_name", "氏名", "Name", jnsa_ep="氏名"),
    Item("name_kana", "氏名（カナ）", "Name (kana)", jnsa_ep="氏名"),
    Item("address", "住所", "Address", jnsa_ep="住所"),
    Item("postal_code", "郵便番号", "Postal code", jnsa_ep="郵便番号"),
    Item("phone", "電話番号", "Phone number", jnsa_ep="電話番号"),
    Item("email", "メールアドレス", "Email address", jnsa_ep="メールアドレス"),
    Item("birth_date", "生年月日", "Date of birth", jnsa_ep="生年月日"),
    Item("gender", "性別", "Gender", jnsa_ep="性別"),
    Item(
        "my_number",
        "個人番号（マイナンバー）",
        "My Number (individual number)",
        my_number=True,
        identifier="法2条2項, 令1条6号",
        jnsa_ep="個人番号（マイナンバー）",
        source="番号法2条5項（個人番号）・2条8項（特定個人情報）・29条の4（報告）：appi.md §11；"
        + _IDENTIFIER_SOURCE,
    ),
    Item(
        "credit_card",
        "クレジットカード番号",
        "Credit card number",
        financial=CARD,
        jnsa_ep="クレジットカード番号",
    ),
    Item(
        "payment_credentials",
        "決済サービスのID・パスワード",
        "Login ID and password of a payment service",
        financial=PAYMENT_LOGIN,
        scanned=False,
        jnsa_ep="決済サービスのID・パスワード",
    ),
    Item(
        "bank_account",
        "口座番号",
        "Bank account number",
        financial=BANK_ACCOUNT,
        jnsa_ep="口座番号（暗証番号なし）",
    ),
    Item(
        "drivers_license",
        "運転免許証番号",
        "Driver's licence number",
        identifier="法2条2項, 令1条4号",
        jnsa_ep="免許証番号",
        source=_IDENTIFIER_SOURCE,
    ),
    Item(
        "passport",
        "旅券番号",
        "Passport number",
        identifier="法2条2項, 令1条2号",
        jnsa_ep="パスポート番号",
        source=_IDENTIFIER_SOURCE,
    ),
    Item(
        "health_insurance_number",
        "健康保険証の番号",
        "Health insurance card number",
        identifier="法2条2項, 令1条7号",
        jnsa_ep="健康保険証番号",
        source=_IDENTIFIER_SOURCE,
    ),
    Item("ip_address", "IPアドレス", "IP address", jnsa_ep="IPアドレス"),
    Item(
        "special_care",
        "要配慮個人情報",
        "Special-care personal information",
        kind=MARKER,
        form=False,
        source="法2条3項（区分が未入力のとき。区分は SPECIAL_CARE）",
    ),
    Item(
        "corporate_number",
        "法人番号",
        "Corporate number",
        kind=NON_PERSONAL,
        form=False,
        source="法人に付される番号で、個人に関する情報ではない（法2条1項の個人情報に当たらない）",
    ),
    Item(
        "organization",
        "法人情報",
        "Organization information",
        kind=NON_PERSONAL,
        form=False,
        source=(
            "会社・病院・店舗などの名称と、その所在地・代表電話などの連絡先。法人その他の団体に関する情報で、"
            "個人に関する情報ではない（法2条1項。担当者の氏名や携帯電話は個人情報として別に数える）"
        ),
    ),
)

# 要配慮個人情報 (法2条3項 + 令2条 + 規則5条; appi.md §1, GL 2-3).
SPECIAL_CARE: tuple[SpecialCare, ...] = (
    SpecialCare("race", "人種", "Race", "法2条3項", "人種"),
    SpecialCare("creed", "信条", "Creed", "法2条3項", "信条"),
    SpecialCare("social_status", "社会的身分", "Social status", "法2条3項", "社会的身分"),
    SpecialCare("medical_history", "病歴", "Medical history", "法2条3項", "病歴"),
    SpecialCare("criminal_record", "犯罪の経歴", "Criminal record", "法2条3項", "前科前歴"),
    SpecialCare(
        "crime_victim", "犯罪により害を被った事実", "Having been a crime victim", "法2条3項", "犯罪被害の事実"
    ),
    SpecialCare("disability", "障害", "Disability", "法2条3項, 令2条1号, 規則5条", "身体障害"),
    SpecialCare(
        "health_check", "健康診断等の結果", "Results of health checks", "法2条3項, 令2条2号", "健康診断書"
    ),
    SpecialCare(
        "guidance_treatment",
        "保健指導・診療・調剤",
        "Health guidance, medical treatment or dispensing",
        "法2条3項, 令2条3号",
        "保健指導・診療・調剤の事実",
    ),
    SpecialCare(
        "criminal_procedure",
        "刑事事件の手続",
        "Criminal proceedings as suspect or defendant",
        "法2条3項, 令2条4号",
        "被疑者・被告人としての手続",
    ),
    SpecialCare(
        "juvenile_procedure",
        "少年保護事件の手続",
        "Juvenile protection proceedings",
        "法2条3項, 令2条5号",
        "少年保護事件の手続",
    ),
)

BY_CODE: dict[str, Item] = {i.code: i for i in ITEMS}
SPECIAL_CARE_BY_CODE: dict[str, SpecialCare] = {c.code: c for c in SPECIAL_CARE}

ITEM_CODES: tuple[str, ...] = tuple(BY_CODE)  # every code the rules engine accepts
SPECIAL_CARE_CODES: tuple[str, ...] = tuple(SPECIAL_CARE_BY_CODE)
SCANNED_PERSONAL: tuple[str, ...] = tuple(i.code for i in ITEMS if i.scanned and i.personal)
SCANNED_NON_PERSONAL: tuple[str, ...] = tuple(i.code for i in ITEMS if i.scanned and not i.personal)
FINANCIAL_ALONE: frozenset[str] = frozenset(i.code for i in ITEMS if i.financial and i.financial.alone)

# The screens' labels (forms, lists, documents): what the user records on a ledger entry.
ITEM_LABELS: dict[str, str] = {i.code: i.ja for i in ITEMS if i.form}
SPECIAL_CARE_LABELS: dict[str, str] = {c.code: c.ja for c in SPECIAL_CARE}


def label(code: str) -> str:
    """The Japanese label of an item or special-care category (the code itself if unknown)."""
    if code in BY_CODE:
        return BY_CODE[code].ja
    if code in SPECIAL_CARE_BY_CODE:
        return SPECIAL_CARE_BY_CODE[code].ja
    return code


def is_financial(items: Iterable[str]) -> bool:
    """規則7条2号 from the items alone: an item financial on its own, or one whose condition is met."""
    present = set(items)
    for code in present:
        item = BY_CODE.get(code)
        if item and item.financial and (item.financial.alone or present & set(item.financial.with_any)):
            return True
    return False


def financial_unresolved(items: Iterable[str]) -> list[Item]:
    """Items that fall under 規則7条2号 only with more information, when the items do not settle it."""
    present = list(dict.fromkeys(items))
    if is_financial(present):
        return []
    return [
        item
        for c in present
        if (item := BY_CODE.get(c)) is not None and item.financial is not None and not item.financial.alone
    ]


def has_my_number(items: Iterable[str]) -> bool:
    """特定個人情報 (番号法2条8項): the data contains 個人番号."""
    return any(BY_CODE[c].my_number for c in items if c in BY_CODE)


def is_special_care(items: Iterable[str], special_care: Iterable[str] = ()) -> bool:
    """要配慮個人情報 (法2条3項): a category is named, or the ``special_care`` item is present."""
    return bool(list(special_care)) or "special_care" in set(items)


def flags(items: Iterable[str], special_care: Iterable[str] = ()) -> dict[str, bool]:
    """The three legal flags of a set of items, as the ledger, entrustments and the risk tier use them."""
    items = list(items or ())
    return {
        "special_care": is_special_care(items, special_care or ()),
        "my_number": has_my_number(items),
        "financial": is_financial(items),
    }
