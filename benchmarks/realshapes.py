# ruff: noqa: RUF005  (rows are built by concatenating the parts of a record, as the exports list them)
"""A second labelled corpus: files in the SHAPES of real Japanese exports (issue 15).

Not the generator of benchmarks/corpus.py and not Faker: hand-written name lists and the column
layouts, encodings and quirks of exports that companies actually hold (looked up in public
documentation of each format, never copied): EC order CSVs (楽天 RMS, BASE, Shopify), a B2B CRM
export and its activity log in CP932 with a title line, an HR roster and a database dump in Excel,
payroll, a school register, a hospital list with doctors, dummy-data-service outputs, API JSON
(an order object, a people list, company JSONs in a ZIP), a daily report, and decoys (KEN_ALL,
municipality master, product masters, procurement log, statistics, an empty order template,
a company registry, a store list, fiction).

``python -m benchmarks.realshapes`` rewrites tests/fixtures/realshapes/ (the files are committed,
so the scores never move because the generator changed). Beside every file, ``<file>.truth.json``:
``{"personal": bool, "individuals": int | null, "columns": {column: [types]}}`` where a column is
``column`` (CSV, text ``(本文)``), ``sheet:column`` (Excel), ``table:column`` (JSON sub-tables)
and ``member!column`` (ZIP). A column not listed is expected to hold nothing.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "realshapes"

# (kanji, katakana, romaji) — surnames and given names written here by hand.
SURNAMES = [
    ("佐藤", "サトウ", "Sato"),
    ("鈴木", "スズキ", "Suzuki"),
    ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"),
    ("伊藤", "イトウ", "Ito"),
    ("渡辺", "ワタナベ", "Watanabe"),
    ("山本", "ヤマモト", "Yamamoto"),
    ("中村", "ナカムラ", "Nakamura"),
    ("小林", "コバヤシ", "Kobayashi"),
    ("加藤", "カトウ", "Kato"),
    ("吉田", "ヨシダ", "Yoshida"),
    ("山田", "ヤマダ", "Yamada"),
    ("佐々木", "ササキ", "Sasaki"),
    ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"),
    ("木村", "キムラ", "Kimura"),
    ("清水", "シミズ", "Shimizu"),
    ("山口", "ヤマグチ", "Yamaguchi"),
    ("森", "モリ", "Mori"),
    ("池田", "イケダ", "Ikeda"),
    ("橋本", "ハシモト", "Hashimoto"),
    ("阿部", "アベ", "Abe"),
    ("石川", "イシカワ", "Ishikawa"),
    ("前田", "マエダ", "Maeda"),
    ("藤田", "フジタ", "Fujita"),
    ("岡田", "オカダ", "Okada"),
    ("長谷川", "ハセガワ", "Hasegawa"),
    ("村上", "ムラカミ", "Murakami"),
    ("近藤", "コンドウ", "Kondo"),
    ("坂本", "サカモト", "Sakamoto"),
    ("遠藤", "エンドウ", "Endo"),
    ("青木", "アオキ", "Aoki"),
    ("西村", "ニシムラ", "Nishimura"),
    ("福田", "フクダ", "Fukuda"),
    ("太田", "オオタ", "Ota"),
    ("三浦", "ミウラ", "Miura"),
    ("藤井", "フジイ", "Fujii"),
    ("岡本", "オカモト", "Okamoto"),
    ("松田", "マツダ", "Matsuda"),
    ("中川", "ナカガワ", "Nakagawa"),
]
GIVEN = [
    ("太郎", "タロウ", "Taro"),
    ("花子", "ハナコ", "Hanako"),
    ("翔", "ショウ", "Sho"),
    ("雫", "シズク", "Shizuku"),
    ("蓮", "レン", "Ren"),
    ("陽菜", "ヒナ", "Hina"),
    ("大輔", "ダイスケ", "Daisuke"),
    ("美咲", "ミサキ", "Misaki"),
    ("健一", "ケンイチ", "Kenichi"),
    ("由美子", "ユミコ", "Yumiko"),
    ("直樹", "ナオキ", "Naoki"),
    ("さくら", "サクラ", "Sakura"),
    ("誠", "マコト", "Makoto"),
    ("恵", "メグミ", "Megumi"),
    ("拓也", "タクヤ", "Takuya"),
    ("真由美", "マユミ", "Mayumi"),
    ("和也", "カズヤ", "Kazuya"),
    ("愛", "アイ", "Ai"),
    ("悠人", "ユウト", "Yuto"),
    ("結衣", "ユイ", "Yui"),
    ("浩", "ヒロシ", "Hiroshi"),
    ("明美", "アケミ", "Akemi"),
    ("優斗", "ユウト", "Yuto"),
    ("七海", "ナナミ", "Nanami"),
]
PLACES = [
    ("北海道", "札幌市中央区", "北一条西", "060-0001"),
    ("宮城県", "仙台市青葉区", "一番町", "980-0811"),
    ("埼玉県", "川口市", "栄町", "332-0017"),
    ("東京都", "世田谷区", "太子堂", "154-0004"),
    ("東京都", "練馬区", "豊玉北", "176-0012"),
    ("神奈川県", "横浜市西区", "みなとみらい", "220-0012"),
    ("愛知県", "名古屋市中区", "栄", "460-0008"),
    ("大阪府", "堺市北区", "中百舌鳥町", "591-8025"),
    ("兵庫県", "神戸市中央区", "元町通", "650-0022"),
    ("福岡県", "福岡市博多区", "博多駅前", "812-0011"),
    ("広島県", "福山市", "霞町", "720-0065"),
    ("長野県", "松本市", "中央", "390-0811"),
]
COMPANIES = [
    "株式会社山田製作所",
    "有限会社ひまわり商店",
    "㈱テクノソリューションズ",
    "合同会社ミライ企画",
    "株式会社北斗工業",
    "医療法人社団 青葉会",
    "一般社団法人 地域振興協会",
    "株式会社サンライズ物流",
    "三和電機株式会社",
    "株式会社グリーンフーズ",
    "宗教法人 光明寺",
    "学校法人 桜丘学園",
]
DEPARTMENTS = ["営業部", "総務部 人事課", "経理課", "開発本部", "購買部", "情報システム部", "品質保証課"]
TITLES = ["部長", "課長", "主任", "", "係長", "担当"]


def fixed_line(rng: random.Random) -> str:
    """A fixed line: area code with its 0 (2–5 digits) + local exchange, 10 digits in all."""
    area = f"0{rng.randint(3, 99)}"
    n = 6 - len(area)
    return f"{area}-{rng.randint(10 ** (n - 1), 10**n - 1)}-{rng.randint(1000, 9999)}"


class People:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def person(self) -> dict:
        rng = self.rng
        s, g = rng.choice(SURNAMES), rng.choice(GIVEN)
        pref, city, town, postal = rng.choice(PLACES)
        block = f"{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        building = rng.choice(["", "", f"コーポ若葉{rng.randint(1, 3)}0{rng.randint(1, 9)}", "ハイツ緑 2F"])
        y = rng.randint(1950, 2004)
        m, d = rng.randint(1, 12), rng.randint(1, 28)
        mobile = f"0{rng.choice('789')}0-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        fixed = fixed_line(rng)
        local = f"{g[2].lower()}.{s[2].lower()}{rng.randint(1, 999)}"
        return {
            "sei": s[0],
            "mei": g[0],
            "sei_kana": s[1],
            "mei_kana": g[1],
            "sei_roman": s[2],
            "mei_roman": g[2],
            "name": f"{s[0]} {g[0]}",
            "kana": f"{s[1]} {g[1]}",
            "hira": "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in f"{s[1]} {g[1]}"),
            "pref": pref,
            "city": city,
            "town": f"{town}{block}",
            "building": building,
            "postal": postal,
            "address": f"{pref}{city}{town}{block}{(' ' + building) if building else ''}",
            "birth": f"{y}/{m:02d}/{d:02d}",
            "birth_iso": f"{y}-{m:02d}-{d:02d}",
            "age": str(2026 - y),
            "gender": rng.choice(["男", "女"]),
            "mobile": mobile,
            "fixed": fixed,
            "email": f"{local}@{rng.choice(['example.jp', 'example.com', 'mail.example.ne.jp'])}",
        }


def luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def my_number(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(11)]
    total = sum(digits[11 - n] * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    r = total % 11
    return "".join(map(str, digits)) + str(0 if r <= 1 else 11 - r)


def corporate_number(rng: random.Random) -> str:
    body = [rng.randrange(10) for _ in range(12)]
    even = sum(body[12 - n] for n in range(1, 13) if n % 2 == 0)
    odd = sum(body[12 - n] for n in range(1, 13) if n % 2 == 1)
    return str(9 - (2 * even + odd) % 9) + "".join(map(str, body))


def jan(rng: random.Random) -> str:
    body = "49" + "".join(str(rng.randrange(10)) for _ in range(10))
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", crlf: bool = True) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def truth(path: Path, columns: dict[str, list[str]], personal: bool = True, individuals: int | None = None):
    data = {"personal": personal, "individuals": individuals, "columns": columns}
    Path(f"{path}.truth.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


# --- Personal files ---------------------------------------------------------------------------


def dummy_service(folder: Path) -> None:
    """A dummy-personal-data service's CSV: 連番, full name, reading, contact, card, My Number."""
    p = People(1)
    rng = p.rng
    head = [
        "連番",
        "氏名",
        "氏名（カタカナ）",
        "性別",
        "電話番号",
        "携帯電話番号",
        "メールアドレス",
        "郵便番号",
    ]
    head += ["住所", "生年月日", "年齢", "血液型", "会社名", "クレジットカード", "有効期限", "マイナンバー"]
    rows = [head]
    for i in range(1, 121):
        x = p.person()
        card = luhn(rng.choice(["4", "5", "35"]) + "".join(str(rng.randrange(10)) for _ in range(13)))[:16]
        card = luhn(card[:15])
        rows.append(
            [
                str(i),
                x["name"],
                x["kana"],
                x["gender"],
                x["fixed"].replace("-", ""),
                x["mobile"].replace("-", ""),
            ]
            + [x["email"], x["postal"], x["address"], x["birth"], x["age"], rng.choice(["A", "B", "O", "AB"])]
            + [rng.choice(COMPANIES), card, f"{rng.randint(1, 12):02d}/{rng.randint(27, 31)}", my_number(rng)]
        )
    path = folder / "dummy_service_people.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "氏名": ["person_name"],
            "氏名（カタカナ）": ["name_kana"],
            "性別": ["gender"],
            "電話番号": ["phone"],
            "携帯電話番号": ["phone"],
            "メールアドレス": ["email"],
            "郵便番号": ["postal_code"],
            "住所": ["address"],
            "生年月日": ["birth_date"],
            "会社名": ["organization"],
            "クレジットカード": ["credit_card"],
            "マイナンバー": ["my_number"],
        },
        individuals=120,
    )


def dummy_hiragana(folder: Path) -> None:
    """Another dummy service: 名前・ふりがな (hiragana), アドレス, 誕生日, 携帯 without separators."""
    p = People(2)
    rows = [["名前", "ふりがな", "アドレス", "性別", "年齢", "誕生日", "都道府県", "携帯", "キャリア"]]
    for _ in range(80):
        x = p.person()
        rows.append(
            [x["name"], x["hira"], x["email"], x["gender"] + "性", x["age"], x["birth_iso"], x["pref"]]
            + [x["mobile"].replace("-", ""), p.rng.choice(["docomo", "au", "softbank"])]
        )
    path = folder / "dummy_hiragana.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "名前": ["person_name"],
            "ふりがな": ["name_kana"],
            "アドレス": ["email"],
            "性別": ["gender"],
            "誕生日": ["birth_date"],
            "都道府県": ["address"],
            "携帯": ["phone"],
        },
        individuals=80,
    )


def crm_b2b(folder: Path) -> None:
    """A B2B CRM (business cards) export in CP932 with a title line above the header; company
    name, department and company phone are 法人情報, the contact's name, reading, e-mail and
    mobile are personal."""
    p = People(3)
    rng = p.rng
    rows = [["取引先担当者一覧（2026年04月01日 出力）"], []]
    rows.append(
        ["会社名", "部署名", "役職", "姓", "名", "セイ", "メイ", "メールアドレス", "郵便番号", "会社住所"]
        + ["電話番号", "FAX", "携帯電話", "名刺交換日"]
    )
    offices = {}  # one head office per company: its address and lines are the company's
    for company in COMPANIES[:10]:
        o = p.person()
        offices[company] = (o["postal"], o["address"].split(" ")[0] + " 本社ビル5F", fixed_line(rng))
    for _ in range(60):
        x = p.person()
        company = rng.choice(COMPANIES[:10])
        postal, office, line = offices[company]
        rows.append(
            [company, rng.choice(DEPARTMENTS), rng.choice(TITLES), x["sei"], x["mei"], x["sei_kana"]]
            + [x["mei_kana"], x["email"], postal, office, line, line[:-4] + "0000"]
            + [x["mobile"], f"2025/{rng.randint(1, 12)}/{rng.randint(1, 28)}"]
        )
    path = folder / "crm_contacts_cp932.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "会社名": ["organization"],
            "姓": ["person_name"],
            "名": ["person_name"],
            "セイ": ["name_kana"],
            "メイ": ["name_kana"],
            "メールアドレス": ["email"],
            "郵便番号": ["organization"],
            "会社住所": ["organization"],
            "電話番号": ["organization"],
            "FAX": ["organization"],
            "携帯電話": ["phone"],
        },
        individuals=60,
    )


def crm_activity(folder: Path) -> None:
    """The CRM's activity log (CP932): free-text 対応履歴 with names and phone numbers in prose."""
    p = People(4)
    rng = p.rng
    rows = [["活動日", "取引先", "担当者", "件名", "対応履歴", "次回予定"]]
    for i in range(50):
        x, staff = p.person(), p.person()
        lines = [
            f"{x['sei']}様より電話あり。見積の件、折り返し{x['mobile']}まで。",
            f"先方{x['sei']}部長と打合せ。来月の発注見込み。",
            f"{x['name']}と申しますとの名乗りで問合せ。資料送付済み。",
            "定例訪問。特に問題なし。",
            f"{x['sei']}さんに納期回答。携帯 {x['mobile'].replace('-', '')}",
        ]
        rows.append(
            [
                f"2026/03/{i % 28 + 1:02d}",
                rng.choice(COMPANIES[:10]),
                staff["name"],
                rng.choice(["見積", "訪問", "問合せ"]),
            ]
            + [rng.choice(lines), rng.choice(["", "4月上旬に再訪", "電話フォロー"])]
        )
    path = folder / "crm_activity_cp932.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "取引先": ["organization"],
            "担当者": ["person_name"],
            "対応履歴": ["person_name", "phone"],
        },
    )


def employee_roster(folder: Path) -> None:
    """An HR roster in Excel: title and date rows, 社員番号, split 姓/名 and セイ/メイ, 扶養家族."""
    from openpyxl import Workbook

    p = People(5)
    rng = p.rng
    wb = Workbook()
    ws = wb.active
    ws.title = "社員名簿"
    ws.append(["社員名簿"])
    ws.append(["作成日", "2026-04-01"])
    ws.append([])
    ws.append(
        [
            "社員番号",
            "姓",
            "名",
            "セイ",
            "メイ",
            "性別",
            "生年月日",
            "入社日",
            "所属",
            "役職",
            "内線",
            "携帯番号",
            "現住所",
            "配偶者氏名",
        ]
    )
    import datetime as dt

    for i in range(90):
        x, spouse = p.person(), p.person()
        y, m, d = map(int, x["birth_iso"].split("-"))
        ws.append(
            [
                f"E{10001 + i}",
                x["sei"],
                x["mei"],
                x["sei_kana"],
                x["mei_kana"],
                x["gender"],
                dt.datetime(y, m, d),
            ]
            + [dt.datetime(2010 + i % 15, 4, 1), rng.choice(DEPARTMENTS), rng.choice(TITLES), str(2000 + i)]
            + [x["mobile"], x["address"], f"{x['sei']} {spouse['mei']}" if i % 3 == 0 else None]
        )
    path = folder / "employee_roster.xlsx"
    wb.save(path)
    cols = {
        "姓": ["person_name"],
        "名": ["person_name"],
        "セイ": ["name_kana"],
        "メイ": ["name_kana"],
        "性別": ["gender"],
        "生年月日": ["birth_date"],
        "携帯番号": ["phone"],
        "現住所": ["address"],
        "配偶者氏名": ["person_name"],
    }
    truth(path, {f"社員名簿:{k}": v for k, v in cols.items()}, individuals=120)


def db_export(folder: Path) -> None:
    """A database table dumped to Excel: snake_case English headers, romaji names, split address."""
    from openpyxl import Workbook

    p = People(6)
    wb = Workbook()
    ws = wb.active
    ws.title = "users"
    ws.append(
        ["id", "last_name", "first_name", "last_name_kana", "first_name_kana", "email", "tel", "zip"]
        + ["pref", "address1", "address2", "birthday", "sex", "name_en", "created_at"]
    )
    for i in range(70):
        x = p.person()
        en = (
            f"{x['mei_roman']} {x['sei_roman']}"
            if i % 2
            else f"{x['sei_roman'].upper()} {x['mei_roman'].upper()}"
        )
        ws.append(
            [
                i + 1,
                x["sei"],
                x["mei"],
                x["sei_kana"],
                x["mei_kana"],
                x["email"],
                x["fixed"],
                x["postal"].replace("-", ""),
            ]
            + [
                x["pref"],
                x["city"] + x["town"],
                x["building"] or None,
                x["birth_iso"],
                p.rng.choice([1, 2]),
                en,
            ]
            + [f"2024-0{i % 9 + 1}-1{i % 9} 10:2{i % 10}:00"]
        )
    path = folder / "db_users.xlsx"
    wb.save(path)
    cols = {
        "last_name": ["person_name"],
        "first_name": ["person_name"],
        "last_name_kana": ["name_kana"],
        "first_name_kana": ["name_kana"],
        "email": ["email"],
        "tel": ["phone"],
        "zip": ["postal_code"],
        "pref": ["address"],
        "address1": ["address"],
        "address2": ["address"],
        "birthday": ["birth_date"],
        "sex": ["gender"],
        "name_en": ["person_name"],
    }
    truth(path, {f"users:{k}": v for k, v in cols.items()}, individuals=70)


def hospital_doctors(folder: Path) -> None:
    """A hospital/clinic list with the doctors' names: departments such as 糖尿病内科 are not
    anyone's medical history; the hospital's address and phone are 法人情報."""
    p = People(7)
    rng = p.rng
    depts = ["内科", "糖尿病内科", "心療内科", "整形外科", "小児科", "消化器内科", "がん治療センター"]
    rows = [["医療機関名", "診療科", "医師名", "所在地", "電話番号"]]
    hospitals = {
        h: (p.person()["address"].split(" ")[0], fixed_line(rng))
        for h in ["さくら病院", "青葉クリニック", "中央医院", "みなと総合病院"]
    }
    for _ in range(40):
        x = p.person()
        hospital = rng.choice(sorted(hospitals))
        rows.append([hospital, rng.choice(depts), x["name"], *hospitals[hospital]])
    path = folder / "hospital_doctors.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "医療機関名": ["organization"],
            "医師名": ["person_name"],
            "所在地": ["organization"],
            "電話番号": ["organization"],
        },
        individuals=None,
    )


def people_json(folder: Path) -> None:
    """An API's list of several thousand people with birthdays (camelCase keys)."""
    p = People(8)
    people = []
    for i in range(3000):
        x = p.person()
        people.append(
            {
                "userId": 100000 + i,
                "fullName": x["name"],
                "nameKana": x["kana"],
                "birthday": x["birth_iso"],
                "mail": x["email"],
                "prefecture": x["pref"],
                "registeredAt": "2025-12-01T09:00:00+09:00",
            }
        )
    path = folder / "people.json"
    path.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    truth(
        path,
        {
            "fullName": ["person_name"],
            "nameKana": ["name_kana"],
            "birthday": ["birth_date"],
            "mail": ["email"],
            "prefecture": ["address"],
        },
        individuals=3000,
    )


def order_api(folder: Path) -> None:
    """One order from an EC API: the buyer's and the recipient's contact data in the object's own
    fields, next to one list (the line items)."""
    p = People(9)
    buyer, recipient = p.person(), p.person()
    order = {
        "order": {
            "unique_key": "A1B2C3D4E5",
            "ordered": 1767225600,
            "first_name": buyer["mei"],
            "last_name": buyer["sei"],
            "mail_address": buyer["email"],
            "tel": buyer["mobile"],
            "zip_code": buyer["postal"],
            "prefecture": buyer["pref"],
            "address": buyer["city"] + buyer["town"],
            "total": 5280,
            "order_items": [
                {"item_id": 1001, "title": "オーガニック緑茶 100g", "price": 1620, "amount": 2},
                {"item_id": 1002, "title": "湯呑み（白）", "price": 2040, "amount": 1},
            ],
            "order_receiver": {
                "first_name": recipient["mei"],
                "last_name": recipient["sei"],
                "tel": recipient["fixed"],
                "zip_code": recipient["postal"],
                "prefecture": recipient["pref"],
                "address": recipient["city"] + recipient["town"],
            },
        }
    }
    path = folder / "order_api.json"
    path.write_text(json.dumps(order, ensure_ascii=False, indent=2), encoding="utf-8")
    cols = {
        "order.first_name": ["person_name"],
        "order.last_name": ["person_name"],
        "order.mail_address": ["email"],
        "order.tel": ["phone"],
        "order.zip_code": ["postal_code"],
        "order.prefecture": ["address"],
        "order.address": ["address"],
        "order.order_receiver.first_name": ["person_name"],
        "order.order_receiver.last_name": ["person_name"],
        "order.order_receiver.tel": ["phone"],
        "order.order_receiver.zip_code": ["postal_code"],
        "order.order_receiver.prefecture": ["address"],
        "order.order_receiver.address": ["address"],
    }
    truth(path, cols, individuals=2)


def webhook_order(folder: Path) -> None:
    """An order webhook: the object's own fields (customer, billing and shipping address) next to
    one list (line_items) — the list is not the whole document."""
    p = People(29)
    buyer, recipient = p.person(), p.person()
    order = {
        "id": 820982911946154508,
        "email": buyer["email"],
        "created_at": "2026-03-01T10:00:00+09:00",
        "total_price": "6600",
        "customer": {"id": 115310627314723954, "first_name": buyer["mei"], "last_name": buyer["sei"]},
        "billing_address": {
            "name": buyer["name"],
            "phone": buyer["mobile"],
            "zip": buyer["postal"],
            "province": buyer["pref"],
            "city": buyer["city"],
            "address1": buyer["town"],
        },
        "shipping_address": {
            "name": recipient["name"],
            "phone": recipient["fixed"],
            "zip": recipient["postal"],
            "province": recipient["pref"],
            "city": recipient["city"],
            "address1": recipient["town"],
        },
        "line_items": [
            {"sku": "TEA-100", "title": "緑茶ティーバッグ", "quantity": 2, "price": "1800"},
            {"sku": "CUP-01", "title": "マグカップ", "quantity": 1, "price": "3000"},
        ],
    }
    path = folder / "webhook_order.json"
    path.write_text(json.dumps(order, ensure_ascii=False, indent=2), encoding="utf-8")
    cols = {"email": ["email"], "customer.first_name": ["person_name"], "customer.last_name": ["person_name"]}
    for party in ("billing_address", "shipping_address"):
        cols |= {
            f"{party}.name": ["person_name"],
            f"{party}.phone": ["phone"],
            f"{party}.zip": ["postal_code"],
            f"{party}.province": ["address"],
            f"{party}.city": ["address"],
            f"{party}.address1": ["address"],
        }
    truth(path, cols, individuals=2)


def users_by_id(folder: Path) -> None:
    """A JSON object of users keyed by their id (a dict is a table too)."""
    p = People(30)
    users = {}
    for i in range(40):
        x = p.person()
        users[f"u{70001 + i}"] = {
            "name": x["name"],
            "kana": x["kana"],
            "tel": x["mobile"],
            "birthday": x["birth_iso"],
        }
    path = folder / "users_by_id.json"
    path.write_text(json.dumps({"users": users}, ensure_ascii=False), encoding="utf-8")
    cols = {
        "users[].列2.name": ["person_name"],
        "users[].列2.kana": ["name_kana"],
        "users[].列2.tel": ["phone"],
        "users[].列2.birthday": ["birth_date"],
    }
    truth(path, cols, individuals=40)


def companies_zip(folder: Path) -> None:
    """Company JSONs in a ZIP (one company per file): corporate number and head-office contact
    are 法人情報; the representative's name is a person."""
    p = People(10)
    rng = p.rng
    path = folder / "companies.zip"
    with zipfile.ZipFile(path, "w") as z:
        for i, company in enumerate(COMPANIES[:5]):
            x = p.person()
            data = {
                "corporateNumber": corporate_number(rng),
                "companyName": company,
                "representative": x["name"],
                "headOffice": {
                    "postalCode": x["postal"],
                    "address": x["address"].split(" ")[0],
                    "tel": f"03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                },
                "capital": 10000000 * (i + 1),
                "employees": 20 + i * 13,
            }
            z.writestr(f"company_{i + 1}.json", json.dumps(data, ensure_ascii=False))
    cols = {}
    for i in range(5):
        m = f"company_{i + 1}.json"
        cols |= {
            f"{m}!corporateNumber": ["corporate_number"],
            f"{m}!companyName": ["organization"],
            f"{m}!representative": ["person_name"],
            f"{m}!headOffice.postalCode": ["organization"],
            f"{m}!headOffice.address": ["organization"],
            f"{m}!headOffice.tel": ["organization"],
        }
    truth(path, cols)


def daily_report(folder: Path) -> None:
    """A daily report (日報) in plain text: customers named with 様/さん, a signature, a phone."""
    p = People(11)
    a, b, c, me = p.person(), p.person(), p.person(), p.person()
    text = f"""日報 2026年4月3日（金）

■ 訪問
・株式会社北斗工業 {a["sei"]}様（購買部）：新製品の説明。来週見積提出。
・青葉クリニック 事務長の{b["sei"]}さんと打合せ。{b["sei"]}さんの携帯 {b["mobile"]} に連絡することになった。

■ 電話
・{c["name"]}と申しますと新規の問合せ。資料を送付予定（{c["email"]}）。

■ 所感
特になし。

--
営業部 {me["name"]}
内線 2031
"""
    path = folder / "daily_report.txt"
    path.write_text(text, encoding="utf-8")
    truth(path, {"(本文)": ["person_name", "phone", "email"]}, individuals=4)


def shopify_orders(folder: Path) -> None:
    """An order export with English headers (Billing/Shipping Name, Zip, Province, Phone, Notes)."""
    p = People(12)
    rng = p.rng
    head = [
        "Name",
        "Email",
        "Financial Status",
        "Paid at",
        "Currency",
        "Subtotal",
        "Lineitem name",
        "Lineitem sku",
    ]
    head += [
        "Billing Name",
        "Billing Street",
        "Billing Company",
        "Billing City",
        "Billing Zip",
        "Billing Province",
    ]
    head += [
        "Billing Phone",
        "Shipping Name",
        "Shipping Street",
        "Shipping City",
        "Shipping Zip",
        "Shipping Province",
    ]
    head += ["Shipping Phone", "Notes"]
    rows = [head]
    for i in range(60):
        x = p.person()
        y = x if i % 3 else p.person()
        rows.append(
            [
                f"#{1001 + i}",
                x["email"],
                "paid",
                "2026-03-01 10:00:00 +0900",
                "JPY",
                str(rng.randint(10, 90) * 110),
            ]
            + ["ハンドクリーム", f"HC-{rng.randint(100, 999)}"]
            + [x["name"], x["town"], rng.choice(["", "", COMPANIES[0]]), x["city"], x["postal"], x["pref"]]
            + ["+81 " + x["mobile"][1:], y["name"], y["town"], y["city"], y["postal"], y["pref"]]
            + ["+81" + y["mobile"][1:].replace("-", ""), rng.choice(["", "", "不在時は宅配ボックスへ"])]
        )
    path = folder / "shopify_orders.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "Email": ["email"],
            "Billing Name": ["person_name"],
            "Billing Street": ["address"],
            "Billing Company": ["organization"],
            "Billing City": ["address"],
            "Billing Zip": ["postal_code"],
            "Billing Province": ["address"],
            "Billing Phone": ["phone"],
            "Shipping Name": ["person_name"],
            "Shipping Street": ["address"],
            "Shipping City": ["address"],
            "Shipping Zip": ["postal_code"],
            "Shipping Province": ["address"],
            "Shipping Phone": ["phone"],
        },
    )


def rakuten_orders(folder: Path) -> None:
    """A marketplace order CSV (CP932): postal code and phone split into parts, 注文者/送付先."""
    p = People(13)
    rng = p.rng
    head = [
        "受注番号",
        "注文日時",
        "注文者郵便番号1",
        "注文者郵便番号2",
        "注文者住所：都道府県",
        "注文者住所：都市区",
    ]
    head += ["注文者住所：町以降", "注文者名字", "注文者名前", "注文者名字フリガナ", "注文者名前フリガナ"]
    head += [
        "注文者電話番号1",
        "注文者電話番号2",
        "注文者電話番号3",
        "メールアドレス",
        "注文者性別",
        "注文者誕生日",
    ]
    head += ["送付先名字", "送付先名前", "送付先住所：都道府県", "送付先住所：都市区", "送付先住所：町以降"]
    head += ["商品名", "商品番号", "個数", "単価", "JANコード"]
    rows = [head]
    for i in range(70):
        x = p.person()
        y = x if i % 4 else p.person()
        z1, z2 = x["postal"].split("-")
        t1, t2, t3 = x["mobile"].split("-")
        rows.append(
            [
                f"123456-20260301-{1000 + i:010d}",
                "2026-03-01 12:00:00",
                z1,
                z2,
                x["pref"],
                x["city"],
                x["town"],
            ]
            + [
                x["sei"],
                x["mei"],
                x["sei_kana"],
                x["mei_kana"],
                t1,
                t2,
                t3,
                x["email"],
                x["gender"],
                x["birth_iso"],
            ]
            + [y["sei"], y["mei"], y["pref"], y["city"], y["town"]]
            + ["国産はちみつ 500g", f"hny-{rng.randint(10, 99)}", str(rng.randint(1, 3)), "2980", jan(rng)]
        )
    path = folder / "rakuten_orders_cp932.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "注文者郵便番号1": ["postal_code"],
            "注文者郵便番号2": ["postal_code"],
            "注文者住所：都道府県": ["address"],
            "注文者住所：都市区": ["address"],
            "注文者住所：町以降": ["address"],
            "注文者名字": ["person_name"],
            "注文者名前": ["person_name"],
            "注文者名字フリガナ": ["name_kana"],
            "注文者名前フリガナ": ["name_kana"],
            "注文者電話番号1": ["phone"],
            "注文者電話番号2": ["phone"],
            "注文者電話番号3": ["phone"],
            "メールアドレス": ["email"],
            "注文者性別": ["gender"],
            "注文者誕生日": ["birth_date"],
            "送付先名字": ["person_name"],
            "送付先名前": ["person_name"],
            "送付先住所：都道府県": ["address"],
            "送付先住所：都市区": ["address"],
            "送付先住所：町以降": ["address"],
        },
    )


def base_orders(folder: Path) -> None:
    """A shop-builder order CSV: 氏/名 with (請求先)/(配送先) suffixes, 備考 with requests."""
    p = People(14)
    rng = p.rng
    head = [
        "注文ID",
        "注文日時",
        "氏(請求先)",
        "名(請求先)",
        "郵便番号(請求先)",
        "都道府県(請求先)",
        "住所(請求先)",
    ]
    head += ["住所2(請求先)", "電話番号(請求先)", "メールアドレス(請求先)", "氏(配送先)", "名(配送先)"]
    head += [
        "郵便番号(配送先)",
        "都道府県(配送先)",
        "住所(配送先)",
        "電話番号(配送先)",
        "備考",
        "商品名",
        "価格",
    ]
    rows = [head]
    for i in range(60):
        x = p.person()
        y = x if i % 3 else p.person()
        rows.append(
            [
                f"9A{rng.randint(10**9, 10**10 - 1)}",
                "2026-02-14 20:01:33",
                x["sei"],
                x["mei"],
                x["postal"],
                x["pref"],
            ]
            + [
                x["city"] + x["town"],
                x["building"],
                x["fixed"].replace("-", ""),
                x["email"],
                y["sei"],
                y["mei"],
            ]
            + [y["postal"], y["pref"], y["city"] + y["town"], y["mobile"].replace("-", "")]
            + [rng.choice(["", "", "ギフト包装希望", "午前中指定"]), "革のキーケース", "4800"]
        )
    path = folder / "base_orders.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "氏(請求先)": ["person_name"],
            "名(請求先)": ["person_name"],
            "郵便番号(請求先)": ["postal_code"],
            "都道府県(請求先)": ["address"],
            "住所(請求先)": ["address"],
            "住所2(請求先)": ["address"],
            "電話番号(請求先)": ["phone"],
            "メールアドレス(請求先)": ["email"],
            "氏(配送先)": ["person_name"],
            "名(配送先)": ["person_name"],
            "郵便番号(配送先)": ["postal_code"],
            "都道府県(配送先)": ["address"],
            "住所(配送先)": ["address"],
            "電話番号(配送先)": ["phone"],
        },
    )


def payroll(folder: Path) -> None:
    """A payroll export: 従業員コード, 氏名, amounts, bank branch and account number."""
    p = People(15)
    rng = p.rng
    rows = [["従業員コード", "氏名", "所属", "基本給", "通勤手当", "健康保険料", "厚生年金保険料", "所得税"]]
    rows[0] += ["住民税", "差引支給額", "振込銀行", "支店名", "口座番号"]
    for i in range(45):
        x = p.person()
        base = rng.randint(200, 450) * 1000
        rows.append(
            [f"{i + 1:05d}", x["name"], rng.choice(DEPARTMENTS), str(base), str(rng.randint(5, 30) * 1000)]
            + [str(base // 20), str(base // 11), str(base // 30), str(base // 25), str(base * 3 // 4)]
            + [
                rng.choice(["みずほ銀行", "三井住友銀行", "ゆうちょ銀行"]),
                rng.choice(["新宿支店", "本店営業部"]),
            ]
            + [f"{rng.randint(0, 9999999):07d}"]
        )
    path = folder / "payroll_2026_03.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {"氏名": ["person_name"], "振込銀行": ["organization"], "口座番号": ["bank_account"]},
        individuals=45,
    )


def school_register(folder: Path) -> None:
    """A school register: pupils and guardians (two people per row), hiragana readings, and a
    health note about the pupil (special care confirmed: the person is the row)."""
    p = People(16)
    rng = p.rng
    rows = [
        [
            "学年",
            "組",
            "出席番号",
            "児童氏名",
            "ふりがな",
            "性別",
            "生年月日",
            "保護者氏名",
            "住所",
            "緊急連絡先",
            "健康上の注意",
        ]
    ]
    for i in range(64):
        x, parent = p.person(), p.person()
        rows.append(
            [
                str(3 + i // 32),
                str(1 + i // 16 % 2),
                str(i % 16 + 1),
                f"{x['sei']} {x['mei']}",
                x["hira"],
                x["gender"],
            ]
            + [f"{2016 + i % 2}/{x['birth'][5:]}", f"{x['sei']} {parent['mei']}", x["address"], x["mobile"]]
            + [
                rng.choice(
                    ["", "", "", "喘息あり（吸入薬持参）", "食物アレルギー（卵）", "てんかんの既往あり"]
                )
            ]
        )
    path = folder / "school_register.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "児童氏名": ["person_name"],
            "ふりがな": ["name_kana"],
            "性別": ["gender"],
            "生年月日": ["birth_date"],
            "保護者氏名": ["person_name"],
            "住所": ["address"],
            "緊急連絡先": ["phone"],
            "健康上の注意": ["special_care"],
        },
    )


def romaji_members(folder: Path) -> None:
    """An overseas-facing membership list: romaji names both orders, +81 phones with extensions."""
    p = People(17)
    rows = [["member_id", "name", "email", "phone", "country"]]
    for i in range(50):
        x = p.person()
        name = (
            f"{x['mei_roman'].upper()} {x['sei_roman'].upper()}"
            if i % 2
            else f"{x['sei_roman']} {x['mei_roman']}"
        )
        phone = "+81-" + x["fixed"][1:] + (f" ext.{100 + i}" if i % 5 == 0 else "")
        rows.append([f"M{5000 + i}", name, x["email"], phone, "Japan"])
    path = folder / "members_romaji.csv"
    write_csv(path, rows, crlf=False)
    truth(path, {"name": ["person_name"], "email": ["email"], "phone": ["phone"]}, individuals=50)


def address_continuation(folder: Path) -> None:
    """A hand-made list: 住所 spread over untitled columns, 〒 with the address in one cell,
    addresses without 都道府県, phones with 内線 and a few malformed values."""
    p = People(18)
    rows = [["No", "氏名", "住所", "", "", "", "", "連絡先", "〒住所"]]
    for i in range(40):
        x = p.person()
        phone = x["fixed"] + (" 内線12" if i % 7 == 0 else "")
        if i % 13 == 5:
            phone = "不明"
        rows.append(
            [str(i + 1), x["name"], x["pref"], x["city"], x["town"], x["building"], "", phone]
            + [f"〒{x['postal']} {x['address'][len(x['pref']) :] if i % 2 else x['address']}"]
        )
    path = folder / "address_parts.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "氏名": ["person_name"],
            "住所": ["address"],
            "列4": ["address"],
            "列5": ["address"],
            "列6": ["address"],
            "連絡先": ["phone"],
            "〒住所": ["postal_code", "address"],
        },
        individuals=40,
    )


def headerless_phones(folder: Path) -> None:
    """No header: name, 10-digit fixed line and 11-digit mobile without separators."""
    p = People(19)
    rows = []
    for _ in range(50):
        x = p.person()
        rows.append([x["name"], x["fixed"].replace("-", ""), x["mobile"].replace("-", ""), x["birth_iso"]])
    path = folder / "headerless_phones.csv"
    write_csv(path, rows)
    truth(
        path,
        {"列1": ["person_name"], "列2": ["phone"], "列3": ["phone"], "列4": ["birth_date"]},
        individuals=50,
    )


def shared_mailbox(folder: Path) -> None:
    """An inquiry list where everyone at a company writes from one shared mailbox: e-mail is not
    a distinct key; the people are the names."""
    p = People(20)
    rows = [["受付日", "お名前", "メールアドレス", "お問い合わせ内容"]]
    boxes = ["info@example.co.jp", "soumu@example.co.jp"]
    for i in range(38):
        x = p.person()
        rows.append([f"2026/01/{i % 28 + 1}", x["name"], boxes[i % 2], "製品カタログの送付希望"])
    path = folder / "inquiries_shared_mailbox.csv"
    write_csv(path, rows)
    truth(path, {"お名前": ["person_name"], "メールアドレス": ["email"]}, individuals=38)


# --- Held out: written after the detectors were tuned, scored without changing them -----------


def patient_list(folder: Path) -> None:
    """A clinic's patient list: 患者ID, names, insurer number, 病名 (special care with the person),
    the attending doctor (a second person)."""
    p = People(31)
    rng = p.rng
    rows = [["患者ID", "患者氏名", "カナ氏名", "生年月日", "性別", "保険者番号", "病名", "主治医", "診療科"]]
    for i in range(50):
        x, doctor = p.person(), p.person()
        rows.append(
            [
                f"P{200000 + i}",
                x["name"],
                x["kana"],
                x["birth"],
                x["gender"],
                f"{rng.randint(1, 47):02d}{rng.randint(100000, 999999)}",
            ]
            + [
                rng.choice(["高血圧症", "2型糖尿病", "気管支喘息", "腰痛症"]),
                doctor["name"],
                rng.choice(["内科", "整形外科"]),
            ]
        )
    path = folder / "holdout_patients.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "患者氏名": ["person_name"],
            "カナ氏名": ["name_kana"],
            "生年月日": ["birth_date"],
            "性別": ["gender"],
            "保険者番号": ["health_insurance_number"],
            "病名": ["special_care"],
            "主治医": ["person_name"],
        },
    )


def kintone_customers(folder: Path) -> None:
    """A low-code app's customer export: レコード番号, お客様名, 会社名, 部署, TEL, E-mail, 住所1/2."""
    p = People(32)
    rng = p.rng
    rows = [["レコード番号", "お客様名", "会社名", "部署", "TEL", "E-mail", "住所1", "住所2", "更新日時"]]
    for i in range(45):
        x = p.person()
        rows.append(
            [
                str(i + 1),
                x["name"],
                rng.choice(COMPANIES[:8]),
                rng.choice(DEPARTMENTS),
                x["mobile"],
                x["email"],
            ]
            + [x["pref"] + x["city"], x["town"], "2026-03-31T09:00:00Z"]
        )
    path = folder / "holdout_kintone_customers.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "お客様名": ["person_name"],
            "会社名": ["organization"],
            "TEL": ["phone"],
            "E-mail": ["email"],
            "住所1": ["address"],
            "住所2": ["address"],
        },
        individuals=45,
    )


def new_year_cards(folder: Path) -> None:
    """A hand-kept New Year card list: 宛名, 連名 (a second person), 〒, 住所1, 住所2."""
    p = People(33)
    rows = [["宛名", "連名", "〒", "住所1", "住所2", "喪中"]]
    for i in range(30):
        x = p.person()
        rows.append(
            [
                x["name"],
                p.person()["mei"] if i % 2 else "",
                x["postal"],
                x["pref"] + x["city"] + x["town"],
                x["building"],
                "",
            ]
        )
    path = folder / "holdout_new_year_cards.csv"
    write_csv(path, rows, "cp932")
    truth(
        path,
        {
            "宛名": ["person_name"],
            "連名": ["person_name"],
            "〒": ["postal_code"],
            "住所1": ["address"],
            "住所2": ["address"],
        },
    )


def stations(folder: Path) -> None:
    """A decoy: stations (names that read like surnames: 中村橋, 石川町), lines and locations."""
    rows = [["駅コード", "駅名", "路線名", "都道府県", "所在地", "開業日"]]
    names = ["中村橋", "石川町", "高橋", "池田", "松本", "岡本", "森下", "清水", "吉田", "藤井寺"]
    for i, n in enumerate(names * 3):
        pref, city, town, _ = PLACES[i % len(PLACES)]
        rows.append(
            [
                f"{1130000 + i}",
                n,
                rng_line(i),
                pref,
                f"{pref}{city}{town}{i % 9 + 1}",
                f"19{20 + i}-0{i % 9 + 1}-01",
            ]
        )
    path = folder / "holdout_stations.csv"
    write_csv(path, rows)
    truth(path, {}, personal=False)


def rng_line(i: int) -> str:
    return ["西武池袋線", "JR根岸線", "東武東上線", "阪急宝塚線", "近鉄南大阪線"][i % 5]


# --- Decoys -----------------------------------------------------------------------------------


def ken_all(folder: Path) -> None:
    """The postal-code master's shape: no header, CP932, half-width kana, 15 columns."""
    rows = []
    towns = [("ｼﾝｼﾞｭｸ", "新宿"), ("ﾆｼｼﾝｼﾞｭｸ", "西新宿"), ("ﾖﾂﾔ", "四谷"), ("ｲﾁｶﾞﾔ", "市谷"), ("ｵｵｸﾎﾞ", "大久保")]
    for i, (pref, city, town, postal) in enumerate(PLACES * 5):
        kana_town, kanji_town = towns[i % len(towns)]
        rows.append(
            [f"{13100 + i}", postal[:3] + "  ", postal.replace("-", ""), "ﾄｳｷｮｳﾄ", "ｼﾝｼﾞｭｸｸ", kana_town]
            + [
                pref,
                city,
                f"{town}{kanji_town}" if i % 3 else "以下に掲載がない場合",
                "0",
                "0",
                str(i % 2),
                "0",
                "0",
                "0",
            ]
        )
    path = folder / "KEN_ALL_shape.csv"
    write_csv(path, rows, "cp932")
    truth(path, {}, personal=False)


def municipality_master(folder: Path) -> None:
    """団体コード with the names of municipalities and wards (ward names look like surnames)."""
    wards = ["中央区", "北区", "東区", "白石区", "豊平区", "南区", "西区", "厚別区", "手稲区", "清田区"]
    wards += ["青葉区", "宮城野区", "若林区", "太白区", "泉区", "千種区", "中村区", "中川区", "港区", "緑区"]
    wards += ["相模原市", "藤沢市", "小田原市", "茅ヶ崎市", "逗子市", "三浦市", "秦野市", "厚木市", "大和市"]
    rows = [
        ["団体コード", "都道府県名（漢字）", "市区町村名（漢字）", "都道府県名（カナ）", "市区町村名（カナ）"]
    ]
    for i, w in enumerate(wards):
        rows.append(
            [f"{11000 + i * 7}", "北海道" if i < 10 else "神奈川県", w, "ホッカイドウ", "チュウオウク"]
        )
    path = folder / "municipality_master.csv"
    write_csv(path, rows, "cp932")
    truth(path, {}, personal=False)


def product_master(folder: Path) -> None:
    """Products with JAN codes and 16-digit internal codes that pass Luhn, and product names
    with health words (印刷健康診断 is a print-shop service, not a health check)."""
    rng = random.Random(21)
    rows = [["商品コード", "JANコード", "商品名", "カテゴリ", "単価", "在庫数"]]
    names = [
        "印刷健康診断パック",
        "糖尿病食ガイドブック",
        "宗教美術写真集",
        "がん保険の教科書",
        "A4コピー用紙",
        "ボールペン黒",
    ]
    for i in range(60):
        code = luhn(rng.choice(["4", "5"]) + "".join(str(rng.randrange(10)) for _ in range(14)))
        rows.append(
            [
                code,
                jan(rng),
                names[i % len(names)],
                rng.choice(["書籍", "事務用品", "サービス"]),
                str(rng.randint(1, 50) * 100),
                str(rng.randint(0, 500)),
            ]
        )
    path = folder / "product_master.csv"
    write_csv(path, rows)
    truth(path, {}, personal=False)


def sku_master(folder: Path) -> None:
    """SKU and item codes (digits, Luhn-valid by chance), sizes, colours."""
    rng = random.Random(22)
    rows = [["SKU", "品番", "品名", "カラー", "サイズ", "上代", "下代"]]
    for i in range(80):
        sku = luhn("3" + "".join(str(rng.randrange(10)) for _ in range(14)))
        rows.append(
            [
                sku,
                f"TS-{1000 + i}",
                "ロゴTシャツ",
                rng.choice(["白", "黒", "紺"]),
                rng.choice(["S", "M", "L"]),
                "3900",
                "1950",
            ]
        )
    path = folder / "sku_master.csv"
    write_csv(path, rows)
    truth(path, {}, personal=False)


def procurement_log(folder: Path) -> None:
    """A public procurement log: notice dates, subjects, winning companies and their numbers."""
    rng = random.Random(23)
    rows = [["公告日", "案件名", "発注機関", "落札者", "落札者所在地", "法人番号", "落札金額（円）"]]
    for i in range(40):
        pref, city, town, _ = rng.choice(PLACES)
        rows.append(
            [
                f"2025/{i % 12 + 1:02d}/15",
                rng.choice(["庁舎清掃業務委託", "健康診断業務委託", "システム保守"]),
                f"{city}役所",
            ]
            + [
                rng.choice(COMPANIES[:10]),
                f"{pref}{city}{town}1-2-3",
                corporate_number(rng),
                str(rng.randint(100, 9000) * 1000),
            ]
        )
    path = folder / "procurement_log.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "発注機関": ["organization"],
            "落札者": ["organization"],
            "落札者所在地": ["organization"],
            "法人番号": ["corporate_number"],
        },
        personal=False,
    )


def population_stats(folder: Path) -> None:
    """Population by municipality: a title row, numbers by sex (no person)."""
    rng = random.Random(24)
    rows = [["市区町村別人口（令和7年1月1日現在）"], ["都道府県", "市区町村", "総数", "男", "女", "世帯数"]]
    for pref, city, _, _ in PLACES:
        m, f = rng.randint(10000, 400000), rng.randint(10000, 400000)
        rows.append([pref, city, str(m + f), str(m), str(f), str((m + f) // 2)])
    path = folder / "population_stats.csv"
    write_csv(path, rows, "cp932")
    truth(path, {}, personal=False)


def order_template(folder: Path) -> None:
    """An empty order form: the headers of personal data, no row filled in."""
    path = folder / "order_form_template.csv"
    write_csv(
        path, [["お名前", "フリガナ", "郵便番号", "ご住所", "電話番号", "メールアドレス", "商品名", "数量"]]
    )
    truth(path, {}, personal=False)


def company_registry(folder: Path) -> None:
    """A company registry: 法人番号, 商号, head office address and 代表電話 — no person."""
    rng = random.Random(25)
    rows = [["法人番号", "商号又は名称", "本店所在地", "郵便番号", "代表電話", "設立年月日"]]
    for company in COMPANIES * 3:
        pref, city, town, postal = rng.choice(PLACES)
        rows.append(
            [
                corporate_number(rng),
                company,
                f"{pref}{city}{town}{rng.randint(1, 9)}-{rng.randint(1, 30)}",
                postal,
                fixed_line(rng),
                f"19{rng.randint(50, 99)}-04-01",
            ]
        )
    path = folder / "company_registry.csv"
    write_csv(path, rows)
    truth(
        path,
        {
            "法人番号": ["corporate_number"],
            "商号又は名称": ["organization"],
            "本店所在地": ["organization"],
            "郵便番号": ["organization"],
            "代表電話": ["organization"],
        },
        personal=False,
    )


def religious_and_clinics(folder: Path) -> None:
    """Corporations whose names hold special-care words: 宗教法人, 糖尿病内科クリニック."""
    rng = random.Random(26)
    names = [
        "宗教法人 光明寺",
        "宗教法人 日の出教会",
        "医療法人 糖尿病内科みなとクリニック",
        "心療内科 さくらメンタルクリニック",
        "株式会社 健康診断サポート",
    ]
    rows = [["名称", "種別", "所在地", "電話"]]
    for i in range(30):
        pref, city, town, _ = rng.choice(PLACES)
        rows.append(
            [
                names[i % len(names)],
                rng.choice(["宗教法人", "医療法人", "株式会社"]),
                f"{pref}{city}{town}{i + 1}-1",
                fixed_line(rng),
            ]
        )
    path = folder / "corporations_care_words.csv"
    write_csv(path, rows)
    truth(
        path, {"名称": ["organization"], "所在地": ["organization"], "電話": ["organization"]}, personal=False
    )


def store_list(folder: Path) -> None:
    """Store locations: store names, addresses and phone numbers of shops, opening hours."""
    rng = random.Random(27)
    rows = [["店舗名", "住所", "電話番号", "営業時間", "定休日"]]
    for pref, city, town, postal in PLACES:
        rows.append(
            [
                f"ひまわり薬局 {city}店",
                f"〒{postal} {pref}{city}{town}{rng.randint(1, 9)}-{rng.randint(1, 20)}",
                fixed_line(rng),
                "9:00-19:00",
                "日曜",
            ]
        )
    path = folder / "store_list.csv"
    write_csv(path, rows)
    truth(
        path,
        {"店舗名": ["organization"], "住所": ["organization"], "電話番号": ["organization"]},
        personal=False,
    )


def sales_daily(folder: Path) -> None:
    """Daily sales by store: dates (not birth dates), counts and amounts."""
    rng = random.Random(28)
    rows = [["日付", "店舗コード", "客数", "売上", "天気"]]
    for i in range(90):
        rows.append(
            [
                f"2026/{i // 30 + 1:02d}/{i % 28 + 1:02d}",
                f"S{rng.randint(1, 9):03d}",
                str(rng.randint(80, 400)),
                str(rng.randint(10, 90) * 1000),
                rng.choice(["晴", "曇", "雨"]),
            ]
        )
    path = folder / "sales_daily.csv"
    write_csv(path, rows)
    truth(path, {}, personal=False)


def novel(folder: Path) -> None:
    """A passage of fiction (written for this corpus): characters are not real people."""
    text = """第一章　坂の上の町

その町には、夕方になると坂の上から鐘の音が聞こえてきた。少年はいつもその音を合図に家へ帰った。
川沿いの道には古い柳が並び、春になると白い綿毛が風に舞った。

「もう帰るのかい」と老人が言った。
少年はうなずき、鞄を抱えて走り出した。雨上がりの石畳が夕陽を映していた。

町の図書館には、誰も読まない古い地図が一枚だけ貼られていた。そこには今はもうない橋が描かれていた。
"""
    path = folder / "novel_excerpt.txt"
    path.write_text(text, encoding="utf-8")
    truth(path, {}, personal=False)


BUILDERS = [
    dummy_service,
    dummy_hiragana,
    crm_b2b,
    crm_activity,
    employee_roster,
    db_export,
    hospital_doctors,
    people_json,
    order_api,
    webhook_order,
    users_by_id,
    companies_zip,
    daily_report,
    shopify_orders,
    rakuten_orders,
    base_orders,
    payroll,
    school_register,
    romaji_members,
    address_continuation,
    headerless_phones,
    shared_mailbox,
    ken_all,
    municipality_master,
    product_master,
    sku_master,
    procurement_log,
    population_stats,
    order_template,
    company_registry,
    religious_and_clinics,
    store_list,
    sales_daily,
    novel,
    patient_list,
    kintone_customers,
    new_year_cards,
    stations,
]


def build(folder: Path = FOLDER) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for builder in BUILDERS:
        builder(folder)


if __name__ == "__main__":
    build()
