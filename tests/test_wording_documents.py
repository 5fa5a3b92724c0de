"""Per-organization wordings of the incident documents: a sandboxed placeholder language, never a
template engine on text an editor typed."""

from __future__ import annotations

import io

import docx
import pytest

from mamori.incidents.models import DocumentTemplate
from tests.test_incidents import create

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(tenancy):
    return tenancy.client(tenancy.owner)


def docx_text(response) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)


def test_template_tags_and_attribute_walks_are_never_executed(owner, tenancy):
    incident = create(owner)
    hostile = "{% load static %}{% debug %}{{ i.organization.name }}{{ org.__class__ }}{{ i.title|upper }}"
    response = owner.post("/incidents/wording/qa/", {"body": "■ 想定問答\n" + hostile})
    assert response.status_code == 200  # refused, with the reason next to the field
    assert not DocumentTemplate.objects.exists()
    # Even if such a text got stored (e.g. before this rule), it is printed as typed, not executed.
    DocumentTemplate.objects.create(organization=tenancy.org, kind="qa", body="■ 想定問答\n" + hostile)
    text = docx_text(owner.get(f"/incidents/{incident.uuid}/documents/qa.docx"))
    assert hostile in text
    assert tenancy.org.name not in text and "Organization" not in text


HOSTILE = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'


def test_hostile_wording_is_escaped_on_the_page_and_literal_in_word(owner, tenancy):
    incident = create(owner, title='<img src=y onerror="alert(3)">')
    response = owner.post("/incidents/wording/notice/", {"body": f"■ お知らせ\n{HOSTILE}\n{{{{事案名}}}}"})
    assert response.status_code == 302
    page = owner.get(f"/incidents/{incident.uuid}/documents/notice.html").content.decode()
    assert "<img src=x" not in page and "<script>alert" not in page and "<img src=y" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=" in page
    assert "&lt;img src=y onerror=" in page
    text = docx_text(owner.get(f"/incidents/{incident.uuid}/documents/notice.docx"))
    assert HOSTILE in text and '<img src=y onerror="alert(3)">' in text


def test_unknown_placeholders_are_refused_in_japanese_next_to_the_field(owner):
    response = owner.post(
        "/incidents/wording/notice/", {"body": "{{会社名}} {{ 社長名 }} {{ i.title }} {{想定費用}}"}
    )
    assert response.status_code == 200 and not DocumentTemplate.objects.exists()
    page = response.content.decode()
    error = page[page.index('id="id_body"') :]
    error = error[: error.index("</ul>")]
    assert "使えない差し込み項目があります：{{社長名}}、{{i.title}}、{{想定費用}}" in error
    # The allowed ones are listed; the board's internal estimate is not among the notice's.
    assert "使える差し込み項目：{{会社名}}、{{作成日}}" in error and "{{カード番号の記載}}" in error


def test_template_tags_are_refused_in_japanese(owner):
    page = owner.post("/incidents/wording/qa/", {"body": "{% if %}{{会社名}}{% endif %}"}).content.decode()
    assert "テンプレートのタグは使えません：{% if %}、{% endif %}" in page
    assert not DocumentTemplate.objects.exists()


def test_the_edit_page_documents_the_placeholders(owner):
    from mamori.incidents.documents import PLACEHOLDERS

    for kind, placeholders in PLACEHOLDERS.items():
        page = owner.get(f"/incidents/wording/{kind}/").content.decode()
        table = page[page.index('id="placeholders"') :]
        assert "使える差し込み項目" in table and "意味" in table
        for p in placeholders:
            assert f"<code>{p.token}</code>" in table and p.description in table
            assert p.example.split("\n")[0] in table
    board = owner.get("/incidents/wording/board/").content.decode()
    assert (
        "{{想定費用}}" in board
        and "{{想定費用}}" not in owner.get("/incidents/wording/notice/").content.decode()
    )


@pytest.mark.parametrize("facts", ["sparse", "full"])
def test_every_built_in_wording_renders_without_leftover_placeholders(owner, tenancy, facts):
    from mamori.core import wording
    from mamori.incidents.documents import DEFAULTS, PLACEHOLDERS, render_text, values
    from mamori.vendors.models import Vendor

    if facts == "sparse":
        incident = create(owner, description="", cause="other")
    else:
        vendor = Vendor.objects.create(organization=tenancy.org, name="株式会社発送代行")
        incident = create(
            owner,
            vendor=str(vendor.uuid),
            suspected="on",
            loss="on",
            individuals="1200",
            individuals_kind="estimate",
            items=["person_name", "credit_card"],
            occurred_on="2026-04-27",
            discovered_on="2026-04-28",
            secondary_damage="true",
        )
    for kind, text in DEFAULTS.items():
        assert wording.check(text, [p.name for p in PLACEHOLDERS[kind]]) == wording.Problems()
        assert set(values(incident, kind)) == {p.name for p in PLACEHOLDERS[kind]}
        out = render_text(incident, kind)
        assert "{{" not in out and "}}" not in out and "{%" not in out, (kind, out)
    if facts == "full":
        assert "漏えい・滅失のおそれが生じました" in render_text(incident, "notice")
        assert "クレジットカード番号が含まれています" in render_text(incident, "qa")
        board = render_text(incident, "board")
        assert "関係する委託先：株式会社発送代行" in board and "最大1,200人" in board
        assert "確報の期限：2026年5月27日（30日）" in board and "未　" in board and "JNSAモデル" in board
        ppc = render_text(incident, "ppc_final")
        assert "報告（確報）" in ppc and "発生日：2026年4月27日" in ppc and "■ 9. その他参考となる事項" in ppc
        assert (
            "■ 個人データに係る本人の数が1,000人を超える漏えい等（規則7条4号）：該当" in ppc
        )  # 報告対象事態


def test_control_characters_in_a_wording_do_not_break_the_word_file(owner, tenancy):
    incident = create(owner)
    # NUL never reaches the database (forms refuse it; PostgreSQL cannot store it): the others can.
    DocumentTemplate.objects.create(organization=tenancy.org, kind="qa", body="■ 想定問答\nA\x0bB\x1bC\x08D")
    response = owner.get(f"/incidents/{incident.uuid}/documents/qa.docx")
    assert response.status_code == 200 and "ABCD" in docx_text(response)


def test_changing_a_wording_is_in_the_audit_trail_with_the_old_and_new_text(owner):
    from mamori.platform.trail.models import TrailEntry

    assert owner.post("/incidents/wording/qa/", {"body": "一つ目 {{会社名}}"}).status_code == 302
    assert owner.post("/incidents/wording/qa/", {"body": "二つ目 {{会社名}}"}).status_code == 302
    update = TrailEntry.objects.filter(action="update", object_type__icontains="documenttemplate").get()
    assert update.changes["body"] == ["一つ目 {{会社名}}", "二つ目 {{会社名}}"]
