"""The PPC report drafts (速報・確報・続報), field by field in the order of the official form.

The layout is data: a list of sections, each a list of (label, value) rows, so fields can be added
when the live form changes (shared/domain/appi.md §11: build from 規則8条 and the guideline's
sub-items). Unknown values read 調査中 only while they are unknown; nothing internal (engine notes,
rule-set names) is printed. Rendered to text, to Word (tables, headings, page numbers) and to HTML.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils import timezone

from mamori.core.appi.facts import CAUSED_BY_LABELS
from mamori.core.appi.texts import REPORT_ITEMS
from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.incidents.models import Incident, ReporterProfile

UNKNOWN = "調査中"
# Characters Word documents cannot hold (control characters other than tab and line breaks).
XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DRAFT = "下書き"
STAGES = {
    "ppc_preliminary": "速報",
    "ppc_final": "確報",
    "ppc_followup": "続報",
    "principal_notice": "委託元への通知",
}
AUDIENCE_LABELS = {
    "customers": "顧客",
    "employees": "従業員",
    "members": "会員",
    "patients": "患者",
    "applicants": "応募者",
    "other": "その他",
}
GROUND_BOXES = (
    ("special_care", "要配慮個人情報が含まれる個人データの漏えい等（規則7条1号）"),
    (
        "financial",
        "不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等（規則7条2号）",
    ),
    ("improper_purpose", "不正の目的をもって行われたおそれがある個人データ等の漏えい等（規則7条3号）"),
    ("over_1000", "個人データに係る本人の数が1,000人を超える漏えい等（規則7条4号）"),
)


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]]


def jp_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return UNKNOWN
    if isinstance(day, dt.datetime):
        local = timezone.localtime(day)
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{day.year}年{day.month}月{day.day}日"


def _or_unknown(text: str) -> str:
    return text.strip() if text and text.strip() else UNKNOWN


def _or_missing(text: str) -> str:
    """A reporter-profile field not filled in (not 調査中: nothing is being investigated)."""
    return text.strip() if text and text.strip() else "（未登録：報告者情報に入力してください）"


def chronology(incident: Incident) -> list[tuple[dt.datetime | dt.date, str]]:
    """The 事実経過: the incident's dates and the timeline entries people wrote with an event time,
    in the order the events happened (not the order they were recorded)."""
    events: list[tuple[dt.datetime | dt.date, str]] = []
    if incident.occurred_on:
        events.append((incident.occurred_on, "事案が発生"))
    if incident.discovered_on:
        events.append((incident.discovered_on, "事案を発見"))
    events.append((incident.aware_on, "当社が事態を把握（報告期限の起算日）"))
    if incident.principal_notified_on:
        events.append((incident.principal_notified_on, "委託元へ通知"))
    if incident.published_on:
        events.append((incident.published_on, "公表"))
    for entry in incident.timeline.filter(occurred_at__isnull=False).order_by("occurred_at", "seq"):
        events.append((entry.occurred_at, entry.display_text))  # type: ignore[arg-type]

    def key(event):
        day = event[0]
        if isinstance(day, dt.datetime):
            local = timezone.localtime(day)
            return (local.date(), local.time())
        return (day, dt.time.min)

    return sorted(events, key=key)


def sections(incident: Incident, kind: str) -> list[Section]:
    a = incident.assessment or {}
    stage = STAGES[kind]
    profile = ReporterProfile.objects.filter(organization=incident.organization).first()
    grounds = set(a.get("grounds") or [])
    mn = a.get("my_number_act") or {}

    reporter = Section(
        "報告者",
        [
            ("報告者の氏名又は名称", profile.name if profile else incident.organization.name),
            ("法人番号", profile.corporate_number if profile and profile.corporate_number else "—"),
            (
                "住所",
                _or_missing(
                    f"〒{profile.postal_code} {profile.address}" if profile and profile.address else ""
                ),
            ),
            ("代表者", _or_missing(profile.representative if profile else "")),
            ("組織の種別", profile.get_organization_type_display() if profile else "民間事業者"),
            ("業種", _or_missing(profile.industry if profile else "")),
            (
                "権限委任先（事業所管大臣）",
                profile.delegated_ministry if profile and profile.delegated_ministry else "なし",
            ),
            (
                "担当者",
                _or_missing(
                    "　".join(
                        x
                        for x in (
                            profile.contact_department if profile else "",
                            profile.contact_name if profile else "",
                            f"電話 {profile.contact_phone}" if profile and profile.contact_phone else "",
                            profile.contact_email if profile else "",
                        )
                        if x
                    )
                ),
            ),
        ],
    )
    summary = Section(
        "報告の区分",
        [
            ("報告の種類", f"{stage}（{DRAFT}）"),
            ("作成日", jp_date(timezone.localdate())),
            ("件名", incident.title),
            (
                "マイナンバー（個人番号）を含む（おそれを含む）",
                "はい（番号法の様式でも報告）" if mn else "いいえ",
            ),
        ],
    )
    boxes = Section(
        "報告対象事態",
        [
            (("■ " if code in grounds else "□ ") + label, "該当" if code in grounds else "—")
            for code, label in GROUND_BOXES
        ],
    )
    if mn:
        boxes.rows.append(
            (
                "番号法29条の4（特定個人情報）",
                "該当：" + "、".join(g["text"] for g in mn.get("grounds", []))
                if mn.get("grounds")
                else "非該当",
            )
        )

    kinds = "・".join(
        label
        for key, label in (("leak", "漏えい"), ("loss", "滅失"), ("damage", "毀損"))
        if getattr(incident, key)
    ) + ("（おそれ）" if incident.suspected else "")
    events = chronology(incident)
    entrust = "なし"
    if incident.role == "vendor":
        entrust = f"当社は委託先（委託元：{incident.principal_name or UNKNOWN}）"
        if incident.principal_notified_on:
            entrust += f"。{jp_date(incident.principal_notified_on)}に委託元へ通知（{incident.principal_notice_method or '方法未記載'}）"
    elif incident.vendor:
        entrust = f"当社は委託元（委託先：{incident.vendor.name}）"
    item1 = [
        ("事態の種類", kinds or "漏えい"),
        ("発生日", jp_date(incident.occurred_on)),
        ("発見日", jp_date(incident.discovered_on)),
        ("事態を知った日", jp_date(incident.aware_on)),
        ("発見の経緯", _or_unknown(incident.how_found)),
        ("事案の概要", _or_unknown(incident.description)),
        ("事実経過", "\n".join(f"{jp_date(day)}　{text}" for day, text in events)),
        ("委託関係", entrust),
    ]
    items = [ITEM_LABELS.get(i, i) for i in incident.items or []] + [
        SPECIAL_CARE_LABELS.get(c, c) for c in incident.special_care or []
    ]
    item2 = [
        ("個人データの項目", "、".join(items) or UNKNOWN),
        ("媒体", _or_unknown(incident.medium)),
        ("本人の種類", AUDIENCE_LABELS.get(incident.audience, incident.audience)),
    ]
    count = a.get("individuals") or {}
    people = count.get("text") or UNKNOWN
    if count.get("kind") == "unknown":
        people = UNKNOWN
    item3 = [("本人の数", people)]
    if count.get("basis") and count.get("kind") != "exact":
        item3.append(("人数の根拠", count["basis"]))
    caused_by = CAUSED_BY_LABELS.get(incident.caused_by or "", "")
    if incident.caused_by == "vendor" and incident.vendor:
        caused_by += f"（{incident.vendor.name}）"
    item4 = [
        (
            "原因",
            incident.get_cause_display() if incident.cause != "other" else _or_unknown(incident.description),
        ),
        ("原因を作った者", caused_by or UNKNOWN),
    ]
    secondary = {True: "あり", False: "なし（現時点で確認されていない）", None: UNKNOWN}[
        incident.secondary_damage
    ]
    item5 = [("二次被害又はそのおそれの有無", secondary)]
    if incident.secondary_damage:
        item5.append(("その内容", _or_unknown(incident.secondary_damage_detail)))
    notice = UNKNOWN
    if incident.notices_sent or incident.notice_method:
        notice = f"{incident.notice_method or '通知'}により{incident.notices_sent:,}人に通知" + (
            f"（不達 {incident.notices_returned:,}件）" if incident.notices_returned else ""
        )
    item6 = [("本人への通知", notice)]
    if incident.alternative_measures:
        item6.append(("代替措置", incident.alternative_measures))
    item6.append(("問合せ窓口", _or_unknown(incident.contact_point)))
    if incident.published_on:
        publication = f"{jp_date(incident.published_on)}に公表" + (
            f"（{incident.publication_url}）" if incident.publication_url else ""
        )
    elif incident.state == "closed":
        publication = "公表していない"
    else:
        publication = UNKNOWN
    item7 = [("公表の実施状況", publication)]
    item8 = [
        ("実施済みの措置", _or_unknown(incident.recurrence_done)),
        (
            "今後実施予定の措置",
            incident.recurrence_planned or ("なし" if incident.recurrence_done else UNKNOWN),
        ),
    ]
    item9 = [("その他参考となる事項", _or_unknown(incident.other_matters))]
    bodies = {1: item1, 2: item2, 3: item3, 4: item4, 5: item5, 6: item6, 7: item7, 8: item8, 9: item9}
    short = {1: "概要", 2: "漏えい等が発生し、又は発生したおそれがある個人データの項目", 3: "本人の数"}
    report = [
        Section(f"{no}. {short.get(no, label) if no in short else label}", bodies[no])
        for no, label, _n in REPORT_ITEMS
    ]
    if kind == "principal_notice":
        return principal_notice(incident, a, profile, boxes, report)
    return [reporter, summary, boxes, *report]


def principal_address(incident: Incident) -> str:
    """The principal named in the 規則9条 notice: from our list of principals (with its department
    and contact) when chosen there, else the name typed on the incident."""
    principal = incident.principal
    if principal is None:
        return incident.principal_name or "（委託元の名称を入力してください）"
    contact = "・".join(p for p in (principal.department, principal.email, principal.phone) if p)
    return f"{principal.name}（{contact}）" if contact else principal.name


def principal_notice(
    incident: Incident, a: dict, profile, boxes: Section, report: list[Section]
) -> list[Section]:
    """規則9条: the vendor tells the principal the 規則8条1項 items known so far, 速やかに (GL 3-5-3-5:
    about 3–5 days); unknown items are marked 調査中 and followed up."""
    route = a.get("vendor_route") or {}
    due = route.get("notice_due") or {}
    head = Section(
        "委託元への通知（個人情報保護法施行規則9条）",
        [
            ("宛先（委託元）", principal_address(incident)),
            ("通知者（委託先）", profile.name if profile else incident.organization.name),
            ("作成日", jp_date(timezone.localdate())),
            (
                "通知の期限",
                f"速やかに（目安：{jp_date(dt.date.fromisoformat(due['to']))}まで。事態を知った日から概ね3〜5日以内）"
                if due.get("to")
                else "速やかに",
            ),
            (
                "通知の趣旨",
                "個人情報保護法26条1項ただし書及び同法施行規則9条に基づき、委託を受けた個人データの漏えい等について、"
                "現時点で把握している規則8条1項各号の事項を通知します。判明していない事項は判明次第追って通知し、"
                "貴社による報告及び本人への通知に協力します。",
            ),
        ],
    )
    return [head, boxes, *report]


def heading(kind: str) -> str:
    if kind == "principal_notice":
        return "個人データの漏えい等に関する委託元への通知（規則9条）"
    return f"個人情報保護委員会への漏えい等報告（{STAGES[kind]}）"


def render_text(incident: Incident, kind: str) -> str:
    lines = [f"【{DRAFT}】{heading(kind)}"]
    for section in sections(incident, kind):
        lines.append("")
        lines.append(f"■ {section.title}")
        for label, value in section.rows:
            lines.append(f"{label}：{value}")
    return "\n".join(lines) + "\n"


def _page_number(paragraph) -> None:
    """A PAGE field in the footer (python-docx has no API for fields)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def to_docx(incident: Incident, kind: str) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    def clean(text: str) -> str:
        return XML_INCOMPATIBLE.sub("", text)

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Yu Mincho"
    style.font.size = Pt(10.5)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"【{DRAFT}】"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    mark = document.add_paragraph()
    run = mark.add_run(f"【{DRAFT}】提出前に全ての項目を確認してください")
    run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
    document.add_heading(heading(kind), level=1)
    for part in sections(incident, kind):
        document.add_heading(clean(part.title), level=2)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in part.rows:
            cells = table.add_row().cells
            cells[0].text = clean(label)
            cells[1].text = clean(value)
            cells[0].paragraphs[0].runs[0].font.bold = True
    document.core_properties.title = f"{heading(kind)}{DRAFT}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
