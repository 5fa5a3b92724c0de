"""The response plan, drills and the plan attached to a new incident."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mamori.audits.models import CorrectiveAction
from mamori.core import preparedness as core
from mamori.incidents import actions as incident_actions
from mamori.incidents.models import Incident
from mamori.platform import actor as trail
from mamori.platform.actor import current_actor
from mamori.platform.tenancy.objects import after_change, run_hooks
from mamori.preparedness.models import Drill, DrillFinding, DrillStatus, PlanAttachment, ResponsePlan

#: How long a corrective action from a drill finding gets.
ACTION_DAYS = 60


def plan_for(org) -> ResponsePlan:
    return ResponsePlan.objects.get_or_create(organization=org)[0]


def gaps(plan: ResponsePlan) -> list[core.PlanGap]:
    return core.plan_gaps(
        plan.decision_maker,
        [(c.role, c.phone) for c in plan.contacts.all()],
        plan.call_centre,
        plan.approved_wording,
        plan.approved_on,
        plan.handles_card_data,
        plan.delegated_sector,
    )


def contacts_by_role(plan: ResponsePlan) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in plan.contacts.all():
        out.setdefault(c.role, f"{c.name}{' ' + c.person if c.person else ''}（{c.phone}）")
    return out


def snapshot(plan: ResponsePlan) -> dict:
    return {
        "decision_maker": plan.decision_maker,
        "deputy": plan.deputy,
        "internal_reporting": plan.internal_reporting,
        "call_centre": plan.call_centre,
        "approved_wording": plan.approved_wording,
        "approved_by": plan.approved_by,
        "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
        "contacts": [
            {
                "role": c.get_role_display(),
                "name": c.name,
                "person": c.person,
                "phone": c.phone,
                "email": c.email,
            }
            for c in plan.contacts.all()
        ],
    }


def generate(drill: Drill, actor: trail.Actor) -> Drill:
    """Fill the drill's scenario from its incident (or sample), replayed on the drill's date."""
    plan = plan_for(drill.organization)
    if drill.incident_id:
        inc = drill.incident
        title, description, facts = inc.title, inc.description or inc.title, inc.facts()
    else:
        sample = core.SAMPLES.get(drill.sample) or core.SAMPLES["ransomware"]
        title, description, facts = sample["title"], sample["description"], sample["facts"]
    drill.scenario = core.scenario(title, description, facts, drill.held_on, contacts_by_role(plan))
    with trail.acting_as(actor):
        drill.save(update_fields=["scenario"])
    return drill


def start(drill: Drill, actor: trail.Actor) -> None:
    with trail.acting_as(actor):
        drill.status, drill.started_at = DrillStatus.RUNNING, timezone.now()
        drill.save(update_fields=["status", "started_at"])


def finish(
    drill: Drill, answers: dict[str, str], findings: list[str], actor: trail.Actor
) -> list[CorrectiveAction]:
    """End the exercise: keep the answers, record the time, and turn each finding into a corrective
    action of our own (audits' CorrectiveAction, responsible = ours), due in :data:`ACTION_DAYS` days."""
    created = []
    due = timezone.localdate() + dt.timedelta(days=ACTION_DAYS)
    with transaction.atomic(), trail.acting_as(actor):
        drill.responses = {k: v[:2000] for k, v in answers.items() if v.strip()}
        drill.status, drill.ended_at = DrillStatus.DONE, timezone.now()
        drill.save(update_fields=["responses", "status", "ended_at"])
        for text in findings:
            text = text.strip()[:300]
            if not text:
                continue
            action = CorrectiveAction.objects.create(
                organization=drill.organization,
                what=f"【訓練】{text}"[:300],
                responsible="ours",
                due_on=due,
            )
            run_hooks(action, deleted=False)
            DrillFinding.objects.create(
                organization=drill.organization, drill=drill, description=text, action=action
            )
            created.append(action)
    return created


def attach_plan(incident: Incident, actor: trail.Actor | None = None) -> PlanAttachment | None:
    """Attach the organization's response plan to a new incident (once): a snapshot kept with the
    incident and an entry on its timeline naming who decides and whom to call. Returns None when the
    plan was attached before."""
    if PlanAttachment.objects.filter(incident=incident).exists():
        return None
    plan = plan_for(incident.organization)
    actor = actor or current_actor()
    snap = snapshot(plan)
    with transaction.atomic(), trail.acting_as(actor):
        attachment = PlanAttachment.objects.create(
            organization=incident.organization, incident=incident, snapshot=snap
        )
        calls = "、".join(f"{c['role']} {c['name']} {c['phone']}" for c in snap["contacts"]) or "未登録"
        text = f"対応計画を添付しました。判断する人: {snap['decision_maker'] or '未定'}。連絡先: {calls}"
        incident_actions.append(incident, actor, "note", text, data={"response_plan": snap})
    return attachment


@after_change(Incident)
def _incident_saved(incident: Incident, deleted: bool) -> None:
    """Day 1: a new incident gets the plan attached (pages and API save through the hooks)."""
    if not deleted:
        attach_plan(incident)
