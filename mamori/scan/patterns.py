"""Detectors of personal data: value patterns, check digits, header hints, masking.

Patterns run inside polars (Rust regex) over whole columns; check digits run in Python on the
distinct candidate values only. Facts and formulas: shared/domain/pii.md.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

from mamori.core import vocabulary

PREFECTURES = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]
PREF_RE = "(?:" + "|".join(PREFECTURES) + ")"

# Full-width to ASCII for digits, letters and the usual separators (vectorised in polars).
_FW_FROM = [chr(c) for c in range(0xFF10, 0xFF1A)] + [chr(c) for c in range(0xFF21, 0xFF3B)]
_FW_FROM += [chr(c) for c in range(0xFF41, 0xFF5B)] + [
    "－",
    "‐",
    "−",
    "―",
    "＠",
    "．",
    "（",
    "）",
    "＋",
    "／",
    "：",
    "，",
]
_FW_TO = [chr(c) for c in range(0x30, 0x3A)] + [chr(c) for c in range(0x41, 0x5B)]
_FW_TO += [chr(c) for c in range(0x61, 0x7B)] + ["-", "-", "-", "-", "@", ".", "(", ")", "+", "/", ":", ","]
FULLWIDTH_FROM, FULLWIDTH_TO = _FW_FROM, _FW_TO

NAME_TAIL = r"[\p{Han}\p{Hiragana}\p{Katakana}々〆ヶー]{1,6}"
SEP = r"[-\s(ー]"

# Patterns over normalised values (full-width folded, trimmed).
RE = {
    "email": r"^[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$",
    # Japanese numbers, one pattern: mobile/IP/M2M (0A0-XXXX-XXXX), free dial and navi dial, and fixed
    # lines whose area code (with its 0) has 2–5 digits for 10 digits in all; "+81" drops the 0.
    "phone": (
        r"^(?:0|\+81[-\s]?)(?:[2-9]0[-\s]?\d{4}[-\s]?\d{4}|120[-\s]?\d{3}[-\s]?\d{3}|800[-\s]?\d{3}[-\s]?\d{4}"
        r"|570[-\s]?\d{3}[-\s]?\d{3}|[1-9][-\s(]?\d{4}[-\s)]?\d{4}|[1-9]\d[-\s(]?\d{3}[-\s)]?\d{4}"
        r"|[1-9]\d{2}[-\s(]?\d{2}[-\s)]?\d{4}|[1-9]\d{3}[-\s(]?\d[-\s)]?\d{4})"
        # An extension after the number (内線12, ext.105, x12) is still that number.
        r"(?:\s*(?:内線|\(内\)|(?i:ext\.?|x))\s*\d{1,5})?$"
    ),
    # A phone number split over boxes (市外局番・市内局番・加入者番号), as forms and EC exports do.
    "phone_part": r"^\d{2,5}$",
    "postal_part": r"^(?:\d{3}|\d{4})$",
    # 〒 and the address in one cell (〒650-0021 兵庫県神戸市中央区…).
    "postal_address": r"^〒?\s?\d{3}-\d{4}[\s\u3000]*[\p{Han}\p{Hiragana}\p{Katakana}]",
    # Anything an address column holds: Japanese text or a block number (1-2-3).
    "address_any": r"[\p{Han}\p{Hiragana}\p{Katakana}]|\d+-\d+",
    # One token of a name (姓 or 名 in their own column): 1–8 Japanese characters or a romaji word.
    "name_token": r"^(?:[\p{Han}\p{Hiragana}\p{Katakana}々〆ヶー]{1,8}|[A-Za-z][A-Za-z'-]{1,20})$",
    # Organizations: legal forms and the nouns that end the names of companies, hospitals, schools,
    # shops and public bodies. A name that holds one is not a person's name.
    "org": (
        r"株式会社|有限会社|合同会社|合資会社|合名会社|㈱|㈲|\(株\)|\(有\)|法人|病院|医院|クリニック|診療所|"
        r"薬局|学校|学園|大学|幼稚園|保育園|工業|商店|商事|産業|製作所|工務店|協会|組合|連合会|銀行|信用金庫|"
        r"役所|役場|神社|教会|寺$|店$|支店|営業所|事務所|センター|ホールディングス|(?i:inc\.?|co\.,?\s*ltd|corp|llc)"
    ),
    # Departments and sections (営業部, 総務課): parts of an organization, not surnames.
    "department": r"(?:部|課|係|室|局|本部|グループ|チーム|部門)(?:\s.*)?$",
    "phone_digits": r"^(?:0[5-9]0\d{8}|0120\d{6}|0800\d{7}|0570\d{6}|020\d{8}|0[1-9]\d{8})$",
    "phone_mobile": r"^0[5-9]0",
    "has_separator": r"[-\s()ー]",
    "postal": r"^〒?\s?\d{3}[-ー]?\d{4}$",
    "postal_marked": r"〒|\d{3}[-ー]\d{4}",
    "date_western": r"^(?:18|19|20)\d{2}[-/.年]\s?(?:0?[1-9]|1[0-2])[-/.月]\s?(?:0?[1-9]|[12]\d|3[01])日?(?:[ T]00:00(?::00)?)?$",
    "date_wareki": r"^(?:明治|大正|昭和|平成|令和|[MTSHRmtshr])\s?(?:元|\d{1,2})[年./-]\s?\d{1,2}[月./-]\s?\d{1,2}日?$",
    "gender_word": r"^(?:男|女|男性|女性|男子|女子|(?i:m|f|male|female|man|woman))$",
    "gender_code": r"^(?:[0129]|男|女|男性|女性|(?i:m|f|male|female))$",
    "address": r"^" + PREF_RE + r"?[\p{Han}\p{Hiragana}\p{Katakana}ヶ]{1,10}?[市区町村郡]\S*",
    "address_full": r"^" + PREF_RE + r"\S*?[市区町村郡]",
    "prefecture": r"^" + PREF_RE + r"$",
    "city": r"^[\p{Han}\p{Hiragana}\p{Katakana}ヶ]{1,10}[市区町村郡]",
    "street": r"^[\p{Han}\p{Hiragana}\p{Katakana}ヶ]*\d+(?:丁目|番地?|-|ー)",
    "name_generic": r"^[\p{Han}々〆ヶ]{1,5}[ \u3000]?" + NAME_TAIL + r"$",
    "kana_generic": r"^(?:[\p{Katakana}ー]{1,10}[ \u3000]?[\p{Katakana}ー]{1,10}|[\p{Hiragana}ー]{1,10}[ \u3000]?[\p{Hiragana}ー]{1,10})$",
    "romaji_generic": r"^[A-Za-z][A-Za-z'-]+[ ,]+[A-Za-z][A-Za-z'-]+$",
    "card_shape": r"^(?:\d[ -]?){12,18}\d$",
    "my_number_shape": r"^\d{4}[ -]?\d{4}[ -]?\d{4}$",
    "corporate_shape": r"^\d{13}$",
    "jan_shape": r"^4[59]\d{11}$",
    "ipv4": r"^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$",
    "ipv6": r"^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}$",
    "bank_account": r"^(?:\d{4,8}|\d{5}-?\d{1,8})$",
    "drivers_license": r"^\d{12}$",
    "passport": r"^[A-Za-z]{2}\d{7}$",
    "insurance": r"^[\dA-Za-z-]{1,20}$",
    "non_empty": r"\S",
}

# 要配慮個人情報 in free text (shared/domain/pii.md; categories of appi.md §1).
SPECIAL_CARE_TERMS = {
    "medical_history": r"糖尿病|うつ病|鬱病|癌|がん治療|胃がん|肺がん|乳がん|HIV|エイズ|通院|入院|服薬|既往|高血圧|心臓病|脳梗塞|統合失調症|認知症|喘息|病歴|投薬|手術",
    "health_check": r"健康診断|健診|要精密検査|要再検査|人間ドック|ストレスチェック|精密検査|検診結果",
    "disability": r"障害者手帳|身体障害|精神障害|知的障害|療育手帳|発達障害|障がい|車椅子利用",
    "criminal_record": r"前科|逮捕歴|犯罪歴|服役|有罪判決",
    "criminal_procedure": r"逮捕され|起訴され|勾留|家宅捜索",
    "creed": r"宗教|信仰|信者|宗派|創価|キリスト教|イスラム教|仏教徒|信条",
    "race": r"人種|民族的出自|被差別部落",
    "crime_victim": r"犯罪被害|被害届を提出|性犯罪の被害",
}

# Headers of organization data: its name, or its own contact data (本店所在地, 代表電話).
ORG_HINTS = (
    r"会社|企業|法人|取引先|商号|社名|団体|医療機関|病院名|施設名|店舗名|勤務先|落札者|事業者|company|"
    r"organization|organisation|corporation|vendor|supplier"
)
# A contact column whose header names the organization's own place or line, not a person's.
ORG_CONTACT_HINTS = r"会社|本店|本社|代表電話|所在地|事業所|店舗|施設|company|office"
# Headers that name a place (the reading of 都道府県名, 市区町村名 is a place's, not a person's).
PLACE_HINTS = r"都道府県|市区町村|町域|地名|市町村|区名|prefecture|city|municipality"

# Institutions named after what they treat or believe (糖尿病内科, がん治療センター, 宗教法人): the
# words name a department, a hospital or a corporation, never a person's condition or creed; they
# are removed from a text before special-care terms are searched.
INSTITUTION = (
    r"(?:宗教|医療|社会福祉|学校)法人|[\u4e00-\u9fff\u30a0-\u30ff]*?"
    r"(?:内科|外科|診療科|病院|医院|クリニック|センター|教会|寺院|外来|病棟|学会|協会)"
)
# A phone number inside prose (Rust regex: no look-behind; the edges are matched instead).
PHONE_IN_TEXT = (
    r"(?:^|[^\d-])(?:\+81[-\s]?|0)\d{1,4}(?:-\d{1,4}-|\(\d{1,4}\))\d{3,4}(?:$|[^\d-])"
    r"|(?:^|\D)0[789]0\d{8}(?:$|\D)"
)

# Header hints, matched on a normalised header (NFKC, lower case, spaces and punctuation removed).
HINTS: list[tuple[str, str]] = [
    ("name_kana", r"フリガナ|ふりがな|カナ|かな|よみ|読み|kana|furigana|yomi|^セイ$|^メイ$|^せい$|^めい$"),
    ("special_care:medical_history", r"病歴|既往歴|病名|傷病|診断名|疾患"),
    ("special_care:health_check", r"健康診断|健診|検査結果|診断結果"),
    ("special_care:disability", r"障害|障がい"),
    ("special_care:creed", r"宗教|信条|信仰"),
    ("special_care:criminal_record", r"犯罪歴|前科"),
    ("special_care:race", r"人種"),
    ("corporate_number", r"法人番号|corporatenumber"),
    ("my_number", r"マイナンバー|個人番号|mynumber"),
    ("credit_card", r"カード番号|クレジット|creditcard|cardno|cardnumber|^cc$|^pan$"),
    ("bank_account", r"口座番号|口座no|accountno|accountnumber|bankaccount"),
    ("drivers_license", r"免許証|運転免許|license|licence"),
    ("passport", r"旅券|パスポート|passport"),
    ("health_insurance_number", r"保険者番号|被保険者|保険証|insuranceno|healthinsurance"),
    ("ip_address", r"^ip$|ipアドレス|ipaddress|clientip|remoteaddr|remoteip|sourceip|^ipaddr"),
    ("organization", ORG_HINTS),
    ("email", r"メール|mail|^アドレス$"),
    ("phone", r"電話|^tel|tel\d?$|携帯|phone|mobile|fax|^連絡先|緊急連絡"),
    ("postal_code", r"郵便|〒|^zip|zip$|zipcode|postal|postcode"),
    ("birth_date", r"生年月日|誕生日|生まれ|birthday|birthdate|dateofbirth|^dob$|^birth"),
    ("gender", r"性別|gender|^sex$|男女"),
    ("address:building", r"建物|マンション|アパート|部屋番号|building|apartment"),
    ("address:street", r"番地|町名|丁目|street|address2"),
    ("address:city", r"市区町村|市町村|city"),
    ("address:prefecture", r"都道府県|prefecture|province"),
    ("address", r"住所|所在地|送付先|届け先|address|addr"),
    (
        "person_name",
        r"氏名|名前|宛名|名義|姓名|フルネーム|契約者|購入者|受取人|担当者|患者名|医師名|保護者|配偶者|^name$|fullname|"
        r"customername|^姓$|^名$|^氏$|名字|苗字|lastname|firstname|familyname|givenname|surname|membername|"
        r"billingname|shippingname|representative|代表者名?$",
    ),
]
ID_HINTS = r"会員番号|顧客番号|顧客id|会員id|社員番号|従業員番号|職員番号|患者番号|学籍番号|会員no|顧客no|^id$|customerid|memberid|userid|employeeid|^no$|^番号$|^uid$"
FREE_TEXT_HINTS = r"備考|メモ|特記|注意|所見|症状|履歴|経過|コメント|摘要|自由記述|内容|詳細|問合せ|問い合わせ|相談|note|memo|comment|remark|description|message"

# What the types mean in law (personal or not, 規則7条2号, 番号法) is in mamori.core.vocabulary.
PERSONAL_TYPES = vocabulary.SCANNED_PERSONAL
NON_PERSONAL_TYPES = vocabulary.SCANNED_NON_PERSONAL


def normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).lower()
    return re.sub(r"[\s_\-・/()（）\[\]「」:：.。、,]", "", text)


def header_hints(header: str) -> list[str]:
    h = normalise_header(header)
    if not h:
        return []
    # A parenthesised suffix says whose data it is (氏(請求先), 電話番号(配送先)), not what it is; so
    # does the path of a flattened JSON key (billing_address.name is a name): the last part first.
    bare = normalise_header(re.sub(r"[(（][^)）]*[)）]", "", str(header)))
    last = normalise_header(re.split(r"[.\]]", str(header))[-1]) if "." in str(header) else ""
    first = [kind for kind, pattern in HINTS if last and re.search(pattern, last)]
    rest = [kind for kind, pattern in HINTS if re.search(pattern, h) or (bare and re.search(pattern, bare))]
    return first + [k for k in rest if k not in first]


def is_org_contact_header(header: str) -> bool:
    return bool(re.search(ORG_CONTACT_HINTS, normalise_header(header)))


def is_place_header(header: str) -> bool:
    return bool(re.search(PLACE_HINTS, normalise_header(header)))


NAME_SUFFIX = r"(?:様|さん|殿|氏|君|先生|部長|課長|係長|主任|社長|と申します)$"
# Words that put a person in a sentence (for special care found in prose).
PERSON_WORDS = r"本人|患者|様|さん|氏|社員|従業員|職員|利用者|児童|生徒|家族|会員|顧客"


def is_id_header(header: str) -> bool:
    return bool(re.search(ID_HINTS, normalise_header(header)))


def is_free_text_header(header: str) -> bool:
    return bool(re.search(FREE_TEXT_HINTS, normalise_header(header)))


# --- Name dictionaries (japanese-personal-name-dataset, MIT) ---------------------------------


@cache
def surnames() -> tuple[list[str], list[str], list[str]]:
    """Kanji surnames, their katakana readings, their romanisations (with ō spelt both ways)."""
    data = resources.files("japanese_personal_name_dataset") / "dataset" / "last_name_org.csv"
    kanji, kana, roman = [], set(), set()
    with data.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) < 4:
                continue
            kanji.append(row[0])
            kana.add("".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in row[2]))
            r = row[3].lower()
            roman.update({r, r.replace("ou", "o").replace("uu", "u"), r.replace("ou", "oh")})
    # Longest first so the alternation prefers 佐々木 over 佐.
    return (
        sorted(kanji, key=len, reverse=True),
        sorted(kana, key=len, reverse=True),
        sorted(roman, key=len, reverse=True),
    )


@cache
def name_patterns() -> dict[str, str]:
    kanji, kana, roman = surnames()
    alt_kanji = "|".join(map(re.escape, kanji))
    alt_kana = "|".join(map(re.escape, kana))
    alt_roman = "|".join(map(re.escape, roman))
    return {
        "name_dict": rf"^(?:{alt_kanji})[ \u3000]?{NAME_TAIL}$",
        "kana_dict": rf"^(?:{alt_kana})[ \u3000]?[\p{{Katakana}}ー]{{1,10}}$",
        "romaji_dict": rf"^(?i:(?:{alt_roman})[ ,]+[a-z'-]{{2,}}|[a-z'-]{{2,}}[ ,]+(?:{alt_roman}))$",
        # Python's re (used on free text) has no \p{Han}: spell the CJK ranges out.
        # In prose a surname is a person's when an honorific, a title or a self-introduction
        # follows it (田中様, 佐藤さん, 鈴木部長, 山田太郎と申します).
        "name_in_text": rf"(?:{alt_kanji})[ \u3000]?[\u3400-\u4dbf\u4e00-\u9fff々\u3041-\u3096\u30a1-\u30fa\u30fc]{{0,4}}?(?:様|さん|殿|氏|君|先生|部長|課長|係長|主任|社長|と申します)",
        # A signature: a line holding only a department and a full name (営業部 山田 太郎).
        "signature": rf"^(?:\S*(?:部|課|室|係|センター)[ \u3000]+)?(?:{alt_kanji})[ \u3000][\u4e00-\u9fff々\u3041-\u3096]{{1,4}}$",
    }


# --- Check digits ---------------------------------------------------------------------------


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def luhn_ok(number: str) -> bool:
    if not number.isdigit() or not 13 <= len(number) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_issuer_ok(number: str) -> bool:
    if number[0] == "4":
        return True
    two, four = int(number[:2]), int(number[:4])
    return (
        51 <= two <= 55
        or 2221 <= four <= 2720
        or two in (34, 37)
        or 3528 <= four <= 3589
        or two in (36, 38, 39)
    )


def credit_card_ok(value: str) -> bool:
    number = digits(value)
    return luhn_ok(number) and card_issuer_ok(number)


def my_number_ok(value: str) -> bool:
    number = digits(value)
    if len(number) != 12:
        return False
    body = [ord(c) - 48 for c in number[:11]]
    total = sum(body[11 - n] * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    r = total % 11
    return (0 if r <= 1 else 11 - r) == ord(number[11]) - 48


def corporate_number_ok(value: str) -> bool:
    number = digits(value)
    if len(number) != 13:
        return False
    body = [ord(c) - 48 for c in number[1:]]
    even = sum(body[12 - n] for n in range(1, 13) if n % 2 == 0)
    odd = sum(body[12 - n] for n in range(1, 13) if n % 2 == 1)
    return 9 - (2 * even + odd) % 9 == ord(number[0]) - 48


def jan_ok(value: str) -> bool:
    number = digits(value)
    if len(number) != 13:
        return False
    total = sum((ord(c) - 48) * (1 if i % 2 == 0 else 3) for i, c in enumerate(number[:12]))
    return (10 - total % 10) % 10 == ord(number[12]) - 48


VALIDATORS = {
    "credit_card": credit_card_ok,
    "my_number": my_number_ok,
    "corporate_number": corporate_number_ok,
    "jan": jan_ok,
}


# --- Dates ----------------------------------------------------------------------------------

ERA_START = {
    "明治": 1868,
    "大正": 1912,
    "昭和": 1926,
    "平成": 1989,
    "令和": 2019,
    "m": 1868,
    "t": 1912,
    "s": 1926,
    "h": 1989,
    "r": 2019,
}


def year_of(value: str) -> int | None:
    value = unicodedata.normalize("NFKC", value).strip()
    m = re.match(r"^((?:18|19|20)\d{2})", value)
    if m:
        return int(m.group(1))
    m = re.match(r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\s?(元|\d{1,2})", value)
    if m:
        era = m.group(1) if len(m.group(1)) == 2 else m.group(1).lower()
        return ERA_START[era] + (1 if m.group(2) == "元" else int(m.group(2))) - 1
    return None


# --- Masking: samples never show a raw value ----------------------------------------------------


def mask(kind: str, value: str) -> str:
    value = unicodedata.normalize("NFKC", str(value)).strip()
    if kind in ("phone",):
        seen, out = 0, []
        total = sum(c.isdigit() for c in value)
        for c in value:
            if c.isdigit():
                seen += 1
                out.append(c if seen <= 3 or seen > total - 2 else "*")
            else:
                out.append(c)
        return "".join(out)
    if kind in (
        "credit_card",
        "my_number",
        "postal_code",
        "bank_account",
        "drivers_license",
        "passport",
        "health_insurance_number",
        "corporate_number",
    ):
        total = sum(c.isalnum() for c in value)
        seen, out = 0, []
        for c in value:
            if c.isalnum():
                seen += 1
                out.append(c if seen > total - 2 else "*")
            else:
                out.append(c)
        return "".join(out)
    if kind == "email":
        local, _, domain = value.partition("@")
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        return f"{local[:1]}***@***.{tld}"
    if kind == "address":
        m = re.match(PREF_RE, value)
        head = m.group(0) if m else value[:1]
        return head + "*" * min(8, max(3, len(value) - len(head)))
    if kind == "birth_date":
        head = value[:2] if value[:2].isdigit() else ""
        return head + re.sub(r"\d", "*", value[len(head) :])
    if kind == "ip_address":
        sep = "." if "." in value else ":"
        parts = value.split(sep)
        return sep.join([parts[0]] + ["*" * max(1, len(p)) for p in parts[1:]])
    if kind in ("gender",):
        return "*"
    if kind in ("person_name", "name_kana"):
        # A short value is a whole given name or surname (雫, 森): nothing of it is shown.
        if len(value.replace(" ", "").replace("\u3000", "")) <= 2:
            return "*" * len(value)
        return "".join(c if i == 0 or c in " \u3000" else "*" for i, c in enumerate(value))
    return value[:1] + "*" * max(2, len(value) - 1)
