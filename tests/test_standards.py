"""Standards mapping: one answer set scored through the PPC guideline (通則編 10-1…10-7, 3-4-4), the IPA
自社診断, the METI management guideline and the METI supply-chain scheme (★3/★4, draft). The mappings are
data files with sources; these tests check the files and the scoring."""

from __future__ import annotations

from mamori.checksheets.models import Answer, Assessment
from mamori.core import standards
from mamori.core.checksheets import builtin
from mamori.standards.models import RequiredStar
from mamori.vendors.models import Entrustment, Vendor

STANDARD_KEYS = {key for _title, rows in builtin.STANDARD for key, *_rest in rows}
SELF_KEYS = {key for _title, rows in builtin.SELF for key, *_rest in rows}
BUILTIN_KEYS = STANDARD_KEYS | SELF_KEYS | {key for _title, rows in builtin.SELECTION for key, *_rest in rows}


def test_every_lens_names_its_source_and_date_and_the_scheme_is_marked_draft():
    lenses = standards.lenses()
    assert set(lenses) == {"ppc", "ipa", "meti", "scs"}
    for spec in lenses.values():
        assert spec["source"].startswith("http") and spec["source_date"]
    assert lenses["scs"]["status"] == "draft" and lenses["scs"]["official_counts"] == {
        "star3": 25,
        "star4": 44,
    }
    assert len(lenses["ipa"]["items"]) == 25 and len(lenses["meti"]["items"]) == 10
    # PPC 通則編 10 別添 (appi.md §8): 10-1, 10-2, 10-3 (1)–(5), 10-4, 10-5 (1)–(4), 10-6 (1)–(4), 10-7; 3-4-4 (§7).
    assert len(lenses["ppc"]["items"]) == 20


def test_the_mapping_uses_only_questions_of_the_sheet_and_items_of_the_lenses():
    lenses = standards.lenses()
    for qkey, by_lens in standards.mapping()["questions"].items():
        assert qkey in BUILTIN_KEYS
        for lens, items in by_lens.items():
            assert set(items) <= {i["id"] for i in lenses[lens]["items"]}
    # Every PPC item is evidenced by at least one question of the standard sheet.
    assert standards.score_lens("ppc", {}).not_covered == []


def test_all_yes_meets_every_lens_and_reaches_star_4():
    answers = {k: "yes" for k in STANDARD_KEYS}
    ppc = standards.score_lens("ppc", answers)
    assert ppc.summary == "PPC: 20/20 項目（全20項目中、不足 0 項目）"
    assert standards.score_lens("ipa", answers).converted == 100
    assert standards.star_level(answers) == 4


def test_gaps_are_listed_by_lens_and_the_ipa_conversion_uses_4_2_0_points():
    answers = {k: "yes" for k in STANDARD_KEYS} | {"t4": "partial", "t5": "no"}
    ppc = standards.score_lens("ppc", answers)
    assert [g[0] for g in ppc.gaps] == ["10-6-3"] and len(ppc.met) == 19
    ipa = standards.score_lens("ipa", answers)
    # t4 (partial, 2 points) stands for IPA No.1 and No.2; the other 14 covered questions are はい (4).
    assert ipa.converted_basis == 16 and ipa.converted == round(100 * (2 + 2 + 14 * 4) / (16 * 4))
    assert [g[0] for g in ipa.gaps] == ["1", "2"]
    assert standards.star_level(answers) == 0  # t4 is a ★3 proxy item
    assert standards.star_level(answers | {"t4": "yes"}) == 3  # t5 (logging) is ★4 only


def test_vendor_page_shows_the_lenses_and_warns_when_short_of_the_required_star(demo, tenancy):
    from mamori.standards.actions import latest_answers

    vendor = Vendor.objects.for_org(demo.org).get(name="株式会社みなとダイレクト")
    assert RequiredStar.objects.for_org(demo.org).filter(entrustment__vendor=vendor, level=3).exists()
    assessment, _answers = latest_answers(vendor)
    Answer.objects.for_org(demo.org).filter(assessment=assessment, question="t4").update(value="no")
    page = demo.client().get(f"/standards/vendors/{vendor.uuid}/")
    text = page.content.decode()
    assert (
        page.status_code == 200 and "個人情報保護委員会ガイドライン" in text and "IPA 自社診断 換算" in text
    )
    assert "star-short" in text and "10-6-3" in text
    # The IPA 換算 says from how many of the 25 questions it is estimated; the rest are listed.
    assert "全25問のうち当社の設問が同じ対策を問う" in text and "この回答では確認できない項目" in text
    outsider = tenancy.client(tenancy.outsider).get(f"/standards/vendors/{vendor.uuid}/")
    assert outsider.status_code == 404
    assert Assessment.objects.for_org(demo.org).filter(vendor=vendor).exists()
    assert Entrustment.objects.for_org(demo.org).filter(vendor=vendor).exists()


# IPA「5分でできる！情報セキュリティ自社診断」（改訂版）: 25 questions in three parts — Part1 基本的対策
# No.1–5, Part2 従業員としての対策 No.6–18, Part3 組織としての対策 No.19–25 — each scored 実施している 4 /
# 一部実施している 2 / 実施していない 0 / わからない −1 (東京都 text, lenses.json "source").
def test_the_ipa_lens_has_all_25_questions_in_their_parts_with_the_evidence_for_each():
    ipa = standards.lenses()["ipa"]
    assert ipa["source"].startswith("https://") and ipa["source_date"]
    assert ipa["scoring"] == {"yes": 4, "partial": 2, "no": 0, "unknown": -1, "max": 100}
    assert [i["id"] for i in ipa["items"]] == [str(n) for n in range(1, 26)]
    for item in ipa["items"]:
        n = int(item["id"])
        assert item["part"] == (1 if n <= 5 else 2 if n <= 18 else 3)
        assert item["status"] in {"confirmed", "secondary"} and (
            item.get("evidence") or item.get("topic_source")
        )
        assert "未確認" not in item["label"] and f"No.{n} " in item["label"]
    labels = {i["id"]: i["label"] for i in ipa["items"]}
    # The revised edition's numbering, not the old one's (No.4 was file sharing, No.19 cloud services there).
    assert "アクセス制限" in labels["4"] and "守秘義務" in labels["19"] and "外部サービス" in labels["23"]


# METI・IPA サイバーセキュリティ経営ガイドライン Ver3.0 (2023-03-24): 重要10項目 指示1–10.
def test_the_meti_lens_has_the_ten_instructions_each_with_where_its_title_was_checked():
    meti = standards.lenses()["meti"]
    assert [i["id"] for i in meti["items"]] == [str(n) for n in range(1, 11)]
    for item in meti["items"]:
        assert item["topic_source"].startswith("http") and item["source_note"]
        assert item["label"].startswith(f"指示{item['id']} ")
    status = {i["id"]: i["status"] for i in meti["items"]}
    # Titles found only in Ver2.0 are marked so; those found in no source stay 要確認 and say so in the label.
    assert {k for k, v in status.items() if v == "要確認"} == {"5", "10"}
    assert {k for k, v in status.items() if v == "ver2"} == {"2", "3"}
    for item in meti["items"]:
        assert ("要確認" in item["label"]) == (item["status"] == "要確認")


def test_every_scored_question_of_every_builtin_sheet_is_mapped():
    mapped = set(standards.mapping()["questions"])
    scored = set()
    for sections in (builtin.STANDARD, builtin.SELECTION, builtin.SELF):
        for _title, rows in sections:
            scored |= {key for key, _text, weight, *_rest in rows if weight > 0}
    scored -= set(builtin.EXTRA) | set(builtin.SELECTION_EXTRA)
    assert scored <= mapped, sorted(scored - mapped)


def test_all_yes_on_the_standard_sheet_gets_the_full_score_of_the_covered_items_and_names_the_rest():
    answers = {k: "yes" for k in STANDARD_KEYS}
    ipa = standards.score_lens("ipa", answers)
    assert ipa.converted == 100 and ipa.converted_basis == len(ipa.met) == 16 and not ipa.gaps
    assert ipa.summary == "IPA 自社診断: 16/16 項目（全25項目中、不足 0 項目）"
    # Nine questions our vendor sheet does not ask are listed, not silently counted.
    assert [i for i, _label in ipa.not_evidenced] == ["3", "5", "6", "9", "10", "17", "21", "22", "23"]
    meti = standards.score_lens("meti", answers)
    assert meti.met == [str(n) for n in range(1, 10)] and [i for i, _ in meti.not_evidenced] == ["10"]


def test_a_no_on_a_mapped_question_is_a_gap_in_the_ipa_and_meti_lenses():
    answers = {k: "yes" for k in STANDARD_KEYS} | {"f5": "no", "t7": "partial"}
    ipa = standards.score_lens("ipa", answers)
    # f5 (のぞき見防止) is IPA No.14 (0 points); t7 (backup, 一部) is No.11 (2 points).
    assert [(g[0], g[2]) for g in ipa.gaps] == [("11", ["t7"]), ("14", ["f5"])]
    assert ipa.converted == round(100 * (14 * 4 + 2 + 0) / (16 * 4))
    assert ipa.summary == "IPA 自社診断: 14/16 項目（全25項目中、不足 2 項目）"
    meti = standards.score_lens("meti", answers)
    assert [(g[0], g[2]) for g in meti.gaps] == [("8", ["t7"])]


def test_our_own_self_assessment_is_read_through_the_same_lenses():
    answers = {k: "yes" for k in SELF_KEYS} | {"n4": "no"}
    ipa = standards.score_lens("ipa", answers)
    # n4 (無線LANの暗号化) is IPA No.9; v1 (委託先・外部サービスの選定時の確認) is No.23.
    assert [g[0] for g in ipa.gaps] == ["9"] and "23" in ipa.met
    assert ipa.converted == round(100 * (12 * 4) / (13 * 4))


def test_the_vendor_page_and_the_dashboard_warn_when_answers_fall_short_of_the_required_star(demo, tenancy):
    from mamori.standards.actions import latest_answers

    client = demo.client(demo.viewer)
    # みなとダイレクト answered the short sheet with gaps on ★3 proxy items (t4 一部, o1, h1, t7); we require ★3.
    minato = Vendor.objects.for_org(demo.org).get(name="株式会社みなとダイレクト")
    _assessment, answers = latest_answers(minato)
    assert answers["t4"] == "partial" and standards.star_level(answers) == 0
    page = client.get(f"/vendors/{minato.uuid}/").content.decode()
    assert 'id="vendor-star-short"' in page and "★3を求める" in page and "回答は★3未満" in page
    # A vendor we require no ★ level of carries no warning.
    free = Vendor.objects.for_org(demo.org).exclude(entrustments__required_star__isnull=False).first()
    assert 'id="vendor-star-short"' not in client.get(f"/vendors/{free.uuid}/").content.decode()
    dashboard = client.get("/").content.decode()
    card = dashboard[dashboard.index('id="star-short-card"') :].split("</article>")[0]
    assert "株式会社みなとダイレクト（" in card and "★3を求める" in card
    assert f"/standards/vendors/{minato.uuid}/" in card
    # Once its answers meet every ★3 proxy item and ★3 is all we require, the warning goes.
    RequiredStar.objects.for_org(demo.org).filter(entrustment__vendor=minato).update(level=3)
    assessment, _answers = latest_answers(minato)
    Answer.objects.for_org(demo.org).filter(assessment=assessment).update(value="yes")
    for key in ("t3",):  # the short sheet does not ask t3 (外部からの不正アクセスの防止); add its answer
        Answer.objects.create(organization=demo.org, assessment=assessment, question=key, value="yes")
    assert 'id="vendor-star-short"' not in client.get(f"/vendors/{minato.uuid}/").content.decode()
    assert f"/standards/vendors/{minato.uuid}/" not in client.get("/").content.decode()
    # Another organization's dashboard shows no card.
    other = tenancy.client(tenancy.outsider).get("/")
    assert other.status_code == 200 and 'id="star-short-card"' not in other.content.decode()
