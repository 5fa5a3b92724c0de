"""The placeholder language of document wordings (mamori.core.wording) and the conversion of wordings
stored in the old Django template syntax (migration incidents 0002)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from mamori.core import wording

migration = importlib.import_module("mamori.incidents.migrations.0002_wording_placeholders")

# The built-in wordings as shipped before the placeholder language (Django templates); organizations
# saved copies of these.
OLD_PPC = """■ 個人情報保護委員会への報告（{{ stage }}）
報告者：{{ org.name }}
作成日：{{ today }}
対象事案：{{ i.title }}
適用した判定：{{ a.rules_version.title }}
該当する事態：{% for r in a.reasons %}{% if r.code in "special_care financial improper_purpose over_1000" %}{{ r.text }}　{% endif %}{% endfor %}

{% for item in report_items %}■ {{ item.no }}. {{ item.label }}
{{ item.body }}

{% endfor %}"""

OLD_NOTICE = """■ 個人情報の漏えい等に関するお知らせとお詫び
{{ today }}
{{ org.name }}

このたび、当社がお預かりしているお客様の個人情報について、{{ kinds }}{% if i.suspected %}のおそれ{% endif %}が生じましたことをお知らせするとともに、深くお詫び申し上げます。

■ 概要
{{ i.description|default:"（概要を記載してください）" }}
発生日：{{ i.occurred_on|default:"調査中" }}　判明日：{{ i.discovered_on|default:"調査中" }}

■ 漏えい等が発生し、又は発生したおそれがある個人データの項目
{{ items_text }}

■ 原因
{{ cause }}

■ 二次被害又はそのおそれの有無及びその内容
{{ secondary }}

■ その他参考となる事項（お客様にお願いしたいこと）
不審なメール・電話・郵便物にご注意ください。当社から、お客様のパスワードやカード番号をお尋ねすることはありません。

■ お問い合わせ窓口
（窓口名・電話番号・受付時間を記載してください）
"""

OLD_ANNOUNCEMENT = """■ 個人情報の漏えい等に関するお知らせ
{{ today }}
{{ org.name }}

当社において、個人情報の{{ kinds }}{% if i.suspected %}のおそれ{% endif %}が判明しました。対象となる方には個別にご連絡しております。関係する皆様に多大なご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。

■ 経緯と概要
{{ i.description|default:"（概要を記載してください）" }}

■ 対象となる個人情報
{{ items_text }}（{{ people }}）

■ 原因と再発防止策
{{ cause }}
（再発防止策を記載してください）

■ お問い合わせ窓口
（窓口名・電話番号・受付時間を記載してください）
"""

OLD_QA = """■ コールセンター想定問答（{{ i.title }}）
{{ today }}

Q1. 何が起きたのですか。
A. {{ i.description|default:"（概要）" }}

Q2. 私の情報は含まれていますか。
A. お名前とご住所等で確認いたします。対象の方には個別に通知しております。

Q3. どの情報が漏れたのですか。
A. {{ items_text }}です。{% if not has_card %}クレジットカード番号は含まれておりません。{% endif %}

Q4. 二次被害はありますか。
A. {{ secondary }}

Q5. 私は何をすればよいですか。
A. 不審なメール・電話にご注意ください。当社からパスワードやカード番号をお尋ねすることはありません。

Q6. 今後の対策は。
A. （再発防止策を記載してください）
"""

OLD_BOARD = """■ 取締役会への報告：{{ i.title }}
{{ today }}

■ 事案の概要
{{ i.description|default:"（概要）" }}
判明日（起算日）：{{ i.aware_on }}　原因：{{ cause }}{% if i.vendor %}　関係する委託先：{{ i.vendor.name }}{% endif %}

■ 影響範囲
{{ items_text }}／{{ people }}

■ 法令上の判断（個人情報保護法26条）
{% if a.reportable %}報告対象事態に該当します。{% else %}報告対象事態に該当しません。{% endif %}{% if a.final_report %}速報の目安：{{ a.preliminary_report.from }}〜{{ a.preliminary_report.to }}、確報の期限：{{ a.final_report.due }}（{{ a.final_report.days }}日）{% endif %}
{% for r in a.reasons %}・{{ r.text }}（{{ r.citation }}）
{% endfor %}
■ 対応状況
{% for t in tasks %}{% if t.done_at %}済{% else %}未{% endif %}　{{ t.title }}（期限 {{ t.due_on|default:"-" }}）
{% endfor %}
■ 想定される費用
{{ estimate_text }}
"""


def test_placeholders_are_replaced_with_or_without_spaces():
    text = "{{会社名}}／{{ 会社名 }}／{{　作成日　}}"
    assert wording.render(text, {"会社名": "株式会社守り", "作成日": dt.date(2026, 4, 8)}) == (
        "株式会社守り／株式会社守り／2026年4月8日"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{% load static %}{% debug %}",
        "{{ org.__class__ }}{{ i.organization.name }}",
        "{{ 会社名|upper }}{{ 会社名.name }}{{会社名()}}",
        "{% if 会社名 %}x{% endif %}{# comment #}",
        "{{",
        "}}",
        "{{ 会社名",
        "会社名 }}",
        "{{{}}}",
        "{%",
        "%}",
        "{{\n会社名\n}}",
        "",
    ],
)
def test_everything_else_is_left_as_typed(text):
    assert wording.render(text, {"会社名": "株式会社守り"}) == text


def test_one_pass_only_a_value_is_never_expanded_again():
    values = {"事案名": "{{会社名}} {% debug %}", "会社名": "株式会社守り"}
    assert wording.render("{{事案名}}", values) == "{{会社名}} {% debug %}"


def test_unknown_placeholders_stay_literal_braces_around_known_ones_too():
    assert wording.render("{{不明}} {{{会社名}}}", {"会社名": "守り"}) == "{{不明}} {守り}"


def test_check_names_unknown_placeholders_and_tags_once_in_order():
    problems = wording.check(
        "{{ i.title }}{{会社名}}{% if x %}{{ obj.__class__ }}{{ i.title }}{% endif %}{% if x %}", ["会社名"]
    )
    assert problems.unknown == ("i.title", "obj.__class__")
    assert problems.tags == ("{% if x %}", "{% endif %}")
    assert problems
    assert not wording.check("{{会社名}} と {{ 会社名 }}、{波かっこ}", ["会社名"])


def test_values_are_plain_and_formatted_in_japanese():
    assert wording.format_value(1200) == "1,200"
    assert wording.format_value(dt.date(2026, 5, 3)) == "2026年5月3日"
    assert wording.format_value("文") == "文"
    for bad in (object(), True, None, 1.5, ["x"], {"a": 1}):
        with pytest.raises(TypeError):
            wording.render("{{x}}", {"x": bad})


def test_placeholder_token_and_names():
    assert wording.Placeholder("会社名", "名称", "株式会社守り").token == "{{会社名}}"
    assert wording.names("{{b}}{{ a }}{{b}}") == ["b", "a"]


# The built-in NOTICE as migration 0002 wrote it (the letters have since changed by audience).
CONVERTED_NOTICE = """■ 個人情報の漏えい等に関するお知らせとお詫び
{{作成日}}
{{会社名}}

このたび、当社がお預かりしているお客様の個人情報について、{{事態}}が生じましたことをお知らせするとともに、深くお詫び申し上げます。

■ 概要
{{概要}}
発生日：{{発生日}}　判明日：{{発見日}}

■ 漏えい等が発生し、又は発生したおそれがある個人データの項目
{{項目}}

■ 原因
{{原因}}

■ 二次被害又はそのおそれの有無及びその内容
{{二次被害}}

■ その他参考となる事項（お客様にお願いしたいこと）
不審なメール・電話・郵便物にご注意ください。当社から、お客様のパスワードやカード番号をお尋ねすることはありません。

■ お問い合わせ窓口
（窓口名・電話番号・受付時間を記載してください）
"""

# The built-in ANNOUNCEMENT as migration 0002 wrote it (the letters have since changed by audience).
CONVERTED_ANNOUNCEMENT = """■ 個人情報の漏えい等に関するお知らせ
{{作成日}}
{{会社名}}

当社において、個人情報の{{事態}}が判明しました。対象となる方には個別にご連絡しております。関係する皆様に多大なご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。

■ 経緯と概要
{{概要}}

■ 対象となる個人情報
{{項目}}（{{人数}}）

■ 原因と再発防止策
{{原因}}
（再発防止策を記載してください）

■ お問い合わせ窓口
（窓口名・電話番号・受付時間を記載してください）
"""

# The built-in QA as migration 0002 wrote it (the letters have since changed by audience).
CONVERTED_QA = """■ コールセンター想定問答（{{事案名}}）
{{作成日}}

Q1. 何が起きたのですか。
A. {{概要}}

Q2. 私の情報は含まれていますか。
A. お名前とご住所等で確認いたします。対象の方には個別に通知しております。

Q3. どの情報が漏れたのですか。
A. {{項目}}です。{{カード番号の記載}}

Q4. 二次被害はありますか。
A. {{二次被害}}

Q5. 私は何をすればよいですか。
A. 不審なメール・電話にご注意ください。当社からパスワードやカード番号をお尋ねすることはありません。

Q6. 今後の対策は。
A. （再発防止策を記載してください）
"""


@pytest.mark.parametrize(
    "old, new",
    [
        (OLD_PPC, "PPC"),
        (OLD_NOTICE, "NOTICE"),
        (OLD_ANNOUNCEMENT, "ANNOUNCEMENT"),
        (OLD_QA, "QA"),
        (OLD_BOARD, "BOARD"),
    ],
)
def test_old_built_in_wordings_convert_to_the_new_ones(old, new):
    from mamori.incidents import documents

    expected = globals().get(f"CONVERTED_{new}", getattr(documents, new))
    assert migration.convert(old) == expected
    assert migration.convert(old.replace("\n", "\r\n")) == expected


def test_conversion_of_edited_wordings():
    edited = "■ 独自\r\n{{ org.name }}　{{i.title}}\r\n{{ i.description|default:'（概要）' }}{% now 'Y' %}{{ a.grounds }}"
    assert migration.convert(edited) == "■ 独自\n{{会社名}}　{{事案名}}\n{{概要}}{% now 'Y' %}{{ a.grounds }}"
    # Text already in the new language, or plain text, is not touched.
    for text in ("{{会社名}}\r\n{{ 事案名 }}", "被害者の文面", "{波かっこ}"):
        assert migration.convert(text) == text


@pytest.mark.django_db
def test_the_migration_converts_stored_wordings(tenancy):
    from django.apps import apps

    from mamori.incidents.models import DocumentTemplate

    old = DocumentTemplate.objects.create(organization=tenancy.org, kind="board", body=OLD_BOARD)
    migration.forwards(apps, None)
    old.refresh_from_db()
    assert "{%" not in old.body and "{{対応状況}}" in old.body
