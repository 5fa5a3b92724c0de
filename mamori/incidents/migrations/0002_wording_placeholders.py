"""Stored wordings move from Django template syntax to the placeholder language of
mamori.core.wording (``{{会社名}}`` …).

The variables and the ``{% … %}`` constructs of the wordings shipped before (which every saved
wording started from) are converted; anything else is left as it was: it is printed as typed and the
editing page names it when the wording is saved next. Self-contained on purpose (a migration must not
change when the application code does)."""

from __future__ import annotations

import re

from django.db import migrations

# Django variables (before any |filter) of the old wordings → the new placeholder names.
VARIABLES = {
    "org.name": "会社名",
    "today": "作成日",
    "i.title": "事案名",
    "i.description": "概要",
    "i.occurred_on": "発生日",
    "i.discovered_on": "発見日",
    "i.aware_on": "判明日",
    "kinds": "事態",
    "items_text": "項目",
    "people": "人数",
    "cause": "原因",
    "secondary": "二次被害",
    "i.vendor.name": "委託先",
    "stage": "報告段階",
    "a.rules_version.title": "判定基準",
    "estimate_text": "想定費用",
}

# The tag constructs of the old built-in wordings (spacing normalized, see _normalize) → their
# replacement. Order matters: a construct containing another comes first.
CONSTRUCTS = [
    (
        "{% for item in report_items %}■ {{ item.no }}. {{ item.label }}\n{{ item.body }}\n\n{% endfor %}",
        "{{報告事項}}",
    ),
    (
        '{% for r in a.reasons %}{% if r.code in "special_care financial improper_purpose over_1000" %}'
        "{{ r.text }}　{% endif %}{% endfor %}",
        "{{該当事態}}",
    ),
    ("{{ kinds }}{% if i.suspected %}のおそれ{% endif %}", "{{事態}}"),
    ("{% if not has_card %}クレジットカード番号は含まれておりません。{% endif %}", "{{カード番号の記載}}"),
    ("{% if i.vendor %}　関係する委託先：{{ i.vendor.name }}{% endif %}", "　関係する委託先：{{委託先}}"),
    (
        "{% if a.reportable %}報告対象事態に該当します。{% else %}報告対象事態に該当しません。{% endif %}"
        "{% if a.final_report %}速報の目安：{{ a.preliminary_report.from }}〜{{ a.preliminary_report.to }}、"
        "確報の期限：{{ a.final_report.due }}（{{ a.final_report.days }}日）{% endif %}",
        "{{報告対象の判断}}",
    ),
    ("{% for r in a.reasons %}・{{ r.text }}（{{ r.citation }}）\n{% endfor %}", "{{判定理由}}\n"),
    (
        "{% for t in tasks %}{% if t.done_at %}済{% else %}未{% endif %}　{{ t.title }}"
        '（期限 {{ t.due_on|default:"-" }}）\n{% endfor %}',
        "{{対応状況}}\n",
    ),
]

VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
TAG = re.compile(r"\{%\s*(.*?)\s*%\}", re.S)


def _normalize(text: str) -> str:
    text = text.replace("\r\n", "\n")
    text = TAG.sub(lambda m: "{% " + " ".join(m.group(1).split()) + " %}", text)
    return VARIABLE.sub(lambda m: "{{ " + m.group(1) + " }}", text)


def convert(text: str) -> str:
    """An old (Django template) wording in the placeholder language, as far as it can be converted."""
    if "{%" not in text and not any(
        m.group(1).split("|")[0].strip() in VARIABLES for m in VARIABLE.finditer(text)
    ):
        return text  # nothing of the old syntax: already in the new language (or plain text)
    text = _normalize(text)
    for old, new in CONSTRUCTS:
        text = text.replace(old, new)

    def variable(match: re.Match) -> str:
        name = VARIABLES.get(match.group(1).split("|")[0].strip())
        return "{{" + name + "}}" if name else match.group(0)

    return VARIABLE.sub(variable, text)


def forwards(apps, schema_editor):
    DocumentTemplate = apps.get_model("incidents", "DocumentTemplate")
    for wording in DocumentTemplate.objects.all():
        body = convert(wording.body)
        if body != wording.body:
            wording.body = body
            wording.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
