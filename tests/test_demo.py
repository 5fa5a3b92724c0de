from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from mamori import cli
from mamori.audits.models import CorrectiveAction
from mamori.checksheets.models import Assessment, MailLog, MailStatus, Recipient, State
from mamori.demo.seed import SAMPLE_SUFFIX, seed_demo
from mamori.incidents.actions import verify_timeline
from mamori.incidents.models import Incident
from mamori.ledger.models import DataAsset
from mamori.platform.accounts.models import User
from mamori.platform.tenancy.middleware import SESSION_KEY
from mamori.platform.tenancy.models import Membership, Organization, OrgOwned, Role
from mamori.platform.trail.models import TrailEntry
from mamori.platform.trail.services import verify
from mamori.scan.patterns import corporate_number_ok
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor

TODAY = dt.date(2026, 11, 25)


# Technical rows that are not the organization's data (a file waiting for the worker: the sample's
# scan is of a file it made itself, read at once).
TECHNICAL = {"web.FileJob"}


def org_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, OrgOwned) and not m._meta.abstract and m._meta.label not in TECHNICAL
    ]


# Kinds of rows the sample does not need to have (none today: every model has at least one row).
NO_ROWS_NEEDED: dict[str, str] = {}

# Values the sample leaves empty on purpose.
EMPTY_ON_PURPOSE = {
    "trail.TrailEntry.request_id": "written by web requests only",
    "tenancy.Invitation.accepted_at": "an accepted invitation needs a user who signed up through it",
    "accounts.ApiToken.last_used_at": "the sample token was never used",
    "checksheets.Recipient.next_reminder_at": "no reminder may go to the sample's fictitious addresses",
    "incidents.Incident.over_1000_known_date": "the sample's count exceeded 1,000 from the start",
    "incidents.Incident.principal": "the sample organization is the principal in its incidents",
    "incidents.Incident.principal_name": "the sample organization is the principal in its incidents",
    "incidents.Incident.principal_notified_on": "the sample organization is the principal in its incidents",
    "incidents.Incident.principal_notice_method": "the sample organization is the principal in its incidents",
    "incidents.Incident.secondary_damage_detail": "no secondary damage in the sample",
    "incidents.ReporterProfile.delegated_ministry": "the sample's sector reports to the PPC itself",
}
CHOICES_LEFT_OUT = {
    # Rare legal bases of a provision (法27条1項2–7号, 5項1–2号): the sample has consent, opt-out,
    # foreign consent, 法令 and 共同利用; entrustments are in the vendor registry.
    "provisions.ProvisionRecord.basis": {
        "entrustment",
        "life",
        "public_health",
        "research_joint",
        "research_publication",
        "research_recipient",
        "state_affairs",
        "succession",
    },
    "provisions.OptOutNotice.status": {"active"},  # the sample stopped its opt-out provision
    "tenancy.Invitation.role": {"owner", "admin", "auditor"},
    # Ended data sets and contracts are shown by test_history; the demo's are all in use.
    "ledger.DataAsset.status": {"ended"},
    "vendors.Contract.status": {"ended"},
    "trail.TrailEntry.action": {
        "rekey",  # only written by the migration that keyed existing chains
        "delete",
        "sign_in",
        "sign_in_failed",
        "sign_out_everywhere",
        "export",
        "download",
        "access",
    },
    "checksheets.MailLog.status": {"queued"},  # nothing is left in the queue
    "incidents.Incident.cause": {
        "unauthorized_access",
        "ransomware",
        "misdirected_mail",
        "misdirected_fax",
        "loss",
        "theft",
        "insider",
        "vendor",
        "misconfiguration",
        "web_skimming",
        "disposal_error",
        "other",
    },
    "incidents.Incident.individuals_kind": {"unknown", "estimate"},
    "incidents.Incident.caused_by": {"third_party"},
    "incidents.Incident.improper_purpose": {"unknown"},
    "incidents.Incident.financial_damage_risk": {"yes", "unknown"},
    "incidents.Incident.my_number_system": {"yes", "unknown"},
    "incidents.Incident.publicly_viewable": {"yes"},
    "incidents.Incident.audience": {"applicants", "employees", "other", "patients"},
    "incidents.ReporterProfile.organization_type": {"public"},
    "incidents.Incident.role": {"vendor"},
    # The PPC reports and the notice to the principal follow the official form: no wording to edit.
    "incidents.DocumentTemplate.kind": {
        "ppc_preliminary",
        "ppc_final",
        "ppc_followup",
        "principal_notice",
        "announcement",
        "qa",
        "board",
    },
    "audits.AuditPlan.high_kind": {"document", "remote"},
    "audits.AuditPlan.medium_kind": {"document", "onsite"},
    "audits.AuditPlan.low_kind": {"onsite", "remote"},
}


def test_every_kind_of_object_has_rows_in_the_sample(demo):
    kinds = org_models()
    assert len(kinds) >= 30
    empty = [
        m._meta.label
        for m in kinds
        if m._meta.label not in NO_ROWS_NEEDED and not m.objects.filter(organization=demo.org).exists()
    ]
    assert empty == []


def test_every_text_date_and_choice_field_is_filled_somewhere(demo):
    problems = []
    for model in org_models():
        rows = model.objects.filter(organization=demo.org)
        for f in model._meta.concrete_fields:
            name = f"{model._meta.label}.{f.name}"
            if f.choices:
                used = set(rows.values_list(f.name, flat=True))
                missing = {str(c) for c, _label in f.choices if c not in used} - CHOICES_LEFT_OUT.get(
                    name, set()
                )
                if missing:
                    problems.append(f"{name}: {sorted(missing)}")
            elif name in EMPTY_ON_PURPOSE or not f.editable or isinstance(f, models.FileField):
                continue
            elif isinstance(f, models.CharField | models.TextField):
                if not rows.exclude(**{f.name: ""}).exists():
                    problems.append(f"{name} is always empty")
            elif (
                f.null
                and isinstance(f, models.DateField | models.PositiveIntegerField | models.BooleanField)
                and not rows.filter(**{f"{f.name}__isnull": False}).exists()
            ):
                problems.append(f"{name} is always empty")
    assert problems == [], "\n".join(problems)


def test_the_sample_shows_what_a_careful_user_must_act_on(demo):
    org, today = demo.org, demo.today
    assert org.name == "株式会社さくら通販（サンプル）" and org.slug.startswith("sample-")
    assert Membership.objects.get(organization=org, user=demo.owner).role == Role.OWNER
    # The ledger flags special-care, My Number and financial data from the items.
    assets = DataAsset.objects.filter(organization=org)
    assert assets.filter(name__contains="健康診断", has_special_care=True).exists()
    assert assets.filter(name__contains="マイナンバー", has_my_number=True).exists()
    assert assets.filter(has_financial=True).exists()
    # Vendors: valid corporate numbers, an expired certification, computed tiers and ratings.
    vendors = Vendor.objects.filter(organization=org)
    assert vendors.count() >= 6
    assert all(corporate_number_ok(v.corporate_number) for v in vendors)
    assert Certification.objects.filter(organization=org, expires_on__lt=today, kind="pmark").exists()
    assert vendors.filter(inherent_tier="high").exists() and vendors.filter(inherent_tier="low").exists()
    assert vendors.exclude(control_rating="").exists() and vendors.exclude(risk_rating="").exists()
    # A re-subcontract without our approval, and an approved one.
    subs = Entrustment.objects.filter(organization=org, parent__isnull=False)
    assert subs.filter(approved=False).exists() and subs.filter(approved=True).exists()
    # Contracts: one with every clause, others with gaps.
    contracts = list(Contract.objects.filter(organization=org))
    assert any(all(c.clauses.values()) for c in contracts)
    assert sum(1 for c in contracts if not all(c.clauses.values())) >= 3
    # Check sheets in every state; last year's answers to compare with.
    assessments = Assessment.objects.filter(organization=org)
    assert set(assessments.values_list("state", flat=True)) == set(State.values)
    returned = assessments.get(state=State.RETURNED)
    assert returned.comments.exists() and returned.round == 2 and returned.score is not None
    last_year = assessments.filter(due_on__lt=today - dt.timedelta(days=300), state=State.APPROVED)
    compared = [
        a
        for a in last_year
        if assessments.filter(
            vendor=a.vendor, version__template=a.version.template, due_on__gt=today - dt.timedelta(days=60)
        )
        .exclude(score=None)
        .exists()
    ]
    assert len(compared) >= 3
    assert assessments.filter(parent__isnull=False).exists()
    # Overdue corrective actions of audits, gaps of our own self-assessment.
    actions = CorrectiveAction.objects.filter(organization=org)
    assert actions.filter(status="open", due_on__lt=today, finding__isnull=False).count() >= 2
    assert actions.filter(self_assessment__isnull=False, responsible="ours").exists()
    # Two incidents: the rules engine ran on both; one reportable with deadlines, one closed.
    incidents = Incident.objects.filter(organization=org)
    assert incidents.count() == 2
    reportable = incidents.get(cause="malware")
    assert reportable.assessment["reportable"] is True and reportable.final_due is not None
    assert reportable.tasks.filter(done_at__isnull=False).exists() and reportable.tasks.filter(done_at=None)
    closed = incidents.get(cause="misdirected_email")
    assert closed.state == "closed" and closed.assessment["reportable"] is False
    assert closed.scan_summary["individuals"] == 38
    assert all(verify_timeline(i) is None for i in incidents)
    # The trail of the sample is intact and tells that it was seeded.
    assert verify([org]) == []
    assert TrailEntry.objects.filter(organization=org, actor_label__startswith="demo:").count() > 50


def test_no_mail_or_reminder_is_left_for_the_fictitious_addresses(demo):
    assert not MailLog.objects.filter(organization=demo.org, status=MailStatus.QUEUED).exists()
    assert not Recipient.objects.filter(organization=demo.org, next_reminder_at__isnull=False).exists()
    emails = Recipient.objects.filter(organization=demo.org).exclude(email="").values_list("email", flat=True)
    assert emails and all(e.endswith(".example.jp") for e in emails)


def content(org) -> dict:
    """What the organization holds, without identifiers, hashes, tokens and recording times."""
    skip = {"id", "uuid", "organization", "lookup", "nonce", "token_hash", "key_hash", "hash", "prev_hash"}
    skip |= {"timeline_head", "trail_head"}  # hashes over the recording times
    out = {}
    for model in org_models():
        if model is TrailEntry:
            continue
        rows = []
        for obj in model.objects.filter(organization=org).order_by("pk"):
            row = {}
            for f in model._meta.concrete_fields:
                if f.name in skip or isinstance(f, models.DateTimeField | models.FileField):
                    continue
                value = f.value_from_object(obj)
                if f.is_relation and value is not None:
                    value = str(getattr(obj, f.name))
                row[f.name] = value
            rows.append(row)
        out[model._meta.label] = rows
    return out


@pytest.mark.django_db
def test_same_day_same_content_and_dates_follow_today():
    first = content(seed_demo(today=TODAY))
    second_org = seed_demo(today=TODAY)
    assert content(second_org) == first
    assert Organization.objects.filter(name__endswith=SAMPLE_SUFFIX).count() == 2  # always a new one
    # A day far from the clock: every date moves with it.
    later = seed_demo(today=dt.date(2031, 3, 10))
    due = sorted(Assessment.objects.filter(organization=later).values_list("due_on", flat=True))
    assert due == sorted(
        d + (dt.date(2031, 3, 10) - TODAY)
        for d in Assessment.objects.filter(organization=second_org).values_list("due_on", flat=True)
    )


@pytest.mark.django_db
def test_seeding_leaves_another_organization_untouched(tenancy):
    Vendor.objects.create(organization=tenancy.org, name="株式会社本物")
    before = content(tenancy.org)
    org_before = Organization.objects.filter(pk=tenancy.org.pk).values().get()
    trail_before = TrailEntry.objects.filter(organization=tenancy.org).count()
    sample = seed_demo(today=TODAY, owner=tenancy.owner, name="株式会社アルファ")
    assert sample.pk != tenancy.org.pk and sample.name == "株式会社アルファ" + SAMPLE_SUFFIX
    assert content(tenancy.org) == before
    assert Organization.objects.filter(pk=tenancy.org.pk).values().get() == org_before
    assert TrailEntry.objects.filter(organization=tenancy.org).count() == trail_before
    # The owner now has both; the real one keeps only its own vendor.
    assert set(Membership.objects.filter(user=tenancy.owner).values_list("organization_id", flat=True)) == {
        tenancy.org.pk,
        sample.pk,
    }
    assert list(Vendor.objects.filter(organization=tenancy.org).values_list("name", flat=True)) == [
        "株式会社本物"
    ]


def test_every_role_sees_the_sample(demo):
    for role, user in demo.users.items():
        page = demo.client(user).get("/").content.decode()
        assert demo.org.name in page, role
        assert Membership.objects.get(organization=demo.org, user=user).role == role


@pytest.mark.django_db
def test_cli_demo_creates_the_user_or_reuses_an_existing_one(monkeypatch, capsys, client):
    monkeypatch.setenv("MAMORI_ADMIN_PASSWORD", "long-enough-pass-99")
    assert cli.main(["demo", "--email", "Try@Example.jp"]) == 0
    out = capsys.readouterr().out
    user = User.objects.get(email="try@example.jp")
    sample = Membership.objects.get(user=user, role=Role.OWNER).organization
    assert sample.name.endswith(SAMPLE_SUFFIX) and sample.name in out and "http" in out
    assert Vendor.objects.filter(organization=sample).count() >= 6
    assert client.login(username="try@example.jp", password="long-enough-pass-99")
    # An existing user becomes owner of a second sample; the password is not asked again.
    monkeypatch.delenv("MAMORI_ADMIN_PASSWORD")
    assert cli.main(["demo", "--email", "try@example.jp"]) == 0
    assert Membership.objects.filter(user=user, role=Role.OWNER).count() == 2
    assert "Created the user" not in capsys.readouterr().out


@pytest.mark.django_db
def test_cli_demo_takes_the_password_option_and_refuses_a_weak_one(monkeypatch, capsys):
    monkeypatch.delenv("MAMORI_ADMIN_PASSWORD", raising=False)
    assert cli.main(["demo", "--email", "weak@example.jp", "--password", "123"]) == 1
    assert "too weak" in capsys.readouterr().err
    assert not User.objects.filter(email="weak@example.jp").exists()
    assert not Organization.objects.exists()
    assert cli.main(["demo", "--email", "good@example.jp", "--password", "long-enough-pass-99"]) == 0
    assert User.objects.get(email="good@example.jp").check_password("long-enough-pass-99")


SETUP = {
    "organization": "株式会社守り",
    "name": "山田 花子",
    "email": "hanako@example.jp",
    "password1": "long-enough-pass-99",
    "password2": "long-enough-pass-99",
}


@pytest.mark.django_db
def test_setup_page_offers_sample_data_beside_the_real_organization(client):
    page = client.get(reverse("web:setup")).content.decode()
    assert "サンプルデータで試す" in page
    response = client.post(reverse("web:setup"), {**SETUP, "sample": "1"}, follow=True)
    user = User.objects.get(email="hanako@example.jp")
    orgs = {m.organization.name: m for m in Membership.objects.filter(user=user)}
    assert set(orgs) == {"株式会社守り", "株式会社さくら通販（サンプル）"}
    assert all(m.role == Role.OWNER for m in orgs.values())
    # Signed in to the sample first; the real organization is empty.
    sample = orgs["株式会社さくら通販（サンプル）"].organization
    assert client.session[SESSION_KEY] == sample.pk
    assert "架空" in response.content.decode()
    assert not Vendor.objects.filter(organization=orgs["株式会社守り"].organization).exists()
    assert client.get(reverse("web:setup")).status_code == 404


@pytest.mark.django_db
def test_setup_without_sample_creates_no_sample(client):
    client.post(reverse("web:setup"), SETUP)
    assert list(Organization.objects.values_list("name", flat=True)) == ["株式会社守り"]


def test_a_signed_in_user_can_add_a_sample_organization(tenancy):
    client = tenancy.client(tenancy.owner)
    assert "サンプル組織を作成" in client.get(reverse("accounts:organization_new")).content.decode()
    response = client.post(reverse("accounts:organization_sample"))
    assert response.status_code == 302
    sample = Organization.objects.get(name__endswith=SAMPLE_SUFFIX)
    assert client.session[SESSION_KEY] == sample.pk
    assert Membership.objects.get(organization=sample, user=tenancy.owner).role == Role.OWNER
    assert not Membership.objects.filter(organization=sample, user=tenancy.colleague).exists()
    assert client.get(reverse("accounts:organization_sample")).status_code == 405
