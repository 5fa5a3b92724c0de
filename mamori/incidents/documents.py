"""Drafts of the incident documents: shipped wordings, editable per organization, rendered to Word
(.docx, python-docx) and printable HTML.

A wording is plain text with placeholders such as ``{{会社名}}`` (the language is
:mod:`mamori.core.wording`: substitution only, no template engine). Each document kind has an explicit
allow-list of placeholders (:data:`PLACEHOLDERS`); :func:`values` computes their plain values in Python.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.core import wording as lang
from mamori.core.appi.texts import REPORT_ITEMS
from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.core.jnsa import estimate
from mamori.core.wording import Placeholder
from mamori.incidents.models import DocumentKind, DocumentTemplate, Incident

UNKNOWN = "（調査中：判明次第、追って報告します）"
# Characters Word documents cannot hold (control characters other than tab and line breaks).
XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NO_DESCRIPTION = "（概要を記載してください）"

# Placeholders every document may use.
COMMON = [
    Placeholder("会社名", "作成する会社（組織）の名称", "株式会社守り"),
    Placeholder("作成日", "文書を作成した日", "2026年4月28日"),
    Placeholder("事案名", "事案の件名", "顧客リストのメール誤送信"),
    Placeholder(
        "概要", "事案の概要（未入力なら記載を促す文）", "顧客リストを添付したメールを取引先以外に誤送信した"
    ),
    Placeholder("発生日", "事案が発生した日（不明なら「調査中」）", "2026年4月27日"),
    Placeholder("発見日", "事案を発見した日（不明なら「調査中」）", "2026年4月28日"),
    Placeholder("判明日", "会社が知った日（報告期限の起算日、1日目）", "2026年4月28日"),
    Placeholder("事態", "漏えい・滅失・毀損の別（おそれの段階なら「のおそれ」が付きます）", "漏えいのおそれ"),
    Placeholder("項目", "漏えい等した個人データの項目", "氏名、メールアドレス"),
    Placeholder("人数", "本人の数（推計は「最大」付き、不明なら「人数は調査中」）", "1,200人"),
    Placeholder("原因", "原因の区分", "メールの誤送信"),
    Placeholder("二次被害", "二次被害又はそのおそれの有無", "現時点で二次被害は確認されていません。"),
    Placeholder("委託先", "関係する委託先の名称（なければ「なし」）", "株式会社発送代行"),
]
PPC_ONLY = [
    Placeholder("報告段階", "速報か確報か", "速報"),
    Placeholder(
        "判定基準", "判定に使った法令・規則の版", "令和2年改正個人情報保護法・施行規則（2022年4月1日施行）"
    ),
    Placeholder(
        "該当事態",
        "該当する報告対象事態（規則7条各号、全角空白区切り）",
        "本人の数が1,000人を超える（規則7条4号）",
    ),
    Placeholder(
        "報告事項",
        "報告事項1〜9の見出しと内容（規則8条。不明な事項は「調査中」）",
        "■ 1. 概要\n顧客リストを添付したメールを…",
    ),
]
TO_INDIVIDUALS = [
    Placeholder("呼びかけ", "本人の呼び方（お客様・従業員の皆様・会員の皆様・患者の皆様など）", "お客様"),
    Placeholder(
        "お願い",
        "漏えいした項目ごとのお願い（1行に1つ、「・」付き）",
        "・クレジットカードの利用明細をご確認ください。",
    ),
    Placeholder(
        "個別連絡",
        "個別に通知を送った場合だけの一文（送っていなければ空）",
        "対象となる方には個別にご連絡しております。",
    ),
    Placeholder(
        "問合せ窓口", "問合せ窓口（未入力なら記載を促す文）", "お客様相談窓口 0120-000-000（平日9時〜17時）"
    ),
    Placeholder(
        "カード番号の記載",
        "クレジットカード番号が含まれるかどうかの一文",
        "クレジットカード番号は含まれておりません。",
    ),
]
BOARD_ONLY = [
    Placeholder(
        "報告対象の判断",
        "報告対象事態に該当するかどうかと、速報の目安・確報の期限",
        "報告対象事態に該当します。速報の目安：2026年4月29日〜2026年5月3日、確報の期限：2026年5月27日（30日）",
    ),
    Placeholder(
        "判定理由",
        "判定の理由と根拠条文（1行に1つ、「・」付き）",
        "・本人の数が1,000人を超える（規則7条4号）",
    ),
    Placeholder("対応状況", "対応タスクの済・未と期限（1行に1つ）", "済　委員会へ速報（期限 2026年5月3日）"),
    Placeholder(
        "想定費用",
        "JNSAモデルの想定損害賠償額と対応費用の見込み",
        "JNSAモデルの想定損害賠償額 93,600,000円（…）",
    ),
]

PLACEHOLDERS: dict[str, list[Placeholder]] = {
    DocumentKind.PPC_PRELIMINARY: COMMON + PPC_ONLY,
    DocumentKind.PPC_FINAL: COMMON + PPC_ONLY,
    DocumentKind.PPC_FOLLOWUP: COMMON + PPC_ONLY,
    DocumentKind.PRINCIPAL_NOTICE: COMMON + PPC_ONLY,
    DocumentKind.NOTICE: COMMON + TO_INDIVIDUALS,
    DocumentKind.ANNOUNCEMENT: COMMON + TO_INDIVIDUALS,
    DocumentKind.QA: COMMON + TO_INDIVIDUALS,
    DocumentKind.BOARD: COMMON + BOARD_ONLY,
}


def allowed(kind: str) -> list[str]:
    return [p.name for p in PLACEHOLDERS[kind]]


PPC = """■ 個人情報保護委員会への報告（{{報告段階}}）
報告者：{{会社名}}
作成日：{{作成日}}
対象事案：{{事案名}}
適用した判定：{{判定基準}}
該当する事態：{{該当事態}}

{{報告事項}}"""

NOTICE = """■ 個人情報の漏えい等に関するお知らせとお詫び
{{作成日}}
{{会社名}}

このたび、当社がお預かりしている{{呼びかけ}}の個人情報について、{{事態}}が生じましたことをお知らせするとともに、深くお詫び申し上げます。

■ 概要
{{概要}}
発生日：{{発生日}}　判明日：{{発見日}}

■ 漏えい等が発生し、又は発生したおそれがある個人データの項目
{{項目}}

■ 原因
{{原因}}

■ 二次被害又はそのおそれの有無及びその内容
{{二次被害}}

■ その他参考となる事項（{{呼びかけ}}にお願いしたいこと）
{{お願い}}

■ お問い合わせ窓口
{{問合せ窓口}}
"""

ANNOUNCEMENT = """■ 個人情報の漏えい等に関するお知らせ
{{作成日}}
{{会社名}}

当社において、個人情報の{{事態}}が判明しました。{{個別連絡}}関係する皆様に多大なご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。

■ 経緯と概要
{{概要}}

■ 対象となる個人情報
{{項目}}（{{人数}}）

■ 原因と再発防止策
{{原因}}
（再発防止策を記載してください）

■ 対象となる方へのお願い
{{お願い}}

■ お問い合わせ窓口
{{問合せ窓口}}
"""

QA = """■ コールセンター想定問答（{{事案名}}）
{{作成日}}

Q1. 何が起きたのですか。
A. {{概要}}

Q2. 私の情報は含まれていますか。
A. お名前とご住所等で確認いたします。{{個別連絡}}

Q3. どの情報が漏れたのですか。
A. {{項目}}です。{{カード番号の記載}}

Q4. 二次被害はありますか。
A. {{二次被害}}

Q5. 私は何をすればよいですか。
A. {{お願い}}

Q6. 今後の対策は。
A. （再発防止策を記載してください）
"""

BOARD = """■ 取締役会への報告：{{事案名}}
{{作成日}}

■ 事案の概要
{{概要}}
判明日（起算日）：{{判明日}}　原因：{{原因}}　関係する委託先：{{委託先}}

■ 影響範囲
{{項目}}／{{人数}}

■ 法令上の判断（個人情報保護法26条）
{{報告対象の判断}}
{{判定理由}}

■ 対応状況
{{対応状況}}

■ 想定される費用
{{想定費用}}
"""

DEFAULTS = {
    DocumentKind.PPC_PRELIMINARY: PPC,
    DocumentKind.PPC_FINAL: PPC,
    DocumentKind.PPC_FOLLOWUP: PPC,
    DocumentKind.PRINCIPAL_NOTICE: PPC,
    DocumentKind.NOTICE: NOTICE,
    DocumentKind.ANNOUNCEMENT: ANNOUNCEMENT,
    DocumentKind.QA: QA,
    DocumentKind.BOARD: BOARD,
}

# The grounds of 規則7条 that make an incident reportable (shown as 該当事態 in the PPC report).
GROUNDS = ("special_care", "financial", "improper_purpose", "over_1000")


ADDRESSEE = {
    "customers": "お客様",
    "employees": "従業員の皆様",
    "members": "会員の皆様",
    "patients": "患者の皆様",
    "applicants": "応募者の皆様",
}
# What each leaked item asks of the person (only for items that leaked).
ADVICE = (
    (
        ("credit_card",),
        "クレジットカードの利用明細に身に覚えのない請求がないかご確認ください。不審な請求があれば、カード裏面のカード会社の窓口へご連絡ください。",
    ),
    (
        ("payment_credentials",),
        "ご利用のサービスのパスワードを変更してください。同じパスワードを他のサービスでお使いの場合は、そちらも変更してください。",
    ),
    (("bank_account",), "口座の入出金明細に不審な取引がないかご確認ください。"),
    (
        ("phone", "address"),
        "当社を名乗る不審な電話や郵便物にご注意ください。当社から暗証番号やパスワードをお尋ねすることはありません。",
    ),
    (("email",), "当社を装った不審なメールのリンクや添付ファイルは開かないでください。"),
    (("my_number",), "マイナンバーを使った手続きで不審な連絡があった場合は、当社の窓口へご連絡ください。"),
    (
        ("drivers_license", "passport", "health_insurance_number"),
        "身分証明書の番号を悪用した契約などにご注意ください。",
    ),
)


def advice(incident: Incident) -> list[str]:
    present = set(incident.items or [])
    lines = [text for codes, text in ADVICE if present & set(codes)]
    if incident.special_care:
        lines.append("ご心配な点があれば、下記の窓口へご相談ください。")
    return lines or ["ご不明な点があれば、下記の窓口へお問い合わせください。"]


def wording(incident: Incident, kind: str) -> str:
    own = DocumentTemplate.objects.filter(organization=incident.organization, kind=kind).first()
    return own.body if own else DEFAULTS[kind]


def _date(value) -> dt.date | str:
    """A date of the assessment (ISO text in JSON) as a date, for the Japanese format."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _jp(value) -> str:
    return lang.format_value(_date(value))


def values(incident: Incident, kind: str) -> dict[str, lang.Value]:
    """The plain values of the placeholders allowed in ``kind`` (text, numbers and dates only)."""

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
    cause = str(incident.get_cause_display())
    secondary = {
        True: "二次被害又はそのおそれがあります（詳細を記載してください）。",
        False: "現時点で二次被害は確認されていません。",
        None: UNKNOWN,
    }[incident.secondary_damage]
    occurred = _jp(incident.occurred_on) if incident.occurred_on else "調査中"
    discovered = _jp(incident.discovered_on) if incident.discovered_on else "調査中"
    aware = _jp(incident.aware_on)
    vendor = incident.vendor.name if incident.vendor else ""
    common: dict[str, lang.Value] = {
        "会社名": incident.organization.name,
        "作成日": timezone.localdate(),
        "事案名": incident.title,
        "概要": incident.description or NO_DESCRIPTION,
        "発生日": occurred,
        "発見日": discovered,
        "判明日": aware,
        "事態": (kinds or "漏えい等") + ("のおそれ" if incident.suspected else ""),
        "項目": items_text,
        "人数": people,
        "原因": cause,
        "二次被害": secondary,
        "委託先": vendor or "なし",
    }
    if kind in PPC_KINDS:
        bodies = {
            1: f"{incident.description or UNKNOWN}\n発生日：{occurred}　発見日：{discovered}　"
            f"判明日（1日目）：{aware}" + (f"\n関係する委託先：{vendor}" if vendor else ""),
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
        report_items = "\n\n".join(
            f"■ {no}. {label}\n{bodies[no] if known.get(no, True) or no in (1, 6) else UNKNOWN}"
            for no, label, _notify in REPORT_ITEMS
        )
        return common | {
            "報告段階": "確報" if kind == DocumentKind.PPC_FINAL else "速報",
            "判定基準": str((a.get("rules_version") or {}).get("title", "")),
            "該当事態": "　".join(str(r["text"]) for r in a.get("reasons", []) if r.get("code") in GROUNDS)
            or "なし",
            "報告事項": report_items,
        }
    if kind == DocumentKind.BOARD:
        judgement = "報告対象事態に該当します。" if a.get("reportable") else "報告対象事態に該当しません。"
        if a.get("final_report"):
            p, f = a.get("preliminary_report") or {}, a["final_report"]
            judgement += (
                f"速報の目安：{_jp(p.get('from', ''))}〜{_jp(p.get('to', ''))}、"
                f"確報の期限：{_jp(f.get('due', ''))}（{f.get('days', '')}日）"
            )
        reasons = "\n".join(f"・{r.get('text', '')}（{r.get('citation', '')}）" for r in a.get("reasons", []))
        tasks = "\n".join(
            f"{'済' if t.done_at else '未'}　{t.title}（期限 {_jp(t.due_on) if t.due_on else '-'}）"
            for t in incident.tasks.all()
        )
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
        return common | {
            "報告対象の判断": judgement,
            "判定理由": reasons or "（判定の理由はありません）",
            "対応状況": tasks or "（対応タスクはありません）",
            "想定費用": estimate_text or "（人数が判明すると試算できます）",
        }
    has_card = "credit_card" in (incident.items or [])
    return common | {
        "呼びかけ": ADDRESSEE.get(incident.audience, "関係者の皆様"),
        "お願い": "\n".join(f"・{line}" for line in advice(incident)),
        "個別連絡": "対象となる方には個別にご連絡しております。" if incident.notices_sent else "",
        "問合せ窓口": incident.contact_point or "（窓口名・電話番号・受付時間を記載してください）",
        "カード番号の記載": "クレジットカード番号が含まれています。"
        if has_card
        else "クレジットカード番号は含まれておりません。",
    }


#: The PPC reports follow the official form (mamori.incidents.ppc), not an editable wording.
PPC_KINDS = (
    DocumentKind.PPC_PRELIMINARY,
    DocumentKind.PPC_FINAL,
    DocumentKind.PPC_FOLLOWUP,
    DocumentKind.PRINCIPAL_NOTICE,
)


def render_text(incident: Incident, kind: str) -> str:
    """The document as plain text: the wording with its placeholders filled in (never a template engine)."""
    if kind in PPC_KINDS:
        from mamori.incidents import ppc

        return ppc.render_text(incident, kind)
    return lang.render(wording(incident, kind), values(incident, kind)).strip() + "\n"


def to_docx(text: str, title: str) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Yu Mincho"
    style.font.size = Pt(10.5)
    for line in XML_INCOMPATIBLE.sub("", text).splitlines():
        if line.startswith("■ "):
            document.add_heading(line[2:], level=2 if document.paragraphs else 1)
        else:
            document.add_paragraph(line)
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The placeholders' descriptions in the reader's language (the wording page); Japanese: as in
# mamori.incidents.documents.
PLACEHOLDER_HELP = {
    "会社名": gettext_lazy("The name of the company (organization) writing it"),
    "作成日": gettext_lazy("The day the document is written"),
    "事案名": gettext_lazy("The incident's title"),
    "概要": gettext_lazy("What happened (a prompt to write it when empty)"),
    "発生日": gettext_lazy("The day it happened (「調査中」 while unknown)"),
    "発見日": gettext_lazy("The day it was found (「調査中」 while unknown)"),
    "判明日": gettext_lazy("The day the company became aware (day 1 of the report deadlines)"),
    "事態": gettext_lazy("Leak, loss or damage (with 「のおそれ」 while only suspected)"),
    "項目": gettext_lazy("The items of personal data concerned"),
    "人数": gettext_lazy("The number of people (an estimate says 「最大」; 「人数は調査中」 while unknown)"),
    "原因": gettext_lazy("The kind of cause"),
    "二次被害": gettext_lazy("Whether there is secondary damage or a risk of it"),
    "委託先": gettext_lazy("The vendor involved (「なし」 if none)"),
    "報告段階": gettext_lazy("Preliminary (速報) or final (確報) report"),
    "判定基準": gettext_lazy("The version of the Act and Rules the verdict used"),
    "該当事態": gettext_lazy(
        "The reportable situations that apply (規則7条, separated by full-width spaces)"
    ),
    "報告事項": gettext_lazy(
        "Report items 1–9 with their headings (規則8条; 「調査中」 for what is unknown)"
    ),
    "呼びかけ": gettext_lazy("How the people are addressed (お客様, 従業員の皆様, 会員の皆様, 患者の皆様 …)"),
    "お願い": gettext_lazy("What we ask of them for each leaked item (one per line, with 「・」)"),
    "個別連絡": gettext_lazy("A sentence only when individual notices were sent (empty otherwise)"),
    "問合せ窓口": gettext_lazy("The contact point (a prompt to write it when empty)"),
    "カード番号の記載": gettext_lazy("A sentence on whether card numbers are included"),
    "報告対象の判断": gettext_lazy("Whether it is reportable, with the preliminary and final report dates"),
    "判定理由": gettext_lazy("The grounds of the verdict with their articles (one per line, with 「・」)"),
    "対応状況": gettext_lazy("The response tasks, done or not, with their due dates (one per line)"),
    "想定費用": gettext_lazy("The JNSA model's estimated compensation and response costs"),
}


def described(placeholders: list) -> list[dict]:
    """Each placeholder with its description translated (the token and example stay as they are)."""
    return [
        {"token": p.token, "description": PLACEHOLDER_HELP.get(p.name, p.description), "example": p.example}
        for p in placeholders
    ]
