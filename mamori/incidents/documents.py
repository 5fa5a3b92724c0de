"""Drafts of the incident documents: shipped wordings (Django templates), editable per organization,
rendered to Word (.docx, python-docx) and printable HTML."""

from __future__ import annotations

import io

from django.template import Context, Template
from django.utils import timezone

from mamori.core.appi.texts import REPORT_ITEMS
from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.incidents.models import DocumentKind, DocumentTemplate, Incident

UNKNOWN = "（調査中：判明次第、追って報告します）"

PPC = """■ 個人情報保護委員会への報告（{{ stage }}）
報告者：{{ org.name }}
作成日：{{ today }}
対象事案：{{ i.title }}
適用した判定：{{ a.rules_version.title }}
該当する事態：{% for r in a.reasons %}{% if r.code in "special_care financial improper_purpose over_1000" %}{{ r.text }}　{% endif %}{% endfor %}

{% for item in report_items %}■ {{ item.no }}. {{ item.label }}
{{ item.body }}

{% endfor %}"""

NOTICE = """■ 個人情報の漏えい等に関するお知らせとお詫び
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

ANNOUNCEMENT = """■ 個人情報の漏えい等に関するお知らせ
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

QA = """■ コールセンター想定問答（{{ i.title }}）
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

BOARD = """■ 取締役会への報告：{{ i.title }}
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

DEFAULTS = {
    DocumentKind.PPC_PRELIMINARY: PPC,
    DocumentKind.PPC_FINAL: PPC,
    DocumentKind.NOTICE: NOTICE,
    DocumentKind.ANNOUNCEMENT: ANNOUNCEMENT,
    DocumentKind.QA: QA,
    DocumentKind.BOARD: BOARD,
}


def wording(incident: Incident, kind: str) -> str:
    own = DocumentTemplate.objects.filter(organization=incident.organization, kind=kind).first()
    return own.body if own else DEFAULTS[kind]


def context(incident: Incident, kind: str) -> dict:
    from mamori.core.jnsa import estimate

    a = incident.assessment or {}
    items = [ITEM_LABELS.get(i, i) for i in incident.items or []] + [
        SPECIAL_CARE_LABELS.get(c, c) for c in incident.special_care or []
    ]
    items_text = "、".join(items) or UNKNOWN
    people = (
        f"{incident.individuals:,}人"
        if incident.individuals is not None and incident.individuals_kind != "unknown"
        else "人数は調査中"
    )
    if incident.individuals_kind == "estimate" and incident.individuals is not None:
        people = f"最大{incident.individuals:,}人"
    kinds = "・".join(
        label
        for key, label in (("leak", "漏えい"), ("loss", "滅失"), ("damage", "毀損"))
        if getattr(incident, key)
    )
    cause = incident.get_cause_display()
    secondary = {
        True: "二次被害又はそのおそれがあります（詳細を記載してください）。",
        False: "現時点で二次被害は確認されていません。",
        None: UNKNOWN,
    }[incident.secondary_damage]
    bodies = {
        1: f"{incident.description or UNKNOWN}\n発生日：{incident.occurred_on or '調査中'}　発見日：{incident.discovered_on or '調査中'}　"
        f"判明日（1日目）：{incident.aware_on}"
        + (f"\n関係する委託先：{incident.vendor.name}" if incident.vendor else ""),
        2: items_text,
        3: people,
        4: cause if incident.cause != "other" else UNKNOWN,
        5: secondary,
        6: (
            f"通知方法：{incident.notice_method}　送付数：{incident.notices_sent:,}　不達：{incident.notices_returned:,}"
            if incident.notices_sent or incident.notice_method
            else UNKNOWN
        ),
        7: UNKNOWN,
        8: "（実施済みの措置と今後の措置を分けて記載してください）",
        9: UNKNOWN,
    }
    known = {item["no"]: item["known"] for item in a.get("report_items", [])}
    report_items = [
        {"no": no, "label": label, "body": bodies[no] if known.get(no, True) or no in (1, 6) else UNKNOWN}
        for no, label, _notify in REPORT_ITEMS
    ]
    estimate_text = ""
    if incident.individuals:
        try:
            e = estimate(
                {
                    "individuals": incident.individuals,
                    "items": list(incident.items or []),
                    "special_care": list(incident.special_care or []),
                }
            )
            estimate_text = (
                f"JNSAモデルの想定損害賠償額 {e['jnsa']['total']:,}円（{e['jnsa']['per_person']:,}円/人、全員が請求した場合の指標）、"
                f"対応費用の見込み {e['response_costs']['low']:,}〜{e['response_costs']['high']:,}円"
            )
        except Exception:
            estimate_text = ""
    return {
        "i": incident,
        "a": a,
        "org": incident.organization,
        "today": timezone.localdate().strftime("%Y年%m月%d日"),
        "stage": "確報" if kind == DocumentKind.PPC_FINAL else "速報",
        "report_items": report_items,
        "items_text": items_text,
        "people": people,
        "kinds": kinds or "漏えい等",
        "cause": cause,
        "secondary": secondary,
        "has_card": "credit_card" in (incident.items or []),
        "tasks": list(incident.tasks.all()),
        "estimate_text": estimate_text or "（人数が判明すると試算できます）",
    }


def render_text(incident: Incident, kind: str) -> str:
    return (
        Template(wording(incident, kind)).render(Context(context(incident, kind), autoescape=False)).strip()
        + "\n"
    )


def to_docx(text: str, title: str) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Yu Mincho"
    style.font.size = Pt(10.5)
    for line in text.splitlines():
        if line.startswith("■ "):
            document.add_heading(line[2:], level=2 if document.paragraphs else 1)
        else:
            document.add_paragraph(line)
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
