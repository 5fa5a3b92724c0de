"""Court precedents on consolation money per person (慰謝料), shared/domain/appi.md §10."""

from __future__ import annotations

# kind: "basic" = contact data without secondary harm; "sensitive" = more private data.
PRECEDENTS: tuple[dict, ...] = (
    {
        "case": "宇治市住民基本台帳漏えい事件",
        "court": "大阪高裁",
        "date": "2001-12-25",
        "per_person": 15_000,
        "breakdown": "慰謝料10,000円＋弁護士費用5,000円",
        "data": "住民番号・住所・氏名・性別・生年月日・世帯主・続柄",
        "kind": "basic",
        "note": "再々委託先のアルバイトによる持出し。最高裁2002-07-11上告不受理",
    },
    {
        "case": "早稲田大学講演会名簿提出事件",
        "court": "東京高裁",
        "date": "2004-03-23",
        "per_person": 5_000,
        "breakdown": "慰謝料5,000円",
        "data": "学籍番号・氏名・住所・電話番号",
        "kind": "basic",
        "note": "最高裁2003-09-12差戻し後",
    },
    {
        "case": "Yahoo! BB顧客情報漏えい事件",
        "court": "大阪高裁",
        "date": "2007-06",
        "per_person": 5_500,
        "breakdown": "慰謝料4,500円＋弁護士費用1,000円（500円の金券を控除）",
        "data": "氏名・住所・電話番号・メールアドレス",
        "kind": "basic",
        "note": "内部者による不正アクセス。最高裁2007-12-14上告棄却",
    },
    {
        "case": "TBCアンケート情報流出事件",
        "court": "東京高裁",
        "date": "2007-08-28",
        "per_person": 35_000,
        "breakdown": "慰謝料30,000円＋弁護士費用5,000円",
        "data": "氏名・年齢・住所・電話番号・メールアドレス・エステの関心事項",
        "kind": "sensitive",
        "note": "委託先のサーバー設定ミス。二次被害のない原告1名は22,000円",
    },
    {
        "case": "ベネッセ顧客情報漏えい事件",
        "court": "東京高裁",
        "date": "2019-06-27",
        "per_person": 2_000,
        "breakdown": "慰謝料2,000円",
        "data": "子どもと保護者の氏名・住所・生年月日・電話番号",
        "kind": "basic",
        "note": "グループ委託先の派遣社員が持出し・売却",
    },
    {
        "case": "ベネッセ顧客情報漏えい事件",
        "court": "東京地裁",
        "date": "2023-02-27",
        "per_person": 3_300,
        "breakdown": "弁護士費用を含め3,300円（原告4,027名）",
        "data": "子どもと保護者の氏名・住所・生年月日・電話番号",
        "kind": "basic",
        "note": "",
    },
)

SUMMARY = (
    "基本的な連絡先情報で二次被害がない場合は1人あたり約1,000〜15,000円、より私的な情報や二次被害が認められた場合"
    "（TBC事件）は約35,000円。お詫びの金券は考慮・控除されることがある。"
)


def nearest_precedents(*, x: int, y: int) -> dict:
    """The precedents ordered by nearness to this kind of data (private data when x ≥ 2)."""
    kind = "sensitive" if x >= 2 else "basic"
    ordered = sorted(PRECEDENTS, key=lambda p: (p["kind"] != kind, -p["per_person"]))
    amounts = [p["per_person"] for p in PRECEDENTS if p["kind"] == kind] or [
        p["per_person"] for p in PRECEDENTS
    ]
    return {
        "kind": kind,
        "range_per_person": {"low": min(amounts), "high": max(amounts)},
        "cases": ordered,
        "summary": SUMMARY
        + (
            "経済的損失のおそれがある項目（カード番号等）では、慰謝料とは別に不正利用の実損の補填が問題になる。"
            if y >= 2
            else ""
        ),
        "citation": "shared/domain/appi.md §10（判決文・報道）",
    }
