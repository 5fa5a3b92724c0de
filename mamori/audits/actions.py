"""Audit plans, findings and corrective actions, our own self-assessment, training, calendar, reports."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.audits.events import finding_changed
from mamori.audits.models import Audit, AuditPlan, CorrectiveAction, Finding, SelfAssessment, TrainingSession
from mamori.checksheets.models import Assessment, Template, TemplateVersion
from mamori.core.checksheets import builtin, scoring
from mamori.core.checksheets.structure import questions
from mamori.incidents.models import Incident
from mamori.platform.actor import Actor, current_actor
from mamori.platform.tenancy.models import Membership
from mamori.platform.tenancy.objects import after_change
from mamori.platform.trail import services as trail
from mamori.vendors.models import Certification, Contract, Vendor


def plan_for(org) -> AuditPlan:
    return AuditPlan.objects.get_or_create(organization=org)[0]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# A vendor never audited is first due within this many months of its registration (high-risk
# vendors first), never later than its tier's own frequency: a new organization's first plan spreads
# the first audits over the year instead of declaring every vendor due today.
FIRST_AUDIT_MONTHS = {"high": 3, "medium": 6, "low": 12}


def next_audit(vendor: Vendor, plan: AuditPlan, last: dt.date | None, today: dt.date) -> tuple[dt.date, str]:
    """The proposed next audit of a vendor: from its tier's frequency and its last audit, or for a
    vendor never audited, from the day it was registered (see FIRST_AUDIT_MONTHS)."""
    months = getattr(plan, f"{vendor.inherent_tier}_months")
    kind = getattr(plan, f"{vendor.inherent_tier}_kind")
    if last:
        return add_months(last, months), kind
    registered = timezone.localdate(vendor.created_at) if vendor.created_at else today
    return add_months(
        min(registered, today), min(months, FIRST_AUDIT_MONTHS.get(vendor.inherent_tier, 12))
    ), kind


def proposals(org, today: dt.date, vendors=None) -> list[dict]:
    plan = plan_for(org)
    last = {}
    for vendor_id, day in Audit.objects.filter(organization=org).values_list("vendor_id", "performed_on"):
        if vendor_id not in last or day > last[vendor_id]:
            last[vendor_id] = day
    out = []
    for v in (
        vendors if vendors is not None else Vendor.objects.filter(organization=org).exclude(status="ended")
    ):
        due, kind = next_audit(v, plan, last.get(v.id), today)
        out.append({"vendor": v, "due": due, "kind": kind, "last": last.get(v.id)})
    return sorted(out, key=lambda p: (p["due"], p["vendor"].name))


def quarter_end(day: dt.date) -> dt.date:
    q_month = ((day.month - 1) // 3 + 1) * 3
    return add_months(dt.date(day.year, q_month, 1), 1) - dt.timedelta(days=1)


@after_change(CorrectiveAction)
def _action_changed(action: CorrectiveAction, deleted: bool) -> None:
    if action.finding_id:
        finding = Finding.objects.select_related("organization", "audit__vendor").get(pk=action.finding_id)
        refresh_finding(finding, current_actor())


@after_change(Finding, Audit)
def _finding_changed(obj, deleted: bool) -> None:
    vendor = obj.audit.vendor if isinstance(obj, Finding) else obj.vendor
    finding_changed.send(type(obj), organization=obj.organization, vendors=[vendor], actor=current_actor())


def refresh_finding(finding: Finding, actor: Actor) -> None:
    """A finding is closed when all its corrective actions are done (and it has at least one)."""
    actions = list(finding.actions.all())
    closed = bool(actions) and all(a.status == "done" for a in actions)
    day = max((a.done_on or timezone.localdate() for a in actions), default=None) if closed else None
    Finding.objects.filter(pk=finding.pk).update(closed_on=day)
    finding_changed.send(
        Finding, organization=finding.organization, vendors=[finding.audit.vendor], actor=actor
    )


# --- Self-assessment ------------------------------------------------------------------------------


def self_version(org) -> TemplateVersion:
    template = Template.objects.filter(organization=org, builtin_key="self").first()
    if template is None:
        with transaction.atomic():
            template = Template.objects.create(
                organization=org,
                name="自社の安全管理措置の自己点検",
                description="自社の安全管理措置を年1回点検するためのシート。",
                builtin_key="self",
            )
            structure = builtin.self_assessment_structure()
            TemplateVersion.objects.create(
                organization=org,
                template=template,
                number=1,
                structure=structure,
                question_count=sum(1 for _ in questions(structure)),
            )
    return template.current


def score_self(sa: SelfAssessment) -> scoring.Score:
    return scoring.score(sa.version.structure, sa.answers or {})


def gaps(sa: SelfAssessment) -> list[dict]:
    return [
        q
        for _s, q in questions(sa.version.structure)
        if (sa.answers or {}).get(q["key"], {}).get("value") in ("no", "partial")
    ]


#: How long our own corrective action for a gap of the self-assessment gets.
GAP_ACTION_DAYS = 90


def self_assessment_for(org, year: int) -> SelfAssessment:
    """The organization's self-assessment of ``year`` (started on the current built-in sheet)."""
    return SelfAssessment.objects.get_or_create(
        organization=org, year=year, defaults={"version": self_version(org)}
    )[0]


def answer_self(sa: SelfAssessment, answers: dict[str, dict], actor: trail.Actor) -> scoring.Score:
    """Store the answers (``{key: {"value", "remark"}}``, the questions answered) and the score; the
    self-assessment is complete when every required question is answered. The remark of a 該当なし
    answer is its reason."""
    sa.answers = {
        key: {
            "value": a["value"],
            "remark": a.get("remark", "")[:1000],
            "na_reason": a.get("remark", "")[:300] if a["value"] == "na" else "",
        }
        for key, a in answers.items()
        if a.get("value")
    }
    result = score_self(sa)
    sa.score = result.overall
    sa.completed_at = timezone.now() if not result.required_missing else None
    with trail.acting_as(actor):
        sa.save()
    return result


def gap_actions(sa: SelfAssessment, actor: trail.Actor) -> list[CorrectiveAction]:
    """Every question answered いいえ or 一部 becomes a corrective action of our own (once), due in
    :data:`GAP_ACTION_DAYS` days."""
    existing = set(sa.actions.values_list("what", flat=True))
    due = timezone.localdate() + dt.timedelta(days=GAP_ACTION_DAYS)
    created = []
    with transaction.atomic(), trail.acting_as(actor):
        for q in gaps(sa):
            if q["text"] not in existing:
                created.append(
                    CorrectiveAction.objects.create(
                        organization=sa.organization,
                        self_assessment=sa,
                        what=q["text"][:300],
                        responsible="ours",
                        due_on=due,
                    )
                )
    return created


# --- Calendar -------------------------------------------------------------------------------------


def calendar_items(org, start: dt.date, end: dt.date, today: dt.date) -> list[dict]:
    """Everything that falls due between start and end (and what is overdue on ``today``), each
    with its ``code`` (``sheet``, ``audit``, ``action``, ``contract``, ``certification``,
    ``preliminary``, ``final``) and its kind and title worded in the active language."""
    items = []

    def add(day, code, kind, title, url):
        if day is not None and day <= end:
            items.append(
                {
                    "date": day,
                    "code": code,
                    "kind": str(kind),
                    "title": title,
                    "url": url,
                    "overdue": day < today,
                }
            )

    for a in Assessment.objects.filter(
        organization=org, state__in=("sent", "in_progress", "returned")
    ).select_related("vendor"):
        add(
            a.due_on,
            "sheet",
            _("Check sheet"),
            _("%(vendor)s: answer due") % {"vendor": a.vendor.name},
            f"/checksheets/{a.uuid}/",
        )
    for p in proposals(org, today):
        if p["due"] <= end:
            add(
                p["due"],
                "audit",
                _("Audit"),
                _("%(vendor)s: audit (planned)") % {"vendor": p["vendor"].name},
                f"/vendors/{p['vendor'].uuid}/",
            )
    for c in CorrectiveAction.objects.filter(organization=org, status="open").select_related(
        "finding__audit__vendor"
    ):
        owner = c.finding.audit.vendor.name if c.finding_id else _("Our own")
        add(c.due_on, "action", _("Corrective action"), f"{owner}：{c.what}", f"/audits/actions/{c.uuid}/")
    for c in Contract.objects.filter(organization=org, ends_on__gte=start).select_related("vendor"):
        add(
            c.ends_on,
            "contract",
            _("Contract renewal"),
            f"{c.vendor.name}：{c.title}",
            f"/contracts/{c.uuid}/",
        )
    for c in Certification.objects.filter(organization=org, expires_on__gte=start).select_related("vendor"):
        add(
            c.expires_on,
            "certification",
            _("Certification expiry"),
            f"{c.vendor.name}：{c.get_kind_display()}",
            f"/vendors/{c.vendor.uuid}/",
        )
    for i in Incident.objects.filter(organization=org, state="open"):
        add(
            i.preliminary_due,
            "preliminary",
            _("Preliminary report"),
            _("%(incident)s: preliminary report (guide)") % {"incident": i.title},
            f"/incidents/{i.uuid}/",
        )
        add(
            i.final_due,
            "final",
            _("Final report"),
            _("%(incident)s: final report due") % {"incident": i.title},
            f"/incidents/{i.uuid}/",
        )
    return sorted(
        (x for x in items if x["date"] >= start or x["overdue"]), key=lambda x: (x["date"], x["kind"])
    )


def feed_mac(org, user) -> str:
    message = f"ics:{org.uuid}:{user.pk}:{user.session_salt}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]


def ics(org, items: list[dict]) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")

    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mamori//JA", f"X-WR-CALNAME:Mamori {esc(org.name)}"]
    for n, item in enumerate(items):
        day = item["date"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{org.uuid}-{day:%Y%m%d}-{n}@mamori",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{esc(item['kind'] + '：' + item['title'])}",
            f"URL:{settings.BASE_URL}{item['url']}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def not_trained(org, year: int):
    attended = set(
        TrainingSession.objects.filter(organization=org, held_on__year=year).values_list(
            "attendees", flat=True
        )
    )
    return [
        m.user
        for m in Membership.objects.filter(organization=org).select_related("user")
        if m.user_id not in attended
    ]
