"""Every registered page and API route, walked by a user of another organization.

Routes are read from Django's URL resolver, so a new route is covered the day it is added:
for each route with identifiers in its path, every identifier of every object of the victim
organization is tried by the outsider (GET and POST) and must answer 403, 404 or 405, with
nothing changed; the same route must work for the victim organization's owner with one of those
identifiers (otherwise the route's object is not created below: add it to ``populate``).
Routes without identifiers must not show the victim's data to the outsider.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from mamori.answerlib.sample import sample as answer_library_sample
from mamori.audits import actions as audit_actions
from mamori.audits.models import (
    Audit,
    AuditFile,
    CorrectiveAction,
    DigestLog,
    Employee,
    Finding,
    SelfAssessment,
    TrainingSession,
)
from mamori.checksheets import actions as checksheet_actions
from mamori.checksheets.models import Comment, Submission, Template
from mamori.incidents import actions as incident_actions
from mamori.incidents.models import DocumentTemplate, Incident, ReporterProfile
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy import actions as tenancy_actions
from mamori.platform.tenancy.models import Organization, OrgOwned, Role
from mamori.platform.trail.services import Actor
from mamori.platform.web.models import FileJob
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor, VendorContact
from tests import routes
from tests.routes import fill, has_identifier, is_token_route, likely_first, org_ids

DENIED = {403, 404, 405}
# JSON bodies for API POST routes that need one (by path suffix).
API_BODIES = {
    "/review": {"decision": "approve"},
    "/due": {"due_on": "2099-12-31"},  # check sheets: extend the due date, reopen
    "/reopen": {"due_on": "2099-12-31"},
}


def walk():
    return ((route, name) for route, name, _view in routes.walk())


def populate(t) -> None:
    """One object of every kind in the victim organization (extend as apps add models)."""
    actor = Actor(user=t.owner, via="test")
    tenancy_actions.invite(org=t.org, email="invitee@example.jp", role=Role.EDITOR, actor=actor)
    t.token(t.owner, t.org)
    org = t.org
    asset = DataAsset.objects.create(organization=org, name="被害者の台帳", items=["person_name"])
    vendor = Vendor.objects.create(organization=org, name="被害者の委託先")
    sub = Vendor.objects.create(organization=org, name="被害者の再委託先")
    VendorContact.objects.create(organization=org, vendor=vendor, name="担当 一郎", email="tanto@example.jp")
    Certification.objects.create(organization=org, vendor=vendor, kind="pmark", number="1234")
    parent = Entrustment.objects.create(organization=org, vendor=vendor, data_asset=asset)
    Entrustment.objects.create(organization=org, vendor=sub, data_asset=asset, parent=parent)
    contract = Contract(organization=org, vendor=vendor, title="被害者の契約")
    contract.document.save("c.txt", ContentFile(b"secret contract"), save=False)
    contract.document_name = "c.txt"
    contract.save()
    checksheet_actions.ensure_builtin(org)
    VendorContact.objects.create(organization=org, vendor=sub, name="再委託 担当", email="sub@example.jp")
    version = Template.objects.filter(organization=org, builtin_key="short").get().current
    [assessment] = checksheet_actions.send(
        org=org, version=version, vendors=[vendor], due_on=dt.date(2099, 1, 1), actor=actor
    )
    recipient = assessment.recipients.get()
    checksheet_actions.save_answer(recipient, "p1", value="yes")
    checksheet_actions.add_evidence(recipient, "p1", SimpleUploadedFile("e.pdf", b"%PDF-1"))
    Comment.objects.create(organization=org, assessment=assessment, question="p1", text="被害者のコメント")
    Submission.objects.create(
        organization=org, assessment=assessment, round=1, answers={"p1": {"value": "yes"}}
    )
    checksheet_actions.settings_for(org)
    incident = Incident.objects.create(
        organization=org, title="被害者の事案", aware_on=dt.date(2026, 4, 28), individuals=2000, vendor=vendor
    )
    incident_actions.reassess(incident, actor)
    ReporterProfile.objects.create(organization=org, name="被害者株式会社")
    incident_actions.append(
        incident, actor, "note", "被害者のメモ", upload=SimpleUploadedFile("n.txt", b"note")
    )
    DocumentTemplate.objects.create(organization=org, kind="qa", body="被害者の文面")
    FileJob.objects.create(
        organization=org, kind="ledger.from_file", file_name="被害者の名簿.csv", user=t.owner, state="failed"
    )
    audit = Audit.objects.create(
        organization=org, vendor=vendor, performed_on=dt.date(2026, 5, 1), auditors="被害者の監査人"
    )
    finding = Finding.objects.create(organization=org, audit=audit, description="被害者の指摘")
    action = CorrectiveAction.objects.create(organization=org, finding=finding, what="被害者の是正")
    file = AuditFile(organization=org, audit=audit, action=action, name="a.pdf", sha256="0" * 64)
    file.file.save("a.pdf", ContentFile(b"%PDF"), save=False)
    file.save()
    audit_actions.plan_for(org)
    sa = SelfAssessment.objects.create(organization=org, year=2026, version=audit_actions.self_version(org))
    CorrectiveAction.objects.create(organization=org, self_assessment=sa, what="被害者の自己点検の是正")
    session = TrainingSession.objects.create(
        organization=org, held_on=dt.date(2026, 6, 1), topic="被害者の研修"
    )
    session.attendees.add(t.owner)
    employee = Employee.objects.create(organization=org, number="V001", name="被害者の従業者")
    session.staff.add(employee)
    DigestLog.objects.create(organization=org, user=t.owner, week="2026W01")
    # Issue 18: provision records and purposes, the response plan and drills, the required ★ level.
    from mamori.preparedness import actions as prep_actions
    from mamori.preparedness.models import Drill, PlanContact
    from mamori.provisions.models import DataUse, OptOutNotice, ProvisionRecord, PurposeNotice
    from mamori.standards.models import RequiredStar

    purpose = PurposeNotice.objects.create(organization=org, data_asset=asset, purpose="被害者の利用目的")
    DataUse.objects.create(organization=org, data_asset=asset, description="被害者の利用", purpose=purpose)
    ProvisionRecord.objects.create(
        organization=org,
        direction="providing",
        data_asset=asset,
        basis="consent",
        counterparty="被害者の提供先",
        provided_on=dt.date(2026, 5, 1),
    )
    OptOutNotice.objects.create(organization=org, data_asset=asset, items="氏名")
    plan = prep_actions.plan_for(org)
    PlanContact.objects.create(
        organization=org, plan=plan, role="lawyer", name="被害者の弁護士", phone="03-1111-2222"
    )
    drill = Drill.objects.create(organization=org, title="被害者の訓練", incident=incident)
    prep_actions.generate(drill, actor)
    prep_actions.start(drill, actor)
    prep_actions.finish(drill, {}, ["被害者の訓練の指摘"], actor)
    prep_actions.attach_plan(incident, actor)
    RequiredStar.objects.create(organization=org, entrustment=parent, level=3)
    from mamori.incidents.models import Principal

    Principal.objects.create(organization=org, name="被害者の委託元", email="principal@victim.example.jp")
    answer_library_sample(org, dt.date(2026, 11, 25))  # library answers, evidence, a principal's sheet


def org_state(org: Organization) -> dict:
    state = {"trail_seq": Organization.objects.get(pk=org.pk).trail_seq}
    for model in apps.get_models():
        if issubclass(model, OrgOwned):
            state[model._meta.label] = sorted(
                str(v) for v in model.objects.filter(organization=org).values_list("pk", flat=True)
            )
    return state


@pytest.mark.django_db
def test_outsider_is_denied_every_foreign_object_on_every_route(tenancy):
    populate(tenancy)
    routes = [(r, name) for r, name in walk() if not is_token_route(name)]
    assert any(r.startswith("api/v1/") for r, _ in routes) and len(routes) > 20

    ids = org_ids(tenancy.org)
    # Every model that has a table must have at least one object here, or coverage is partial.
    for model in apps.get_models():
        if issubclass(model, OrgOwned):
            assert model.objects.filter(organization=tenancy.org).exists(), (
                f"populate() lacks a {model.__name__}"
            )

    outsider_token = tenancy.token(tenancy.outsider, tenancy.other_org)
    owner_token = tenancy.token(tenancy.owner, tenancy.org)
    before = org_state(tenancy.org)
    secrets_of_victim = [tenancy.org.name, "被害者の", "tanto@example.jp", *(v for _k, v in ids)]

    clients = {}

    def request(user, token, method, path, data=None):
        # One signed-in client per user (the routes that end a session are not walked).
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = tenancy.client(user)
        if path.startswith("/api/"):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            if method == "post":
                body = (
                    data
                    if data is not None
                    else next((b for suffix, b in API_BODIES.items() if path.endswith(suffix)), {})
                )
                return client.post(path, body, content_type="application/json", **headers)
            return getattr(client, method)(path, **headers)
        return getattr(client, method)(path, data or {})

    param_routes = [(r, n) for r, n in walk() if has_identifier(r) and not is_token_route(n)]
    plain_routes = [(r, n) for r, n in walk() if not has_identifier(r) and not is_token_route(n)]
    assert param_routes, "no route with identifiers found"

    # Each route takes one kind of object: find the identifier that opens it for the victim's owner
    # (GET, else POST, rolled back), so the outsider is then tried with exactly that identifier.
    # 409: found, but the business rule refuses in this state — the route reached the object.
    def opener(route, name):
        for value in likely_first(route, ids):
            for method in ("get", "post"):
                with transaction.atomic():
                    response = request(tenancy.owner, owner_token, method, fill(route, value, name))
                    transaction.set_rollback(True)
                if response.status_code < 400 or response.status_code == 409:
                    return value
        return None

    foreign_body = {"org": ids[0][1], "uuid": ids[0][1], "id": ids[0][1]}
    for kind, value in ids[1:]:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        foreign_body[snake] = value
    foreign_body["parent"] = foreign_body.get("entrustment")

    openers = {}
    for route, name in param_routes:
        openers[route, name] = opener(route, name)
        assert openers[route, name], (
            f"{name}: no object of the victim organization opens this route; extend populate()"
        )
    assert org_state(tenancy.org) == before

    for (route, name), value in openers.items():
        path = fill(route, value, name)
        for method in ("get", "post"):
            response = request(tenancy.outsider, outsider_token, method, path)
            if response.status_code in DENIED:
                continue
            # A request refused before any lookup (e.g. an API body that does not parse) must
            # answer exactly as it does for an identifier that exists nowhere: nothing leaks.
            unknown = request(tenancy.outsider, outsider_token, method, fill(route, str(uuid.uuid4()), name))
            assert response.status_code in (400, 422), (
                f"{name} {method.upper()} {path} -> {response.status_code}"
            )
            assert (response.status_code, response.content) == (unknown.status_code, unknown.content), name

    for route, name in plain_routes:
        if name in {"accounts:logout", "accounts:sign_out_everywhere"}:
            continue
        response = request(tenancy.outsider, outsider_token, "get", fill(route, ""))
        body = response.content.decode("utf-8", "replace")
        for secret in secrets_of_victim:
            assert secret not in body, f"{name} shows the victim's {secret!r} to an outsider"
        # One POST naming a victim's object of every kind by its usual field name (vendor,
        # data_asset, parent …): a create form that accepted a foreign object would change the victim.
        response = request(tenancy.outsider, outsider_token, "post", fill(route, ""), foreign_body)
        assert response.status_code != 500, name

    assert org_state(tenancy.org) == before, "an outsider changed the victim organization"
