"""The human-readable table of `mamori scan --format table` (Japanese labels)."""

from __future__ import annotations

from mamori.core import vocabulary

TYPE_LABELS = {i.code: i.ja if i.personal else f"{i.ja}（個人情報ではない）" for i in vocabulary.ITEMS}
CARE_LABELS = vocabulary.SPECIAL_CARE_LABELS


def _types_line(types: dict[str, int]) -> str:
    return "、".join(f"{TYPE_LABELS.get(k, k)} {v:,}" for k, v in types.items()) or "なし"


def _people(x: dict) -> str:
    """How many people, saying whether the count is exact or an estimate (and its range)."""
    if x["individuals"] is None:
        return "本人数は特定できません"
    if x.get("individuals_exact"):
        return f"{x['individuals']:,}人（正確）"
    low, high = x.get("individuals_range") or [x["individuals"], x["individuals"]]
    span = f"、{low:,}〜{high:,}人" if (low, high) != (x["individuals"], x["individuals"]) else ""
    return f"約{x['individuals']:,}人（推定{span}）"


def render(result: dict) -> str:
    out = []
    for f in result["files"]:
        out.append(f"■ {f['path']}  [{f['format'] or '?'}{', ' + f['encoding'] if f['encoding'] else ''}]")
        if f["error"]:
            out.append(f"  エラー: {f['error']}")
            out.append("")
            continue
        for t in f["tables"]:
            header = f"見出し行 {t['header_row']}" if t["header_row"] else "見出し行なし"
            people = _people(t)
            if t["individuals"] is not None:
                people += f"（キー: {', '.join(t['individuals_key'])}）"
            out.append(f"  {t['name']}: {t['rows']:,}行、{header}、{people}")
            if t.get("individuals_basis") and t["individuals"] is not None:
                out.append(f"    根拠: {t['individuals_basis']}")
            for c in t["columns"]:
                for x in c["types"]:
                    extra = ""
                    if x.get("categories"):
                        extra = (
                            " ["
                            + "、".join(f"{CARE_LABELS.get(k, k)} {v:,}" for k, v in x["categories"].items())
                            + "]"
                        )
                    if x.get("confirmed") is False:
                        extra += " 要確認（同じ行・文に人がいません）"
                    ratio = f" ({x['ratio']:.1%})" if x.get("ratio") is not None else ""
                    samples = f"  例: {' / '.join(x['samples'])}" if x["samples"] else ""
                    out.append(
                        f"    {c['name']:<16} {TYPE_LABELS.get(x['type'], x['type'])}: {x['count']:,}{ratio}{extra}{samples}"
                    )
        s = f["summary"]
        out.append(f"  → 個人データ: {_types_line(s['types'])}")
        out.append("")
    s = result["summary"]
    people = _people(s) if s["individuals"] is not None else "不明"
    flags = []
    if s["special_care"]:
        flags.append("要配慮個人情報（" + "、".join(CARE_LABELS.get(c, c) for c in s["special_care"]) + "）")
    if s["financial"]:
        flags.append("財産的被害のおそれがある情報")
    for code in s.get("financial_conditional", []):
        rule = vocabulary.BY_CODE[code].financial
        assert rule is not None  # financial_conditional lists only items with a condition
        flags.append(f"{TYPE_LABELS.get(code, code)}：{rule.short}")
    if s["my_number"]:
        flags.append("特定個人情報（マイナンバー）")
    out.append(f"合計: {s['rows']:,}行、本人 {people}、{_types_line(s['types'])}")
    if flags:
        out.append("注意: " + "、".join(flags))
    if s.get("special_care_unconfirmed"):
        out.append(
            "要確認: 要配慮個人情報にあたる語（"
            + "、".join(CARE_LABELS.get(c, c) for c in s["special_care_unconfirmed"])
            + "）がありましたが、同じ行・文に人が見当たりません（会社名・商品名などの可能性）。"
            "本人の情報かどうか確認するまで、要配慮個人情報として扱っていません"
        )
    if s.get("non_personal", {}).get("organization"):
        out.append(
            f"法人情報（会社・病院・店舗などの名称や所在地・代表電話）{s['non_personal']['organization']:,}件は"
            "個人データに数えていません"
        )
    return "\n".join(out)
