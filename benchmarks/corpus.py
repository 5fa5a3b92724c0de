"""A labelled test corpus for the scanner, generated (Faker ja_JP plus our own generators).

Every file comes with its truth: for each column the expected types (and special-care
categories), and the number of distinct individuals. ``build(folder)`` writes the corpus and
returns the labels; ``big_customer_csv(path, rows)`` writes the 1,000,000-row benchmark file.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker

from mamori.scan.patterns import PREFECTURES

CITIES = [
    "札幌市中央区",
    "仙台市青葉区",
    "さいたま市浦和区",
    "千葉市美浜区",
    "新宿区",
    "世田谷区",
    "横浜市港北区",
    "川崎市中原区",
    "名古屋市中村区",
    "京都市左京区",
    "大阪市北区",
    "神戸市中央区",
    "広島市中区",
    "福岡市博多区",
    "那覇市",
    "八王子市",
    "府中市",
    "町田市",
    "西多摩郡奥多摩町",
    "金沢市",
    "長野市",
    "静岡市葵区",
    "岡山市北区",
    "熊本市中央区",
]
TOWNS = ["本町", "栄町", "中央", "緑が丘", "桜台", "旭町", "東雲", "西新宿", "南青山", "北浜", "若葉", "松原"]
BUILDINGS = [
    "メゾン青葉",
    "コーポ桜",
    "グランドハイツ",
    "サンライズマンション",
    "パークサイド",
    "レジデンス東",
]
SPECIAL_NOTES = {
    "medical_history": [
        "糖尿病で通院中",
        "うつ病の既往あり",
        "がん治療のため入院歴あり",
        "高血圧で服薬中",
        "HIV陽性との申告あり",
    ],
    "health_check": [
        "健康診断で要精密検査",
        "健診結果：要再検査（肝機能）",
        "ストレスチェックで高ストレス判定",
    ],
    "disability": ["身体障害者手帳2級", "精神障害者保健福祉手帳あり", "療育手帳を所持"],
    "criminal_record": ["前科あり（窃盗）", "過去に逮捕歴あり"],
    "creed": ["信仰する宗教により輸血不可", "宗教上の理由で豚肉不可"],
}
PLAIN_NOTES = [
    "",
    "",
    "",
    "",
    "DM不要",
    "電話は夕方希望",
    "ポイント移行済み",
    "住所変更あり",
    "初回購入キャンペーン",
    "紹介者あり",
    "配送は置き配希望",
    "法人請求書払い",
]
FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
ERAS = (("明治", 1868), ("大正", 1912), ("昭和", 1926), ("平成", 1989), ("令和", 2019))


@dataclass
class FileTruth:
    path: str
    columns: dict[str, set[str]] = field(default_factory=dict)  # column name -> expected types
    special_care: dict[str, set[str]] = field(default_factory=dict)  # column name -> categories
    individuals: int | None = None
    personal: bool = True


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def my_number(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(11)]
    total = 0
    for n in range(1, 12):
        p = digits[11 - n]
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return "".join(map(str, digits)) + str(0 if r <= 1 else 11 - r)


def corporate_number(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(12)]
    even = sum(digits[12 - n] for n in range(1, 13) if n % 2 == 0)
    odd = sum(digits[12 - n] for n in range(1, 13) if n % 2 == 1)
    return str(9 - (2 * even + odd) % 9) + "".join(map(str, digits))


def jan(rng: random.Random) -> str:
    body = rng.choice(["45", "49"]) + "".join(rng.choice("0123456789") for _ in range(10))
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def phone(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.55:
        return f"{rng.choice(['090', '080', '070'])}-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}"
    if kind < 0.85:
        area = rng.choice(["03", "06", "045", "052", "011", "092", "0467", "04992"])
        rest = 10 - len(area)
        local = f"{rng.randrange(10**rest):0{rest}d}"
        mid = 4 if rest == 8 else rest - 4
        return f"{area}-{local[:mid]}-{local[mid:]}"
    if kind < 0.92:
        return f"050-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}"
    return f"0120-{rng.randrange(1000):03d}-{rng.randrange(1000):03d}"


def birth_date(rng: random.Random):
    import datetime as dt

    return dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))


def wareki(day, rng: random.Random) -> str:
    name, start = [e for e in ERAS if e[1] <= day.year][-1]
    year = day.year - start + 1
    if rng.random() < 0.5:
        return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return f"{'MTSHR'[[e[0] for e in ERAS].index(name)]}{year}.{day.month}.{day.day}"


def address(rng: random.Random, parts: bool = False):
    pref, city, town = rng.choice(PREFECTURES), rng.choice(CITIES), rng.choice(TOWNS)
    street = f"{town}{rng.randrange(1, 9)}丁目{rng.randrange(1, 30)}-{rng.randrange(1, 20)}"
    building = f"{rng.choice(BUILDINGS)}{rng.randrange(101, 999)}" if rng.random() < 0.4 else ""
    if parts:
        return pref, city, street, building
    return f"{pref}{city}{street}{(' ' + building) if building else ''}"


class People:
    """Fake people with consistent kanji and kana names."""

    def __init__(self, seed: int):
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)

    def person(self) -> dict:
        f, rng = self.fake, self.rng
        gender = rng.choice(["男性", "女性"])
        if gender == "男性":
            last, first = f.last_name_pair(), f.first_name_male_pair()
        else:
            last, first = f.last_name_pair(), f.first_name_female_pair()
        sep = rng.choice([" ", "　", ""])
        return {
            "name": f"{last[0]}{sep}{first[0]}",
            "kana": f"{last[1]}{' ' if sep else ''}{first[1]}",
            "romaji": f"{first[2]} {last[2]}",
            "gender": gender,
            "birth": birth_date(rng),
            "postal": f"{rng.randrange(100, 999)}-{rng.randrange(10000):04d}",
            "address": address(rng),
            "phone": phone(rng),
            "email": f"{f.user_name()}{rng.randrange(1000)}@{rng.choice(['example.jp', 'docomo.ne.jp', 'ezweb.ne.jp', 'gmail.com', 'i.softbank.jp'])}",
        }


def _write_csv(
    path: Path, header: list[str] | None, rows: list[list], encoding="utf-8", delimiter=","
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _note(rng: random.Random, share: float = 0.15) -> tuple[str, str | None]:
    if rng.random() < share:
        category = rng.choice(list(SPECIAL_NOTES))
        return rng.choice(SPECIAL_NOTES[category]), category
    return rng.choice(PLAIN_NOTES), None


def customers(
    folder: Path,
    name: str,
    seed: int,
    *,
    rows=800,
    encoding="utf-8",
    delimiter=",",
    header=True,
    fullwidth=False,
    use_wareki=False,
    split_address=False,
    headers_variant=0,
) -> FileTruth:
    people, rng = People(seed), random.Random(seed)
    variants = [
        [
            "会員番号",
            "氏名",
            "フリガナ",
            "性別",
            "生年月日",
            "郵便番号",
            "住所",
            "電話番号",
            "メールアドレス",
            "ランク",
            "購入金額",
            "最終購入日",
            "備考",
        ],
        [
            "顧客ID",
            "お名前",
            "ふりがな",
            "性別",
            "誕生日",
            "〒",
            "ご住所",
            "TEL",
            "E-mail",
            "会員ランク",
            "累計金額",
            "最終来店日",
            "メモ",
        ],
        [
            "customer_id",
            "name",
            "name_kana",
            "gender",
            "birthday",
            "zip",
            "address",
            "phone",
            "email",
            "rank",
            "amount",
            "last_order",
            "note",
        ],
    ]
    head = list(variants[headers_variant % 3])
    if split_address:
        idx = head.index(variants[headers_variant % 3][6])
        head[idx : idx + 1] = ["都道府県", "市区町村", "番地", "建物名"]
    body, ids, categories = [], [], set()
    base = []
    for i in range(rows):
        if base and rng.random() < 0.05:  # a duplicate row of an earlier person
            body.append(list(rng.choice(base)))
            continue
        p = people.person()
        note, category = _note(rng)
        if category:
            categories.add(category)
        birth = (
            wareki(p["birth"], rng)
            if use_wareki
            else p["birth"].strftime(rng.choice(["%Y/%m/%d", "%Y-%m-%d"]))
        )
        phone_no, postal = p["phone"], p["postal"]
        if fullwidth:
            phone_no, postal = phone_no.translate(FW), ("〒" + postal).translate(FW)
        row = [
            f"C{100000 + i}",
            p["name"],
            p["kana"],
            p["gender"].rstrip("性") if rng.random() < 0.3 else p["gender"],
            birth,
            postal,
        ]
        if split_address:
            row += list(address(rng, parts=True))
        else:
            row.append(p["address"])
        row += [
            phone_no,
            p["email"],
            rng.choice(["ゴールド", "シルバー", "ブロンズ", "一般"]),
            str(rng.randrange(500, 500000)),
            f"2025/{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}",
            note,
        ]
        body.append(row)
        base.append(row)
        ids.append(row[0])
    path = folder / name
    _write_csv(path, head if header else None, body, encoding=encoding, delimiter=delimiter)
    labels = ["", "person_name", "name_kana", "gender", "birth_date", "postal_code"]
    labels += ["address"] * (4 if split_address else 1)
    labels += ["phone", "email", "", "", "", "special_care"]
    col_names = head if header else [f"列{i + 1}" for i in range(len(head))]
    truth = FileTruth(path=name, individuals=len(ids))
    for col, label in zip(col_names, labels, strict=True):
        truth.columns[col] = {label} if label else set()
    truth.special_care[col_names[-1]] = categories
    return truth


def cards(folder: Path, seed: int) -> FileTruth:
    people, rng = People(seed), random.Random(seed)
    head = [
        "会員ID",
        "カード名義",
        "カード番号",
        "カード番号（マスク）",
        "有効期限",
        "ご利用金額",
        "注文番号",
    ]
    rows = []
    for i in range(500):
        p = people.person()
        prefix, length = rng.choice([("4", 16), ("51", 16), ("3540", 16), ("37", 15), ("36", 14)])
        number = luhn_complete(prefix, length, rng)
        shown = (
            " ".join(number[j : j + 4] for j in range(0, len(number), 4)) if rng.random() < 0.5 else number
        )
        masked = "****-****-****-" + number[-4:]
        rows.append(
            [
                f"M{5000 + i}",
                p["romaji"].upper(),
                shown,
                masked,
                f"{rng.randrange(1, 13):02d}/{rng.randrange(27, 32)}",
                str(rng.randrange(100, 99999)),
                f"ORD-{rng.randrange(10**9):09d}",
            ]
        )
    _write_csv(folder / "cards.csv", head, rows)
    return FileTruth(
        "cards.csv",
        {
            "会員ID": set(),
            "カード名義": {"person_name"},
            "カード番号": {"credit_card"},
            "カード番号（マスク）": set(),
            "有効期限": set(),
            "ご利用金額": set(),
            "注文番号": set(),
        },
        individuals=500,
    )


def products_decoy(folder: Path, seed: int) -> FileTruth:
    rng = random.Random(seed)
    head = ["JANコード", "商品名", "価格", "在庫数", "入荷日", "注文番号", "追跡番号", "仕入先法人番号"]
    goods = [
        "ボールペン黒",
        "A4コピー用紙",
        "ホッチキス針",
        "クリアファイル",
        "付箋",
        "電卓",
        "USBメモリ16GB",
        "ノート B5",
    ]
    rows = [
        [
            jan(rng),
            rng.choice(goods),
            str(rng.randrange(100, 5000)),
            str(rng.randrange(0, 300)),
            f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            f"{rng.randrange(10**9, 10**10)}",
            f"{rng.randrange(10**11, 10**12)}",
            corporate_number(rng),
        ]
        for _ in range(600)
    ]
    _write_csv(folder / "products.csv", head, rows)
    return FileTruth(
        "products.csv",
        {h: set() for h in head} | {"仕入先法人番号": {"corporate_number"}},
        individuals=0,
        personal=False,
    )


def orders_decoy(folder: Path, seed: int) -> FileTruth:
    rng = random.Random(seed)
    head = ["order_id", "order_date", "ship_date", "amount", "tax", "tracking_no", "status", "store_code"]
    head.append("carrier")
    carriers = ["ヤマト運輸株式会社", "佐川急便株式会社", "日本郵便株式会社", "西濃運輸株式会社"]
    rows = [
        [
            f"{rng.randrange(10**7, 10**8)}",
            f"2025/{rng.randrange(1, 13)}/{rng.randrange(1, 29)}",
            f"2025/{rng.randrange(1, 13)}/{rng.randrange(1, 29)}",
            f"{rng.randrange(1000, 90000):,}",
            str(rng.randrange(100, 9000)),
            f"{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
            rng.choice(["出荷済", "受付", "キャンセル"]),
            f"S{rng.randrange(100, 999)}",
            rng.choice(carriers),  # an organization: 法人情報, not personal data
        ]
        for _ in range(700)
    ]
    _write_csv(folder / "orders.csv", head, rows, encoding="cp932")
    columns: dict[str, set[str]] = {h: set() for h in head} | {"carrier": {"organization"}}
    return FileTruth("orders.csv", columns, individuals=0, personal=False)


def employees_xlsx(folder: Path, seed: int) -> FileTruth:
    from openpyxl import Workbook

    people, rng = People(seed), random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "従業員"
    ws.append(["従業員台帳（社外秘）"])
    ws.append(["作成日", "2026-04-01"])
    ws.append([])
    head = [
        "社員番号",
        "氏名",
        "個人番号",
        "生年月日",
        "健康診断結果",
        "支店番号",
        "口座番号",
        "運転免許証番号",
        "旅券番号",
        "入社日",
    ]
    ws.append(head)
    categories = set()
    for i in range(300):
        p = people.person()
        result = rng.choice(["異常なし", "異常なし", "要精密検査", "要再検査（血圧）", "経過観察"])
        categories.add("health_check")
        ws.append(
            [
                f"E{1000 + i}",
                p["name"],
                my_number(rng),
                p["birth"],
                result,
                f"{rng.randrange(1000):03d}",
                f"{rng.randrange(10**7):07d}",
                f"{rng.randrange(10, 99)}{rng.randrange(10**10):010d}",
                f"T{rng.choice('KRZS')}{rng.randrange(10**7):07d}",
                f"20{rng.randrange(10, 25)}-04-01",
            ]
        )
    family = wb.create_sheet("扶養家族")
    family.append(["社員番号", "家族氏名", "続柄", "家族生年月日"])
    for _ in range(150):
        p = people.person()
        family.append(
            [
                f"E{1000 + rng.randrange(300)}",
                p["name"],
                rng.choice(["配偶者", "子", "父", "母"]),
                p["birth"].isoformat(),
            ]
        )
    wb.save(folder / "employees.xlsx")
    truth = FileTruth("employees.xlsx", individuals=450)
    truth.columns = {
        "従業員:社員番号": set(),
        "従業員:氏名": {"person_name"},
        "従業員:個人番号": {"my_number"},
        "従業員:生年月日": {"birth_date"},
        "従業員:健康診断結果": {"special_care"},
        "従業員:支店番号": set(),
        "従業員:口座番号": {"bank_account"},
        "従業員:運転免許証番号": {"drivers_license"},
        "従業員:旅券番号": {"passport"},
        "従業員:入社日": set(),
        "扶養家族:社員番号": set(),
        "扶養家族:家族氏名": {"person_name"},
        "扶養家族:続柄": set(),
        "扶養家族:家族生年月日": {"birth_date"},
    }
    truth.special_care["従業員:健康診断結果"] = categories
    return truth


def members_json(folder: Path, seed: int, lines: bool = False) -> FileTruth:
    people, rng = People(seed), random.Random(seed)
    records, dependants = [], 0
    for i in range(250):
        p = people.person()
        record = {
            "id": f"U{i:05d}",
            "profile": {
                "name": p["name"],
                "email": p["email"],
                "birthday": p["birth"].isoformat(),
                "contact": {"tel": p["phone"], "zip": p["postal"], "address": p["address"]},
            },
            "plan": rng.choice(["basic", "premium"]),
            "points": rng.randrange(10000),
            "dependants": [],
        }
        for _ in range(rng.randrange(0, 3)):
            d = people.person()
            record["dependants"].append(
                {"name": d["name"], "birthday": d["birth"].isoformat(), "relation": "家族"}
            )
            dependants += 1
        records.append(record)
    name = "members.jsonl" if lines else "members.json"
    if lines:
        (folder / name).write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
        )
    else:
        (folder / name).write_text(
            json.dumps({"members": records}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    prefix = "" if lines else "members[]."
    truth = FileTruth(name, individuals=250 + dependants)
    truth.columns = {
        f"{prefix}id": set(),
        f"{prefix}profile.name": {"person_name"},
        f"{prefix}profile.email": {"email"},
        f"{prefix}profile.birthday": {"birth_date"},
        f"{prefix}profile.contact.tel": {"phone"},
        f"{prefix}profile.contact.zip": {"postal_code"},
        f"{prefix}profile.contact.address": {"address"},
        f"{prefix}plan": set(),
        f"{prefix}points": set(),
        f"{prefix}dependants[].name": {"person_name"},
        f"{prefix}dependants[].birthday": {"birth_date"},
        f"{prefix}dependants[].relation": set(),
    }
    return truth


def inquiries_text(folder: Path, seed: int) -> FileTruth:
    people, rng = People(seed), random.Random(seed)
    lines, names = [], set()
    for i in range(120):
        p = people.person()
        names.add(p["name"].replace(" ", "").replace("　", ""))
        lines.append(f"【問合せ{i + 1}】2025年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日 受付")
        lines.append(f"{p['name']}様より電話あり（{p['phone']}）。返信先 {p['email']}。")
        if rng.random() < 0.3:
            category = rng.choice(list(SPECIAL_NOTES))
            lines.append(f"ご本人より「{rng.choice(SPECIAL_NOTES[category])}」とのお話あり。")
        lines.append(f"注文番号 {rng.randrange(10**9, 10**10)} の配送について。担当：受付係")
        lines.append("")
    (folder / "inquiries.txt").write_text("\n".join(lines), encoding="utf-8")
    truth = FileTruth("inquiries.txt", individuals=len(names))
    truth.columns = {"(本文)": {"person_name", "phone", "email", "special_care"}}
    return truth


def access_log(folder: Path, seed: int) -> FileTruth:
    rng = random.Random(seed)
    head = ["timestamp", "client_ip", "method", "path", "status", "bytes"]
    rows = []
    for _ in range(500):
        ip = (
            f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if rng.random() < 0.8
            else f"2001:db8:{rng.randrange(65535):x}::{rng.randrange(65535):x}"
        )
        rows.append(
            [
                f"2025-06-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00",
                ip,
                rng.choice(["GET", "POST"]),
                rng.choice(["/", "/cart", "/login"]),
                rng.choice(["200", "302", "404"]),
                str(rng.randrange(100, 90000)),
            ]
        )
    _write_csv(folder / "access_log.csv", head, rows)
    return FileTruth(
        "access_log.csv", {h: set() for h in head} | {"client_ip": {"ip_address"}}, individuals=None
    )


def insurance(folder: Path, seed: int) -> FileTruth:
    people, rng = People(seed), random.Random(seed)
    head = ["氏名", "保険者番号", "被保険者証記号", "被保険者証番号", "資格取得日"]
    rows = [
        [
            people.person()["name"],
            f"{rng.randrange(10**7, 10**8)}",
            f"{rng.randrange(1, 999)}",
            f"{rng.randrange(1, 99999)}",
            f"2020-{rng.randrange(1, 13):02d}-01",
        ]
        for _ in range(200)
    ]
    _write_csv(folder / "insurance.csv", head, rows)
    return FileTruth(
        "insurance.csv",
        {
            "氏名": {"person_name"},
            "保険者番号": {"health_insurance_number"},
            "被保険者証記号": {"health_insurance_number"},
            "被保険者証番号": {"health_insurance_number"},
            "資格取得日": set(),
        },
        individuals=200,
    )


def build(folder: Path, variants: int = 3) -> list[FileTruth]:
    """Write the whole corpus into ``folder``; return the truth of every file."""
    folder.mkdir(parents=True, exist_ok=True)
    truths = []
    for v in range(variants):
        s = 100 + v
        truths += [
            customers(folder, f"customers_utf8_{v}.csv", s, encoding="utf-8-sig", headers_variant=v),
            customers(folder, f"customers_cp932_{v}.csv", s + 10, encoding="cp932", headers_variant=v + 1),
            customers(
                folder,
                f"customers_eucjp_{v}.tsv",
                s + 20,
                encoding="euc_jp",
                delimiter="\t",
                headers_variant=v + 2,
            ),
            customers(
                folder,
                f"customers_fullwidth_wareki_{v}.csv",
                s + 30,
                fullwidth=True,
                use_wareki=True,
                headers_variant=v,
            ),
            customers(folder, f"customers_noheader_{v}.csv", s + 40, header=False),
            customers(
                folder, f"customers_split_address_{v}.csv", s + 50, split_address=True, headers_variant=v + 1
            ),
        ]
    truths += [
        cards(folder, 7),
        products_decoy(folder, 8),
        orders_decoy(folder, 9),
        employees_xlsx(folder, 10),
        members_json(folder, 11),
        members_json(folder, 12, lines=True),
        inquiries_text(folder, 13),
        access_log(folder, 14),
        insurance(folder, 15),
    ]
    with zipfile.ZipFile(folder / "bundle.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for member in ("cards.csv", "products.csv", "inquiries.txt"):
            bundle.write(folder / member, f"export/{member}")
    return truths


def big_customer_csv(path: Path, rows: int = 1_000_000, seed: int = 2026) -> int:
    """The benchmark file: 13 columns, ~200 bytes a row, 3 % duplicate rows. Returns distinct people."""
    import numpy as np
    import polars as pl

    people, rng = People(seed), np.random.default_rng(seed)
    pool = [people.person() for _ in range(20_000)]
    unique = rows - rows * 3 // 100
    person_ids = np.concatenate([np.arange(unique), rng.integers(0, unique, rows - unique)])
    rng.shuffle(person_ids)
    pick = person_ids % len(pool)
    r = random.Random(seed)
    notes_pool = [n for n in PLAIN_NOTES] * 6 + [x for v in SPECIAL_NOTES.values() for x in v]

    def col(key, fmt=lambda v: v):
        values = np.array([fmt(p[key]) for p in pool], dtype=object)
        return values[pick]

    frame = pl.DataFrame(
        {
            "会員番号": [f"C{i:07d}" for i in person_ids],
            "氏名": col("name"),
            "フリガナ": col("kana"),
            "性別": col("gender"),
            "生年月日": col("birth", lambda d: d.strftime("%Y/%m/%d")),
            "郵便番号": col("postal"),
            "住所": col("address"),
            "電話番号": np.array([phone(r) for _ in range(50_000)], dtype=object)[person_ids % 50_000],
            "メールアドレス": [f"user{i}@example.jp" for i in person_ids],
            "ランク": np.array(["ゴールド", "シルバー", "ブロンズ", "一般"], dtype=object)[person_ids % 4],
            "購入金額": (person_ids * 7919 % 500_000).astype(str),
            "最終購入日": np.array(
                [f"2025/{m:02d}/{d:02d}" for m in range(1, 13) for d in range(1, 29)], dtype=object
            )[person_ids % 336],
            "備考": np.array(notes_pool, dtype=object)[person_ids % len(notes_pool)],
        }
    )
    frame.write_csv(path)
    return unique
