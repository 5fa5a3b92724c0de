"""Classify columns on a sample, then count over the whole table with vectorised polars expressions.

Only counts and masked samples leave this module: no raw value reaches the result, the logs or
an exception message.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

import polars as pl

from mamori.scan import patterns as P
from mamori.scan.readers import Table

THIS_YEAR = 2026
SAMPLES_PER_TYPE = 3


def norm(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(P.FULLWIDTH_FROM, P.FULLWIDTH_TO).str.strip_chars()


@dataclass
class Decision:
    type: str
    part: str | None = None  # address part when split across columns; "split" (phone/postal over
    # several boxes) or "embedded" (a postal code at the start of an address cell)
    category: str | None = None  # special-care category of a structured column
    free_text: bool = False  # special care searched inside free text


@dataclass
class ColumnResult:
    name: str
    index: int
    decisions: list[Decision] = field(default_factory=list)
    id_like: bool = False
    unique_ratio: float = 0.0
    normalise: bool = False  # the sample holds full-width characters or padding: fold before matching


FOLD_NEEDED = "[" + "".join(P.FULLWIDTH_FROM) + r"]|^\s|\s$"


def needs_folding(series: pl.Series) -> bool:
    return bool(series.drop_nulls().str.contains(FOLD_NEEDED).any())


# Which patterns can match at all, by the kinds of characters a column holds (saves compiling and
# running ~40 patterns on every column of the sample).
DIGIT_PATTERNS = {
    "phone",
    "phone_digits",
    "phone_mobile",
    "postal",
    "postal_marked",
    "date_western",
    "date_wareki",
    "card_shape",
    "my_number_shape",
    "corporate_shape",
    "jan_shape",
    "ipv4",
    "ipv6",
    "bank_account",
    "drivers_license",
    "passport",
    "insurance",
    "street",
    "has_separator",
    "gender_code",
    "phone_part",
    "postal_part",
    "postal_address",
    "address_any",
}
JAPANESE_PATTERNS = {
    "address",
    "address_full",
    "prefecture",
    "city",
    "street",
    "name_generic",
    "kana_generic",
    "date_wareki",
    "gender_word",
    "gender_code",
    "postal",
    "postal_marked",
    "postal_address",
    "address_any",
    "name_token",
    "org",
    "department",
}
LATIN_PATTERNS = {
    "email",
    "romaji_generic",
    "gender_word",
    "gender_code",
    "passport",
    "ipv6",
    "insurance",
    "name_token",
    "org",
}


def table_ratios(sample: pl.DataFrame) -> dict[str, dict[str, float]]:
    """For every column, the share of non-empty sample values matching each pattern (few selects)."""
    names = list(sample.columns)
    # Fold once (full-width to ASCII, trimmed); every pattern then runs on the folded sample. An
    # empty value becomes null, so that a mean over the non-null values is the share of the
    # non-empty ones (one filter fewer per pattern and column).
    sample = sample.select([pl.when(norm(pl.col(n)) != "").then(norm(pl.col(n))).alias(n) for n in names])

    def folded(name):
        return pl.col(name)

    features = []
    for i, name in enumerate(names):
        c = folded(name)
        features += [
            c.is_not_null().sum().alias(f"{i}\x00_n"),
            c.str.contains(r"\d").mean().alias(f"{i}\x00digit"),
            c.str.contains(r"[\p{Han}\p{Hiragana}\p{Katakana}〒]").mean().alias(f"{i}\x00ja"),
            c.str.contains(r"[A-Za-z@]").mean().alias(f"{i}\x00latin"),
        ]
    f = sample.select(features).row(0, named=True) if features else {}
    exprs = []
    for i, name in enumerate(names):
        wanted = {"non_empty"}
        if (f.get(f"{i}\x00digit") or 0) > 0.2:
            wanted |= DIGIT_PATTERNS
        if (f.get(f"{i}\x00ja") or 0) > 0.2:
            wanted |= JAPANESE_PATTERNS
        if (f.get(f"{i}\x00latin") or 0) > 0.2:
            wanted |= LATIN_PATTERNS
        for key in wanted:
            exprs.append(folded(name).str.contains(P.RE[key]).mean().alias(f"{i}\x00{key}"))
    row = sample.select(exprs).row(0, named=True) if exprs else {}
    out: dict[str, dict[str, float]] = {}
    for i, name in enumerate(names):
        r = {key: row.get(f"{i}\x00{key}") or 0.0 for key in P.RE}
        r["_n"] = f.get(f"{i}\x00_n") or 0
        out[name] = r
    # The surname dictionaries are large patterns: only where the values look like names at all.
    dictionary = {"name_dict": "name_generic", "kana_dict": "kana_generic", "romaji_dict": "romaji_generic"}
    extra = []
    for i, name in enumerate(names):
        out[name].update(dict.fromkeys(dictionary, 0.0))
        for key, generic in dictionary.items():
            if out[name][generic] >= 0.5:
                extra.append(pl.col(name).str.contains(P.name_patterns()[key]).mean().alias(f"{i}\x00{key}"))
    if extra:
        for label, value in sample.select(extra).row(0, named=True).items():
            index, key = label.split("\x00")
            out[names[int(index)]][key] = value or 0.0
    return out


def _validated_ratio(values: list[str], validator: Callable[[str], bool], shape: str) -> float:
    shaped = [v for v in values if re.search(shape, v)]
    if not values:
        return 0.0
    return sum(1 for v in shaped if validator(v)) / len(values)


def _birth_plausible(values: list[str]) -> bool:
    years = [y for y in (P.year_of(v) for v in values[:500]) if y]
    if len(years) < max(3, len(values[:500]) // 2):
        return False
    ages = [THIS_YEAR - y for y in years]
    return statistics.median(ages) >= 18 and max(ages) - min(ages) >= 15 and min(years) >= 1890


def classify(name: str, series: pl.Series, r: dict[str, float] | None = None) -> list[Decision]:
    hints = P.header_hints(name)
    values = [
        v
        for v in pl.DataFrame({"v": series}).select(norm(pl.col("v"))).to_series().drop_nulls().to_list()
        if v
    ]
    if not values:
        return []
    if r is None:
        r = table_ratios(pl.DataFrame({name: series}))[name]
    if not r["_n"]:
        return []
    distinct = list(dict.fromkeys(values))[:2000]
    card = _validated_ratio(distinct, P.credit_card_ok, P.RE["card_shape"]) if r["card_shape"] >= 0.5 else 0.0
    mynum = (
        _validated_ratio(distinct, P.my_number_ok, P.RE["my_number_shape"])
        if r["my_number_shape"] >= 0.5
        else 0.0
    )
    corp = (
        _validated_ratio(distinct, P.corporate_number_ok, P.RE["corporate_shape"])
        if r["corporate_shape"] >= 0.5
        else 0.0
    )
    jan = _validated_ratio(distinct, P.jan_ok, P.RE["jan_shape"]) if r["jan_shape"] >= 0.5 else 0.0
    ip = r["ipv4"] + r["ipv6"]
    name_dict = max(r["name_dict"], r["romaji_dict"])
    is_date = max(r["date_western"], r["date_wareki"])

    def d(kind, **kw):
        return [Decision(kind, **kw)]

    # Names of organizations (株式会社…, …病院, …店) and departments (営業部, 総務課) are not names of
    # people: checked before any name rule.
    org = r["org"]
    department = r["department"]
    product_code = re.search(PRODUCT_CODE_HEADERS, P.normalise_header(name)) is not None

    # 0. 〒 and the address in one cell: both a postal code and an address.
    if r["postal_address"] >= 0.5 and (
        "postal_code" in hints or "address" in {h.split(":")[0] for h in hints}
    ):
        return [Decision("postal_code", part="embedded"), Decision("address")]

    # 1. Header hints, confirmed by the values. 送付先名字, 届け先氏名: the name of the recipient, not
    # the address — a header naming a name is a name even when it also names a destination.
    if "person_name" in hints and "address" in hints:
        hints = [h for h in hints if h != "person_name"]
        hints.insert(hints.index("address"), "person_name")
    for hint in hints:
        kind, _, sub = hint.partition(":")
        if kind == "special_care":
            if r["non_empty"] >= 0.5 and not (is_date > 0.8 or r["card_shape"] > 0.8):
                return d("special_care", category=sub)
        elif kind == "organization":
            # 取引先担当者 names a person at an organization: the values decide. 団体コード, 法人番号
            # are codes of organizations, not their names.
            if ("person_name" in hints and org < 0.3) or re.search(CODE_HEADERS, P.normalise_header(name)):
                continue
            if r["non_empty"] >= 0.5:
                return d("organization")
        elif kind == "address":
            if is_date >= 0.5 or r["email"] >= 0.5:
                continue
            # Under an address header, any part of an address counts (都道府県 alone, 町以降 alone,
            # a building name in 住所2): exports split addresses in many ways.
            part_ok = max(
                r["address"], r["address_full"], r["prefecture"], r["city"], r["street"], r["address_any"]
            )
            if sub == "building":
                part_ok = 1.0
            if part_ok >= 0.5 and not sub and max(r["address"], r["address_full"]) < 0.5:
                # 住所：都道府県, 住所：町以降 — one part of an address split over columns: counted
                # once per row with the other parts, not once per column.
                sub = "prefecture" if r["prefecture"] >= 0.5 else "city" if r["city"] >= 0.5 else "street"
            if part_ok >= 0.5:
                return d("address", part=sub or None)
        elif kind == "person_name":
            if org >= 0.3:
                return d("organization")
            if department >= 0.5:
                continue
            if max(r["name_generic"], r["romaji_generic"], name_dict, r["name_token"]) >= 0.5:
                return d("person_name")
        elif kind == "name_kana" and r["kana_generic"] >= 0.5 and not P.is_place_header(name):
            return d("name_kana")
        elif kind == "email" and r["email"] >= 0.5:
            return d("email")
        elif kind == "phone" and r["phone"] >= 0.5:
            return d("phone")
        elif kind == "phone" and _numbered(name) and r["phone_part"] >= 0.8:
            return d("phone", part="split")
        elif kind == "postal_code" and r["postal"] >= 0.5:
            return d("postal_code")
        elif kind == "postal_code" and _numbered(name) and r["postal_part"] >= 0.8:
            return d("postal_code", part="split")
        elif kind == "birth_date" and is_date >= 0.5:
            return d("birth_date")
        elif kind == "gender" and r["gender_code"] >= 0.8:
            return d("gender")
        elif kind == "credit_card" and card >= 0.5:
            return d("credit_card")
        elif kind == "my_number" and mynum >= 0.5:
            return d("my_number")
        elif kind == "corporate_number" and corp >= 0.5:
            return d("corporate_number")
        elif kind == "bank_account" and r["bank_account"] >= 0.5:
            return d("bank_account")
        elif kind == "drivers_license" and r["drivers_license"] >= 0.5:
            return d("drivers_license")
        elif kind == "passport" and r["passport"] >= 0.5:
            return d("passport")
        elif kind == "health_insurance_number" and r["insurance"] >= 0.5:
            return d("health_insurance_number")
        elif kind == "ip_address" and ip >= 0.5:
            return d("ip_address")

    # 2. The values alone, where they are unambiguous.
    if r["email"] >= 0.9:
        return d("email")
    if jan >= 0.9:
        return []  # product codes (JAN/EAN-13): never personal data
    # A card number has an issuer prefix, a card length and passes Luhn; one number in ten passes
    # Luhn by chance, so product, SKU and order codes under such a header are never cards.
    if card >= 0.9 and not product_code:
        return d("credit_card")
    if corp >= 0.95 and corp > mynum:
        return d("corporate_number")
    if mynum >= 0.95 and not product_code:
        return d("my_number")
    if ip >= 0.9:
        return d("ip_address")
    if r["phone"] >= 0.9 and (r["has_separator"] >= 0.3 or r["phone_mobile"] >= 0.3):
        return d("phone")
    # 10-digit fixed lines and 11-digit mobiles written without separators: the digit count and
    # the leading 0 with a valid area code or 0X0 prefix are the number plan's, not an order's.
    if r["phone_digits"] >= 0.9 and not product_code and not P.is_id_header(name):
        return d("phone")
    if r["postal"] >= 0.9 and r["postal_marked"] >= 0.5:
        return d("postal_code")
    # Dates of other events (設立年月日, 入社日, 受付日) are not birth dates, whatever their spread.
    if (
        is_date >= 0.9
        and _birth_plausible(values)
        and not re.search(EVENT_DATE_HEADERS, P.normalise_header(name))
    ):
        return d("birth_date")
    if r["gender_word"] >= 0.9 and len(set(values[:500])) <= 6:
        return d("gender")
    if org >= 0.5:
        return d("organization")
    if r["address_full"] >= 0.8:
        return d("address")
    if r["prefecture"] >= 0.9:
        return d("address", part="prefecture")
    if name_dict >= 0.6 and department < 0.3:
        return d("person_name")
    if r["kana_dict"] >= 0.6 and not P.is_place_header(name):
        return d("name_kana")
    # 3. Free text: special-care terms inside (備考, メモ …).
    if P.is_free_text_header(name) or _looks_free_text(values):
        return d("special_care", free_text=True)
    return []


# Headers of product, order and item codes: such numbers are never cards or My Numbers.
PRODUCT_CODE_HEADERS = (
    r"コード|code|sku|品番|jan|ean|商品|item|product|型番|管理番号|注文番号|受注番号|order|伝票|追跡"
)


CODE_HEADERS = r"コード|番号|code|^no$|^id$"
EVENT_DATE_HEADERS = (
    r"設立|創業|開業|登録|作成|更新|契約|入社|退社|受付|注文|発行|購入|出荷|公告|created|updated|ordered"
)


def _numbered(header: str) -> bool:
    """A header ending in a box number (電話番号1, 郵便番号2): one part of a split value."""
    return re.search(r"\d$", P.normalise_header(header)) is not None


JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _looks_free_text(values: list[str]) -> bool:
    sample = values[:500]
    if not sample or sum(len(v) for v in sample) < 4 * len(sample):  # mean length under 4
        return False
    japanese = sum(1 for v in sample if JAPANESE_CHAR.search(v))
    return japanese >= len(sample) * 0.3


# --- Counting ---------------------------------------------------------------------------------

COUNT_PATTERNS = {
    "email": P.RE["email"],
    "postal_code": P.RE["postal"],
    "ip_address": f"{P.RE['ipv4']}|{P.RE['ipv6']}",
    "gender": P.RE["gender_code"],
    "bank_account": P.RE["bank_account"],
    "drivers_license": P.RE["drivers_license"],
    "passport": P.RE["passport"],
    "health_insurance_number": P.RE["insurance"],
}


# One pass over a name column instead of three (the 1M-row benchmark counts every value).
NAME_ANY = "|".join(f"(?:{P.RE[k]})" for k in ("name_generic", "romaji_generic", "name_token"))


def count_expr(column: str, decision: Decision, normalise: bool = True) -> pl.Expr | None:
    c = norm(pl.col(column)) if normalise else pl.col(column)
    kind = decision.type
    if kind in ("credit_card", "my_number", "corporate_number"):
        return None  # validated on distinct values (see validated_counts)
    if kind == "person_name" and decision.free_text:
        match = pl.col(column).str.contains(P.name_patterns()["name_in_text"])
    elif kind == "phone" and decision.free_text:
        match = c.str.contains(P.PHONE_IN_TEXT)
    elif kind == "phone" and decision.part == "split":
        match = c.str.contains(P.RE["phone_part"])
    elif kind == "phone":
        match = c.str.contains(P.RE["phone"])
    elif kind == "postal_code" and decision.part == "split":
        match = c.str.contains(P.RE["postal_part"])
    elif kind == "postal_code" and decision.part == "embedded":
        match = c.str.contains(r"\d{3}-\d{4}")
    elif kind == "organization":
        match = c.str.contains(r"\S")
    elif kind == "birth_date":
        match = c.str.contains(f"{P.RE['date_western']}|{P.RE['date_wareki']}")
    elif kind == "person_name":
        # A column decided to hold names: full names, romaji, or one token of a split name (翔).
        match = c.str.contains(NAME_ANY)
    elif kind == "name_kana":
        match = c.str.contains(P.RE["kana_generic"])
    elif kind == "address" and decision.part in (None, "city", "street", "building"):
        match = c.str.contains(r"\S")
    elif kind == "address":
        match = c.str.contains(P.RE["prefecture"])
    elif kind == "special_care" and not decision.free_text:
        match = c.str.contains(r"\S")
    elif kind == "special_care":
        return None  # per category, see category_exprs
    else:
        match = c.str.contains(COUNT_PATTERNS[kind])
    return match.fill_null(False).sum()


CARE_TERMS = [t for pattern in P.SPECIAL_CARE_TERMS.values() for t in pattern.split("|")]
CARE_RE = {cat: re.compile(pattern) for cat, pattern in P.SPECIAL_CARE_TERMS.items()}
INSTITUTION_RE = re.compile(P.INSTITUTION)


def care_values_expr(column: str) -> pl.Expr:
    """The distinct values that contain any special-care term, with their counts: one Aho-Corasick
    pass over the column; the categories are then decided per distinct value (care_counts)."""
    c = pl.col(column)
    return c.filter(c.str.contains_any(CARE_TERMS)).value_counts().implode()


def care_counts(value_counts: list[dict] | None) -> dict[str, int]:
    """Rows per category (a row counts once per category it mentions)."""
    out: dict[str, int] = {}
    for entry in value_counts or []:
        values = list(entry.values())
        text, n = values[0], values[1]
        text = INSTITUTION_RE.sub(" ", text) if text else text
        for cat, pattern in CARE_RE.items():
            if text and pattern.search(text):
                out[cat] = out.get(cat, 0) + n
    return out


class TypeFound(TypedDict):
    """One type of personal data found in a column: an entry of a column's ``types`` in the result."""

    type: str
    count: int
    ratio: float | None  # of the table's rows; None for plain text
    samples: list[str]  # masked
    part: NotRequired[str]  # address part, when the address is split across columns
    categories: NotRequired[dict[str, int]]  # special care: rows per category
    # special care: a person in the same record (or sentence); False is 要確認 (keyword only)
    confirmed: NotRequired[bool]


@dataclass
class TableResult:
    name: str
    header_row: int | None
    rows: int
    columns: list[dict]
    individuals: int | None
    individuals_key: list[str]
    type_counts: dict[str, int]
    special_care: list[str]  # confirmed: a person in the same record
    special_care_unconfirmed: list[str] = field(default_factory=list)  # keyword only: 要確認
    individuals_exact: bool = False
    individuals_range: list[int] | None = None
    individuals_basis: str = ""


# A second person in the same record is named by a role: the recipient, the guardian, the spouse.
ROLE_WORDS = re.compile(
    r"保護者|配偶者|家族|扶養|続柄|送付先|配送先|お届け先|届け先|受取人|緊急|shipping|receiver|recipient|"
    r"delivery|guardian|parent|spouse|dependant|dependent|emergency"
)


@dataclass
class Key:
    """How people are counted in a table: the distinct values of ``parts`` (one per person in a
    record), whether that is exact, a range for an estimate, and the basis in words."""

    parts: list[pl.Expr]
    columns: list[str]
    exact: bool
    basis: str
    low: list[pl.Expr] | None = None  # a coarser key: its distinct count is the low end


def _quoted(names: list[str]) -> str:
    return "・".join(f"「{n}」" for n in names)


def _key_expr(columns: list[ColumnResult], decided: dict[str, Decision], sample: pl.DataFrame) -> Key | None:
    """The identity key: an ID column, else e-mail, else name with birth date, phone … (pii.md),
    each checked for distinctness; every person of a record counted (buyer and recipient)."""

    def value(col: ColumnResult) -> pl.Expr:
        return norm(pl.col(col.name)) if col.normalise else pl.col(col.name)

    def distinct(col: ColumnResult) -> int:
        return sample.get_column(col.name).drop_nulls().n_unique()

    # The people of a record: the main person's name columns (姓 and 名 side by side are one name),
    # then each role's (送付先名字・送付先名前).
    names = [c for c in columns if decided.get(c.name) and decided[c.name].type == "person_name"]
    main = [c for c in names if not ROLE_WORDS.search(c.name.lower())]
    main = [c for c in main if c.index - main[0].index == main.index(c)] if main else []
    roles: dict[str, list[ColumnResult]] = {}
    for c in names:
        m = ROLE_WORDS.search(c.name.lower())
        if m:
            roles.setdefault(m.group(0), []).append(c)

    # The main person's data: columns of a role (送付先電話番号) describe someone else.
    others = bool(main)
    by_type: dict[str, ColumnResult] = {}
    for col in columns:
        dec = decided.get(col.name)
        role = others and ROLE_WORDS.search(col.name.lower())
        if dec and dec.type not in by_type and not dec.free_text and not role:
            by_type[dec.type] = col
    if not main and roles:  # a table of dependants or recipients only: they are the people
        main = roles.pop(next(iter(roles)))

    def joined(cols: list[ColumnResult]) -> pl.Expr:
        return pl.concat_str([value(c).fill_null("") for c in cols]).str.replace_all(r"[\s\u3000]", "")

    if main and roles:
        parties = [main, *roles.values()]
        parts = [joined(p) for p in parties]
        used = [c.name for p in parties for c in p]
        return Key(
            parts,
            used,
            exact=False,
            basis=(
                "一つの行に複数の人がいるため、"
                + "と".join(_quoted([c.name for c in p]) for p in parties)
                + "の氏名を合わせた異なる数で数えた推定です（同姓同名は一人と数えます）"
            ),
        )
    name_cols = main
    name_distinct = max((distinct(c) for c in name_cols), default=0)
    ids = [c for c in columns if c.id_like and c.name not in decided]
    if ids:
        best = max(ids, key=lambda c: c.unique_ratio)
        return Key(
            [value(best)],
            [best.name],
            exact=True,
            basis=f"{_quoted([best.name])}（ID）の異なる値の数です。IDは一人に一つのため正確な人数です",
        )
    if "email" in by_type:
        email = by_type["email"]
        # A shared mailbox (info@, 総務@): many different names behind few addresses. One person
        # has one name, so an address shared by several names is not a person's key.
        if not (name_cols and distinct(email) * 1.5 < name_distinct):
            return Key(
                [value(email).str.to_lowercase()],
                [email.name],
                exact=True,
                basis=(
                    f"{_quoted([email.name])}（メールアドレス）の異なる値の数です。"
                    "複数の人が同じアドレスを使っている様子はないため、正確な人数とみなします"
                ),
            )
    if name_cols:
        name = joined(name_cols)
        for other in ("birth_date", "phone", "address", "my_number", "health_insurance_number", "email"):
            if other in by_type:
                extra = value(by_type[other]).str.replace_all(r"[\s\u3000\-/.年月日]", "")
                cols = [c.name for c in name_cols] + [by_type[other].name]
                return Key(
                    [pl.concat_str([name, extra], separator="|")],
                    cols,
                    exact=False,
                    basis=(
                        f"{_quoted(cols)}の組み合わせの異なる数で数えた推定です"
                        "（IDがないため。表記のゆれや同じ人の連絡先の変更で多めに出ることがあります）"
                    ),
                    low=[name],
                )
        cols = [c.name for c in name_cols]
        return Key(
            [name],
            cols,
            exact=False,
            basis=f"{_quoted(cols)}（氏名）だけの異なる数で数えた推定です（同姓同名の別人は一人と数えます）",
        )
    for kind in ("phone", "my_number"):
        if kind in by_type:
            col = by_type[kind]
            return Key(
                [value(col).str.replace_all(r"\D", "")],
                [col.name],
                exact=kind == "my_number",
                basis=(
                    f"{_quoted([col.name])}の異なる値の数です。"
                    + (
                        "個人番号は一人に一つのため正確な人数です"
                        if kind == "my_number"
                        else "電話番号は家族や職場で共有されることがあるため推定です"
                    )
                ),
            )
    return None


# Types that show the table is about people (a record of a person), as opposed to a master of
# places, products or organizations.
PERSON_EVIDENCE = {
    "person_name",
    "name_kana",
    "birth_date",
    "my_number",
    "email",
    "gender",
    "drivers_license",
    "passport",
    "health_insurance_number",
    "credit_card",
}
CONTACT = {"address", "postal_code", "phone"}
UNNAMED = re.compile(r"^列\d+$")


def _depends_on(sample: pl.DataFrame, org: str, column: str) -> bool:
    """Is the column's value the same for everyone at the same organization (its office address,
    its main line)? Data that every person of one company shares belongs to the company."""
    pairs = sample.select(pl.col(org).alias("o"), pl.col(column).alias("v")).drop_nulls()
    if pairs.height < 4:
        return False
    orgs = pairs.get_column("o").n_unique()
    if orgs > pairs.height * 0.6:  # each organization once: nothing to tell
        return False
    return pairs.unique().height <= orgs * 1.1


def in_prose(series: pl.Series) -> list[Decision]:
    """Names and phone numbers written inside a free-text column (備考, 対応履歴): a column can carry
    several types. A surname is a person's when an honorific, a title or 「と申します」 follows it."""
    values = series.drop_nulls()
    if not len(values):
        return []
    found = []
    if values.str.contains(P.name_patterns()["name_in_text"]).any():
        found.append(Decision("person_name", free_text=True))
    folded = pl.DataFrame({"v": values}).select(norm(pl.col("v"))).to_series()
    if folded.str.contains(P.PHONE_IN_TEXT).any():
        found.append(Decision("phone", free_text=True))
    return found


def in_context(columns: list[ColumnResult], sample: pl.DataFrame) -> bool:
    """Judge columns by their table. Returns whether the table is about people.

    - Untitled columns right after an address column continue that address (住所 then the city,
      the block and the building in columns with no header of their own, as hand-made lists do).
    - Contact data of organizations is 法人情報, not personal data: under a header naming the
      organization's own place or line (本店所在地, 代表電話, 会社住所); in a table of
      organizations with no person in it; or when it is the same for everyone at one organization.
      A mobile number (070/080/090) is always a person's.
    - An address or postal code in a table with no person and no organization is a place
      (postal-code and municipality masters, statistics by municipality): not personal data.
    """
    loose = {"person_name", "name_kana", "address", "organization", "special_care"}
    for i, col in enumerate(columns):
        if not UNNAMED.match(col.name) or i == 0 or any(d.type not in loose for d in col.decisions):
            continue
        prev = columns[i - 1]
        if any(d.type == "address" for d in prev.decisions):
            values = sample.get_column(col.name).drop_nulls()
            values = values.filter(values.str.strip_chars() != "")
            if len(values) and values.str.contains(P.RE["address_any"]).mean() >= 0.5:  # type: ignore[operator]
                col.decisions = [Decision("address", part="street")]
    has_person = any(d.type in PERSON_EVIDENCE and not d.free_text for c in columns for d in c.decisions)
    orgs = [c for c in columns if any(d.type == "organization" for d in c.decisions)]
    for col in columns:
        if not any(d.type in CONTACT for d in col.decisions):
            continue
        mobile = False
        if any(d.type == "phone" for d in col.decisions):
            values = sample.get_column(col.name).drop_nulls()
            share = values.str.contains(r"^\s*(?:\+81[-\s]?|0)[789]0").mean() if len(values) else 0.0
            mobile = float(share or 0.0) >= 0.5  # type: ignore[arg-type]
        if mobile:
            continue
        if (
            P.is_org_contact_header(col.name)
            or (orgs and not has_person)
            or any(_depends_on(sample, o.name, col.name) for o in orgs)
        ):
            col.decisions = [Decision("organization")]
        elif not has_person and not orgs and all(d.type in ("address", "postal_code") for d in col.decisions):
            col.decisions = []
    return has_person


def scan_table(table: Table, progress: Callable[[int], None] | None = None) -> TableResult:
    columns: list[ColumnResult] = []
    decided: dict[str, Decision] = {}
    ratios = table_ratios(table.sample.select(table.columns))
    for index, name in enumerate(table.columns):
        series = table.sample.get_column(name)
        col = ColumnResult(name=name, index=index)
        col.decisions = classify(name, series, ratios[name])
        non_null = series.drop_nulls()
        col.unique_ratio = non_null.n_unique() / len(non_null) if len(non_null) else 0.0
        col.id_like = P.is_id_header(name) and col.unique_ratio >= 0.8
        col.normalise = needs_folding(series)
        columns.append(col)
    has_person = in_context(columns, table.sample)
    for col in columns:
        if any(d.type == "special_care" and d.free_text for d in col.decisions):
            col.decisions += in_prose(table.sample.get_column(col.name))
    # Special care needs a person in the same record: a 要配慮 word in a table with no one's name
    # (宗教法人 in a company list, 健康診断 in a product name) is reported as 要確認 only.
    has_person = any(d.type in ("person_name", "name_kana") for c in columns for d in c.decisions)
    for col in columns:
        if col.decisions:
            decided[col.name] = col.decisions[0]

    exprs: dict[str, pl.Expr] = {"__rows": pl.len()}
    for col in columns:
        for dec in col.decisions:
            if dec.type == "special_care" and dec.free_text:
                exprs[f"{col.name}\x00care"] = care_values_expr(col.name)
            else:
                e = count_expr(col.name, dec, col.normalise)
                if e is not None:
                    exprs[f"{col.name}\x00{dec.type}"] = e
    key = _key_expr(columns, decided, table.sample)
    if key is not None and not key.exact:
        # The high end of an estimate: every filled key a different person.
        exprs["__high"] = pl.sum_horizontal([(p.is_not_null() & (p != "")).sum() for p in key.parts])
    counts = _collect(table.frame, exprs, key, progress)
    validated = validated_counts(table, columns)

    out_columns: list[dict] = []
    type_counts: dict[str, int] = {}
    categories: set[str] = set()
    address_parts: list[int] = []
    unconfirmed: set[str] = set()
    split_parts: dict[str, list[int]] = {}
    for col in columns:
        types: list[TypeFound] = []
        for dec in col.decisions:
            if dec.type == "special_care" and dec.free_text:
                cats = care_counts(counts.get(f"{col.name}\x00care"))
                if not cats:
                    continue
                n = sum(cats.values())
                types.append(
                    {
                        "type": "special_care",
                        "count": n,
                        "ratio": _ratio(n, counts["__rows"]),
                        "categories": cats,
                        "samples": [],
                        "confirmed": has_person,
                    }
                )
                if has_person:
                    categories.update(cats)
                    type_counts["special_care"] = type_counts.get("special_care", 0) + n
                else:
                    unconfirmed.update(cats)
                continue
            n = validated.get(col.name, counts.get(f"{col.name}\x00{dec.type}", 0))
            if n == 0:
                continue
            entry: TypeFound = {
                "type": dec.type,
                "count": n,
                "ratio": _ratio(n, counts["__rows"]),
                "samples": _samples(table, col.name, dec),
            }
            if dec.part:
                entry["part"] = dec.part
            if dec.category:
                entry["categories"] = {dec.category: n}
                entry["confirmed"] = has_person
                if not has_person:
                    unconfirmed.add(dec.category)
                    types.append(entry)
                    continue
                categories.add(dec.category)
            types.append(entry)
            if dec.type == "address" and dec.part:
                address_parts.append(n)
            elif dec.part == "split":  # one value over several boxes: counted once
                split_parts.setdefault(dec.type, []).append(n)
            else:
                type_counts[dec.type] = type_counts.get(dec.type, 0) + n
        out_columns.append({"name": col.name, "index": col.index, "types": types})
    if address_parts:
        type_counts["address"] = type_counts.get("address", 0) + max(address_parts)
    for kind, ns in split_parts.items():
        type_counts[kind] = type_counts.get(kind, 0) + max(ns)
    individuals = counts.get("__individuals") if key is not None else None
    people_range = None
    if key is not None and individuals is not None and not key.exact:
        low = counts.get("__low", individuals)
        people_range = [min(low, individuals), max(counts.get("__high", individuals), individuals)]
    return TableResult(
        name=table.name,
        header_row=table.header_row,
        rows=counts["__rows"],
        columns=out_columns,
        individuals=individuals,
        individuals_key=key.columns if key is not None else [],
        type_counts=type_counts,
        special_care=sorted(categories),
        special_care_unconfirmed=sorted(unconfirmed - categories),
        individuals_exact=bool(key and key.exact),
        individuals_range=people_range,
        individuals_basis=key.basis
        if key is not None
        else "人を特定できる列（ID・メールアドレス・氏名など）がありません",
    )


def _ratio(n: int, rows: int) -> float:
    return round(n / rows, 4) if rows else 0.0


def _hashed(parts: list[pl.Expr]) -> pl.Expr:
    """The distinct-able values of a key: 64-bit hashes of its filled values, all parts together."""
    if len(parts) == 1:
        key = parts[0]
        return key.filter(key.is_not_null() & (key != "")).hash(seed=7)
    hashed = [pl.when(p.is_not_null() & (p != "")).then(p.hash(seed=7)) for p in parts]
    return pl.concat_list(hashed).explode().drop_nulls()


# Rows per batch of the whole-file pass: the counting expressions run on each batch in memory
# (faster than as streaming reductions: 0.58 s against 0.70 s CPU on the 1M-row benchmark), and
# memory stays bounded by the batch.
BATCH_ROWS = 50_000
# Distinct key hashes kept between batches before they are merged (bounds memory on huge files).
MERGE_KEYS = 2_000_000


def _distinct_hashes(parts: list[pl.Series]) -> pl.Series:
    return pl.concat(parts).unique() if len(parts) > 1 else parts[0]


def _collect(frame: pl.LazyFrame, exprs: dict[str, pl.Expr], key: Key | None, progress) -> dict:
    """Read the file once, in batches: counts are summed, value counts concatenated (summed per
    value by care_counts) and the distinct keys merged."""
    named = [e.alias(k) for k, e in exprs.items()]
    # Distinct people are counted on 64-bit hashes of the key: 5x faster than on the strings, and a
    # collision among even 10^8 keys is unlikely (birthday bound ~3e-4).
    keyed: dict[str, pl.Expr] = {}
    if key is not None:
        keyed["__individuals"] = _hashed(key.parts)
        if key.low is not None:
            keyed["__low"] = _hashed(key.low)
    named += [e.unique().implode().alias(k) for k, e in keyed.items()]
    wanted = {c for e in named for c in e.meta.root_names()}
    schema = frame.collect_schema().names()
    columns = [c for c in schema if c in wanted] or schema[:1]
    sums: dict[str, int] = {}
    value_counts: dict[str, list[dict]] = {}  # from care_values_expr
    hashes: dict[str, list[pl.Series]] = {k: [] for k in keyed}
    for batch in frame.select(columns).collect_batches(chunk_size=BATCH_ROWS):
        out = batch.select(named)
        for k, series in zip(out.columns, out.get_columns(), strict=True):
            if k in keyed:
                parts = hashes[k]
                parts.append(series.explode().drop_nulls())
                if sum(len(p) for p in parts) > MERGE_KEYS:
                    hashes[k] = [_distinct_hashes(parts)]
            elif series.dtype == pl.List:  # value counts: concatenated, summed per value by care_counts
                value_counts[k] = value_counts.get(k, []) + (series[0].to_list() if len(series) else [])
            else:
                sums[k] = sums.get(k, 0) + (series[0] or 0)
        if progress is not None:
            progress(batch.height)
    for k in exprs:
        if k not in value_counts:
            sums.setdefault(k, 0)
    for k, parts in hashes.items():
        sums[k] = _distinct_hashes(parts).len() if parts else 0
    return {**sums, **value_counts}


def validated_counts(table: Table, columns: list[ColumnResult]) -> dict[str, int]:
    """Check-digit types: validate each distinct candidate once, then weigh by its frequency."""
    out = {}
    for col in columns:
        for dec in col.decisions:
            validator = P.VALIDATORS.get(dec.type)
            if validator is None:
                continue
            shape = {
                "credit_card": P.RE["card_shape"],
                "my_number": P.RE["my_number_shape"],
                "corporate_number": P.RE["corporate_shape"],
            }[dec.type]
            values = (
                table.frame.select(norm(pl.col(col.name)).alias("v"))
                .filter(pl.col("v").str.contains(shape))
                .group_by("v")
                .len()
                .collect(engine="streaming")
            )
            out[col.name] = sum(n for v, n in values.iter_rows() if validator(v))
    return out


def _samples(table: Table, column: str, dec: Decision) -> list[str]:
    if dec.type == "special_care":
        return []  # the category and the count only, never the text
    values = table.sample.get_column(column).drop_nulls().unique(maintain_order=True).head(50).to_list()
    masked = []
    for v in values:
        if not str(v).strip():
            continue
        if dec.type in P.VALIDATORS and not P.VALIDATORS[dec.type](P.digits(str(v))):
            continue
        if dec.part == "split":  # one box of a split number: too short to show any of it
            masked.append("*" * len(str(v).strip()))
        elif dec.part == "embedded":  # the postal code at the start of an address cell
            m = re.search(r"\d{3}-\d{4}", unicodedata.normalize("NFKC", str(v)))
            masked.append(P.mask(dec.type, m.group(0) if m else str(v)))
        else:
            masked.append(P.mask(dec.type, str(v)))
        if len(masked) == SAMPLES_PER_TYPE:
            break
    return masked
