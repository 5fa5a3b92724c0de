"""Preparedness before a leak: the response plan, drills generated from incidents, the plan attached
to a new incident (GL 3-5-2 response steps, GL 10-3(4) incident set-up; deadlines from the rules
engine, 規則7–10条)."""

from __future__ import annotations

import datetime as dt

from mamori.audits.models import CorrectiveAction
from mamori.core import preparedness as core
from mamori.incidents.models import Incident, TimelineEntry
from mamori.platform.trail.services import Actor
from mamori.preparedness import actions
from mamori.preparedness.models import Drill, PlanAttachment, PlanContact


def test_an_empty_plan_lacks_the_decider_the_contacts_and_the_wording():
    codes = {g.code for g in core.plan_gaps("", [], "", "", None, handles_card_data=True)}
    assert {
        "decision_maker",
        "contact_lawyer",
        "contact_ppc",
        "contact_card_company",
        "call_centre",
        "wording",
    } <= codes


def test_a_contact_without_a_phone_number_does_not_count():
    gaps = core.plan_gaps("社長", [("lawyer", " ")], "窓口", "文面", dt.date(2026, 1, 1))
    assert "contact_lawyer" in {g.code for g in gaps}


def test_scenario_replays_a_card_leak_with_the_rules_engine_deadlines():
    # 規則7条3号 (ransomware: 不正の目的) → 確報 60 days (規則8条2項); aware 2026-03-25 → day 60 is
    # Saturday 2026-05-23 → due Monday 2026-05-25 (appi.md §4.3 table).
    sample = core.SAMPLES["ransomware"]
    s = core.scenario(sample["title"], sample["description"], sample["facts"], dt.date(2026, 3, 25), {})
    assert s["reportable"] and s["final_report"]["due"] == "2026-05-25"
    assert "2026-05-25" in s["injects"][2]["expected"]
    assert "カード会社" in s["injects"][4]["expected"]  # card data in the items
    assert "クレジットカード番号" in s["injects"][0]["situation"] or "カード" in s["injects"][0]["situation"]


def test_the_demo_plan_is_complete_and_a_drill_finds_gaps_that_become_actions(demo):
    plan = actions.plan_for(demo.org)
    assert actions.gaps(plan) == []
    incident = Incident.objects.for_org(demo.org).order_by("aware_on").first()
    drill = Drill.objects.create(organization=demo.org, title="訓練", incident=incident, held_on=demo.today)
    actions.generate(drill, Actor(user=demo.owner, via="test"))
    assert drill.scenario["title"] == incident.title and len(drill.scenario["injects"]) == 6
    actions.start(drill, Actor(user=demo.owner, via="test"))
    created = actions.finish(
        drill, {"1": "責任者に報告"}, ["連絡網が古い", ""], Actor(user=demo.owner, via="test")
    )
    assert [a.what for a in created] == ["【訓練】連絡網が古い"]
    assert CorrectiveAction.objects.get(pk=created[0].pk).responsible == "ours"
    drill.refresh_from_db()
    assert drill.status == "done" and drill.minutes is not None and drill.responses == {"1": "責任者に報告"}


def test_a_new_incident_gets_the_plan_on_day_1(demo):
    client = demo.client()
    response = client.post(
        "/incidents/new/",
        {
            "title": "USBメモリの紛失",
            "cause": "loss",
            "aware_on": "2026-11-25",
            "leak": "on",
            "individuals_kind": "exact",
            "role": "principal",
            "notices_sent": 0,
            "notices_returned": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.for_org(demo.org).get(title="USBメモリの紛失")
    attachment = PlanAttachment.objects.get(incident=incident)
    assert attachment.snapshot["decision_maker"] == "管理本部長 高橋 誠"
    note = TimelineEntry.objects.filter(incident=incident, text__startswith="対応計画を添付しました").get()
    assert "0120-111-222" in note.text  # the forensic firm's number
    assert actions.attach_plan(incident) is None  # once


def test_plan_pages_are_scoped_and_print_on_one_sheet(demo, tenancy):
    page = demo.client().get("/preparedness/plan/print/")
    text = page.content.decode()
    assert page.status_code == 200 and "管理本部長 高橋 誠" in text and "03-6457-9849" in text
    outsider = tenancy.client(tenancy.outsider).get("/preparedness/plan/print/")
    assert "高橋" not in outsider.content.decode()
    assert not PlanContact.objects.for_org(tenancy.other_org).exists()
