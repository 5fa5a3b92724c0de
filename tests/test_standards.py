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
        assert qkey in STANDARD_KEYS
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
    # t4 (partial, 2 points) stands for IPA No.1 and No.2; t1, t6, x2 (yes, 4) for No.4, 9, 19.
    assert ipa.converted_basis == 5 and ipa.converted == round(100 * (2 + 2 + 4 + 4 + 4) / 20)
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
    outsider = tenancy.client(tenancy.outsider).get(f"/standards/vendors/{vendor.uuid}/")
    assert outsider.status_code == 404
    assert Assessment.objects.for_org(demo.org).filter(vendor=vendor).exists()
    assert Entrustment.objects.for_org(demo.org).filter(vendor=vendor).exists()
