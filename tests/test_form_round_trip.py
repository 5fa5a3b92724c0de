"""Every edit page, opened and saved unchanged the way a browser does it, changes nothing.

The edit pages are found in the URL resolver, so a new edit page fails here until it has an
object to open (``BUILDERS``). Each page is parsed with a real HTML parser and submitted the way a
browser serializes a form: only checked checkboxes, the selected options of each select (the first
option when none is selected), textareas with CRLF line breaks, hidden fields with the CSRF token
checked for real. After the post the whole organization's data, including every foreign key and
many-to-many relation, must be what it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import lxml.html
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from mamori.audits.models import Audit, AuditPlan, CorrectiveAction, Employee, Finding, TrainingSession
from mamori.checksheets.models import Settings
from mamori.core.contracts import CLAUSES
from mamori.incidents.models import DocumentTemplate, Incident
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.models import OrgOwned, Role
from mamori.platform.tenancy.objects import run_hooks
from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor, VendorContact
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# --- A realistic organization: every optional field and relation filled -------------------------


def build_round_trip_org():
    """An organization whose objects have every field filled, and a chain of re-subcontracts with
    two unapproved links. Returns (org, owner)."""
    org = OrganizationFactory(name="株式会社まもり商事")
    owner = MembershipFactory(organization=org, role=Role.OWNER, user__name="山田 花子").user
    colleague = MembershipFactory(organization=org, role=Role.EDITOR, user__name="佐藤 一郎").user
    members = DataAsset.objects.create(
        organization=org,
        name="会員名簿",
        description="通販サイトの会員情報。\n退会者を含む。",
        department="営業部",
        items=["person_name", "address", "phone", "email"],
        special_care=["medical_history"],
        other_items="購入履歴",
        individuals=12000,
        individuals_estimated=True,
        purposes="商品の発送\nアフターサービスのご案内",
        disclosure="both",
        storage_kind="cloud",
        storage_location="会員管理クラウド",
        access="営業部員 5 名\n情報システム部の管理者",
        highly_encrypted=True,
        retention="退会後 3 年",
        deletion_rule="年1回、期限を過ぎたものを消去",
        last_reviewed=dt.date(2026, 4, 1),
    )
    staff = DataAsset.objects.create(
        organization=org,
        name="従業員名簿",
        description="人事管理用。",
        department="総務部",
        items=["person_name", "address"],
        special_care=[],
        other_items="社員番号",
        individuals=85,
        individuals_estimated=False,
        purposes="人事労務管理",
        disclosure="notified",
        storage_kind="system",
        storage_location="人事システム",
        access="総務部",
        highly_encrypted=False,
        retention="退職後 5 年",
        deletion_rule="退職後 5 年で消去",
        last_reviewed=dt.date(2026, 3, 15),
    )

    def vendor(name, **kw):
        defaults = {
            "address": "東京都千代田区丸の内1-1-1",
            "services": "発送代行\n問い合わせ窓口",
            "status": "contracted",
            "notes": "年1回チェックシートを送付。",
            "tags": "物流,重要",
        }
        return Vendor.objects.create(organization=org, name=name, **{**defaults, **kw})

    main = vendor("株式会社発送代行", corporate_number="7000012050002")
    printer = vendor("印刷工房株式会社", status="selected", tags="印刷")
    storage = vendor("クラウド保管株式会社", status="considering", tags="クラウド")
    keying = vendor("データ入力センター", status="contracted", tags="入力")
    contact = VendorContact.objects.create(
        organization=org,
        vendor=main,
        name="鈴木 次郎",
        department="情報セキュリティ室",
        email="suzuki@hassou.example.jp",
        phone="03-1234-5678",
    )
    certification = Certification.objects.create(
        organization=org,
        vendor=printer,
        kind="isms",
        number="IS 123456",
        expires_on=dt.date(2027, 3, 31),
        note="本社のみ",
    )

    def entrust(vendor, parent=None, data_asset=members, **kw):
        defaults = {
            "items": ["person_name", "address", "phone"],
            "special_care": ["medical_history"],
            "individuals": 12000,
            "purpose": "商品の発送",
            "access_method": "copies",
            "starts_on": dt.date(2025, 4, 1),
            "ends_on": dt.date(2028, 3, 31),
        }
        return Entrustment.objects.create(
            organization=org, vendor=vendor, data_asset=data_asset, parent=parent, **{**defaults, **kw}
        )

    root = entrust(main, access_method="remote", purpose="商品の発送と問い合わせ対応")
    # A finished, approved re-subcontract: every field filled.
    printing = entrust(
        printer,
        parent=root,
        purpose="宛名ラベルの印刷",
        end_handling="erased",
        end_handled_on=dt.date(2026, 4, 10),
        end_evidence="消去証明書 No.2026-17",
        approved=True,
        approved_on=dt.date(2025, 3, 20),
    )
    # Two re-subcontracts without our approval: the dashboard counts 2.
    entrust(storage, parent=root, purpose="発送データの保管", access_method="hosting")
    entrust(keying, parent=printing, purpose="宛名データの入力", individuals=3000)
    entrust(
        main,
        data_asset=staff,
        items=["person_name"],
        special_care=[],
        individuals=85,
        purpose="給与明細の発送",
    )

    contract = Contract.objects.create(
        organization=org,
        vendor=main,
        title="個人情報の取扱いに関する覚書",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        auto_renewal=True,
        clauses={code: i % 3 != 0 for i, (code, _label, _p) in enumerate(CLAUSES)},
        suggested_clauses=["confidentiality", "subcontracting"],
        document_name="覚書.pdf",
        document_sha256="0" * 64,
    )
    contract.document.save("覚書.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    audit = Audit.objects.create(
        organization=org,
        vendor=main,
        kind="onsite",
        performed_on=dt.date(2026, 2, 10),
        auditors="山田 花子、外部監査人",
        scope="発送センター\n委託データの保管庫",
        evidence_reviewed="入退室記録\n消去記録",
        summary="概ね適切。\n一部是正を要する。",
    )
    finding = Finding.objects.create(
        organization=org,
        audit=audit,
        severity="high",
        description="入退室記録が保存されていない。\n3 か月分欠落。",
        reference="チェックシート Q12",
    )
    action = CorrectiveAction.objects.create(
        organization=org,
        finding=finding,
        what="入退室記録を 1 年保存する",
        responsible="vendor",
        owner="発送代行 鈴木",
        due_on=dt.date(2026, 5, 31),
        status="done",
        closing_evidence="保存規程の改定版",
        done_on=dt.date(2026, 5, 20),
    )
    training = TrainingSession.objects.create(
        organization=org,
        held_on=dt.date(2026, 1, 20),
        topic="個人情報の取扱い研修",
        other_attendees="派遣社員 3 名\nアルバイト 2 名",
        material="研修資料 2026 年版",
    )
    training.attendees.set([owner, colleague])
    employee = Employee.objects.create(
        organization=org, number="A0012", name="派遣 花子", department="物流課", email="hanako@example.jp"
    )
    training.staff.set([employee])
    incident = Incident.objects.create(
        organization=org,
        title="発送データの誤送信",
        description="発送代行先から別の顧客へ会員データを誤送信した。\n相手方は削除済みと回答。",
        leak=True,
        loss=True,
        damage=False,
        suspected=True,
        cause="misdirected_email",
        occurred_on=dt.date(2026, 6, 1),
        discovered_on=dt.date(2026, 6, 2),
        aware_on=dt.date(2026, 6, 3),
        vendor=main,
        items=["address", "email", "person_name", "phone"],
        special_care=["medical_history"],
        individuals=1200,
        individuals_kind="estimate",
        highly_encrypted=False,
        copy_exists=True,
        recovered_before_access=False,
        personal_info_being_acquired=False,
        role="principal",
        vendor_notified_principal=True,
        secondary_damage=True,
        notice_method="郵送",
        notices_sent=1100,
        notices_returned=12,
        alternative_measures="ウェブサイトで公表\n専用窓口を設置",
    )
    incident.data_assets.set([members, staff])
    AuditPlan.objects.create(
        organization=org, high_months=6, high_kind="onsite", medium_months=12, medium_kind="remote"
    )
    Settings.objects.create(organization=org, remind_days_before=10, overdue_every_days=3, grace_days=45)
    DocumentTemplate.objects.create(
        organization=org,
        kind="notice",
        body="{{会社名}}より大切なお知らせ\n\nこのたびは、ご迷惑をおかけし深くお詫び申し上げます。",
    )
    # What saving through the screens computes (inherent risk, assessments, closed findings).
    for obj in (root, printing, contract, certification, contact, action, audit, incident, members):
        run_hooks(obj, deleted=False)
    _issue_18_objects(org, members, incident)
    return org, owner


def _issue_18_objects(org, members, incident) -> None:
    """Provision records and purposes, a drill (mamori.provisions, mamori.preparedness), fields filled."""
    purpose = _model("provisions.PurposeNotice").objects.create(
        organization=org,
        data_asset=members,
        purpose="商品の発送、代金の請求",
        way="published",
        since=dt.date(2024, 4, 1),
        where="https://example.jp/privacy",
        third_party=True,
    )
    _model("provisions.DataUse").objects.create(
        organization=org,
        data_asset=members,
        description="出荷処理",
        purpose=purpose,
        since=dt.date(2024, 5, 1),
    )
    _model("provisions.ProvisionRecord").objects.create(
        organization=org,
        direction="receiving",
        data_asset=members,
        basis="consent",
        counterparty="株式会社提供元",
        counterparty_address="東京都千代田区1-1",
        representative="代表取締役 甲",
        provided_on=dt.date(2026, 5, 1),
        last_provided_on=dt.date(2026, 6, 1),
        method="document",
        subjects="会員番号",
        items="氏名、住所",
        consent_obtained=True,
        acquisition="本人の同意を得て取得\n同意書あり",
        foreign=True,
        purpose=purpose,
        notes="備考\n2行目",
    )
    _model("provisions.OptOutNotice").objects.create(
        organization=org,
        data_asset=members,
        items="氏名",
        acquisition_method="申込書",
        provision_method="郵送",
        stop_request_method="電話",
        notified_on=dt.date(2024, 1, 1),
        where="https://example.jp/optout",
        filed_on=dt.date(2024, 1, 15),
    )
    _model("incidents.Principal").objects.create(
        organization=org,
        name="株式会社委託元",
        department="総務部 鈴木",
        email="suzuki@principal.example.jp",
        phone="03-0000-0000",
        entrusted="会員情報の発送業務\n2行目",
    )
    from mamori.checksheets.actions import ensure_builtin

    ensure_builtin(org)
    _model("preparedness.Drill").objects.create(
        organization=org,
        title="訓練",
        incident=incident,
        held_on=dt.date(2026, 6, 1),
        participants="総務\n情シス",
    )


@pytest.fixture
def round_trip_org(db):
    """(org, owner) of an organization with every kind of object, all fields filled.

    Swap in the demo organization here once it exists: the tests find their objects by query."""
    return build_round_trip_org()


def pick(qs):
    """The first object of the query (by pk), which must exist."""
    obj = qs.order_by("pk").first()
    assert obj is not None, f"the organization has no {qs.model._meta.verbose_name} to open"
    return obj


# Edit route name -> the most complete object of the organization to open in it.
BUILDERS: dict[str, Callable] = {
    "ledger:edit": lambda org: pick(DataAsset.objects.filter(organization=org, has_special_care=True)),
    "vendors:edit": lambda org: pick(Vendor.objects.filter(organization=org).exclude(corporate_number="")),
    "contacts:edit": lambda org: pick(VendorContact.objects.filter(organization=org).exclude(email="")),
    "certifications:edit": lambda org: pick(
        Certification.objects.filter(organization=org, expires_on__isnull=False)
    ),
    "entrustments:edit": lambda org: pick(
        Entrustment.objects.filter(organization=org, parent__isnull=False, approved=True)
    ),
    "contracts:edit": lambda org: pick(Contract.objects.filter(organization=org).exclude(document="")),
    "audits:edit": lambda org: pick(
        Audit.objects.filter(organization=org, findings__isnull=False).distinct()
    ),
    "findings:edit": lambda org: pick(
        Finding.objects.filter(organization=org, actions__isnull=False).distinct()
    ),
    "actions:edit": lambda org: pick(
        CorrectiveAction.objects.filter(organization=org, finding__isnull=False)
    ),
    "employees:edit": lambda org: pick(Employee.objects.filter(organization=org)),
    "training:edit": lambda org: pick(
        TrainingSession.objects.filter(organization=org, attendees__isnull=False).distinct()
    ),
    "incidents:edit": lambda org: pick(
        Incident.objects.filter(organization=org, vendor__isnull=False, data_assets__isnull=False).distinct()
    ),
    "principals:edit": lambda org: pick(_model("incidents.Principal").objects.filter(organization=org)),
    "checksheets:template_edit": lambda org: pick(
        _model("checksheets.Template").objects.filter(organization=org)
    ),
    # Issue 18 (mamori.provisions, mamori.preparedness).
    "provision_records:edit": lambda org: pick(
        _model("provisions.ProvisionRecord").objects.filter(organization=org, purpose__isnull=False)
    ),
    "opt_out_notices:edit": lambda org: pick(
        _model("provisions.OptOutNotice").objects.filter(organization=org)
    ),
    "purpose_notices:edit": lambda org: pick(
        _model("provisions.PurposeNotice").objects.filter(organization=org).exclude(way="")
    ),
    "data_uses:edit": lambda org: pick(
        _model("provisions.DataUse").objects.filter(organization=org, purpose__isnull=False)
    ),
    "drills:edit": lambda org: pick(
        _model("preparedness.Drill").objects.filter(organization=org, incident__isnull=False)
    ),
}


def _model(label: str):
    return apps.get_model(label)


# --- The edit routes, from the URL resolver ------------------------------------------------------


def edit_routes() -> list[tuple[str, str]]:
    """(name, route) of every page route whose name or path says it edits something."""
    found = []

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                walk(p.url_patterns, prefix + str(p.pattern), ns)
                continue
            route = prefix + str(p.pattern)
            name = p.name or ""
            if route.startswith("api/"):
                continue
            if name == "edit" or name.endswith("_edit") or re.search(r"edit/?$", route):
                found.append((f"{namespace}:{name}" if namespace else name, route))

    walk(get_resolver().url_patterns, "", "")
    return sorted(found)


def test_the_resolver_walk_finds_the_edit_pages():
    names = {name for name, _route in edit_routes()}
    assert {"entrustments:edit", "incidents:edit", "ledger:edit", "training:edit"} <= names
    assert len(names) >= 11


# --- A browser's form submission ----------------------------------------------------------------


def _crlf(value: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", value)


def browser_submission(html: str, url: str) -> tuple[str, list[tuple[str, str]]]:
    """(action, name-value pairs) a browser sends when the page's save button is pressed.

    The form is the one holding ``#save-button``, else the page's own post form (one without an
    action elsewhere, so not the language switcher or sign-out). Follows the HTML form-submission
    algorithm for what these pages contain: disabled controls and buttons other than the
    submitter are left out, checkboxes and radios only when checked (value "on" by default), a
    select sends its selected options (a single select with none selected sends its first
    option), a textarea its text without the first line break, and line breaks go out as CRLF.
    A file input with no file chosen sends an empty part, which Django ignores like an absent one.
    """
    doc = lxml.html.document_fromstring(html)
    submitters = doc.xpath('//*[@id="save-button"]')
    if submitters:
        submitter = submitters[0]
        form = next(submitter.iterancestors("form"))
    else:
        own = [
            f
            for f in doc.iter("form")
            if (f.get("method") or "get").lower() == "post" and (f.get("action") or url) == url
        ]
        assert len(own) == 1, f"{url}: {len(own)} forms post to the page itself"
        form = own[0]
        submitter = (
            form.xpath('.//button[not(@type) or @type="submit"]|.//input[@type="submit"]') or [None]
        )[0]
    pairs: list[tuple[str, str]] = []
    for el in form.iter("input", "select", "textarea", "button"):
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if any(fs.get("disabled") is not None for fs in el.iterancestors("fieldset")):
            continue
        if el.tag == "button":
            if el is submitter:
                pairs.append((name, el.get("value", "")))
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if el.get("checked") is not None:
                    pairs.append((name, el.get("value", "on")))
            elif kind in ("submit", "image"):
                if el is submitter:
                    pairs.append((name, el.get("value", "")))
            elif kind in ("reset", "button", "file"):
                continue
            else:
                pairs.append((name, re.sub(r"[\r\n]", "", el.get("value", ""))))
        elif el.tag == "select":
            options = [o for o in el.iter("option") if o.get("disabled") is None]
            selected = [o for o in options if o.get("selected") is not None]
            if el.get("multiple") is None:
                if not selected and options and int(el.get("size") or 1) <= 1:
                    selected = options[:1]
                selected = selected[-1:]
            for o in selected:
                value = o.get("value")
                if value is None:
                    value = " ".join(o.text_content().split())
                pairs.append((name, value))
        else:  # textarea
            text = el.text or ""
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            pairs.append((name, _crlf(text)))
    return form.get("action") or url, pairs


def as_post_data(pairs) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def browser_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def form_errors(html: str) -> list[str]:
    doc = lxml.html.document_fromstring(html)
    errors = [" ".join(e.text_content().split()) for e in doc.xpath('//*[contains(@class, "errorlist")]')]
    errors += [f"{e.get('name')}: aria-invalid" for e in doc.xpath('//*[@aria-invalid="true"]')]
    return errors


def save_as_browser(client, url, change: Callable | None = None):
    """Open the page, serialize its form like a browser (after ``change``), post it back."""
    page = client.get(url)
    assert page.status_code == 200, url
    action, pairs = browser_submission(page.content.decode(), url)
    assert {name for name, _v in pairs} - {"csrfmiddlewaretoken"}, f"{url}: the form sends no field"
    data = as_post_data(pairs)
    if change:
        change(data)
    response = client.post(action, data)
    assert response.status_code == 302, (url, form_errors(response.content.decode()))
    return response


# --- The whole organization's data, by value -----------------------------------------------------


def _value(obj, field):
    if field.is_relation:
        related = getattr(obj, field.name)
        return None if related is None else str(getattr(related, "uuid", related.pk))
    value = field.value_from_object(obj)
    return value.name if hasattr(value, "storage") else value


def row(obj) -> dict:
    """Every concrete field (but save timestamps) and every many-to-many set of one object."""
    data = {f.name: _value(obj, f) for f in obj._meta.concrete_fields if not getattr(f, "auto_now", False)}
    for f in obj._meta.many_to_many:
        data[f.name] = sorted(str(getattr(o, "uuid", o.pk)) for o in getattr(obj, f.name).all())
    return data


def org_state(org) -> dict:
    state = {}
    for model in apps.get_models():
        if not issubclass(model, OrgOwned) or model is TrailEntry:
            continue
        for obj in model.objects.filter(organization=org).order_by("pk"):
            state[f"{model._meta.label}#{obj.pk}"] = row(obj)
    return state


TIMESTAMPS = {"updated_at"}


def changed(before: dict, after: dict) -> dict:
    return {
        k: (before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


# --- The tests -----------------------------------------------------------------------------------


def selected_values(html: str, name: str) -> list[str]:
    doc = lxml.html.document_fromstring(html)
    return [o.get("value") for o in doc.xpath(f'//select[@name="{name}"]//option[@selected]')]


def checked_values(html: str, name: str) -> list[str]:
    doc = lxml.html.document_fromstring(html)
    return [i.get("value") for i in doc.xpath(f'//input[@name="{name}"][@checked]')]


def test_entrustment_edit_page_shows_its_vendor_data_set_and_parent(round_trip_org):
    org, owner = round_trip_org
    e = BUILDERS["entrustments:edit"](org)
    page = browser_client(owner).get(f"/entrustments/{e.uuid}/edit/").content.decode()
    assert selected_values(page, "vendor") == [str(e.vendor.uuid)]
    assert selected_values(page, "data_asset") == [str(e.data_asset.uuid)]
    assert selected_values(page, "parent") == [str(e.parent.uuid)]
    assert sorted(checked_values(page, "items")) == sorted(e.items)
    assert len(checked_values(page, "approved")) == 1  # approved


def test_incident_edit_page_ticks_its_data_sets_and_shows_its_vendor(round_trip_org):
    org, owner = round_trip_org
    incident = BUILDERS["incidents:edit"](org)
    page = browser_client(owner).get(f"/incidents/{incident.uuid}/edit/").content.decode()
    assert sorted(checked_values(page, "data_assets")) == sorted(
        str(a.uuid) for a in incident.data_assets.all()
    )
    assert selected_values(page, "vendor") == [str(incident.vendor.uuid)]
    assert selected_values(page, "secondary_damage") == ["true"]


def test_new_re_subcontract_from_the_chain_link_preselects_its_parent(round_trip_org):
    org, owner = round_trip_org
    parent = BUILDERS["entrustments:edit"](org)
    url = f"/entrustments/new/?parent={parent.uuid}&data_asset={parent.data_asset.uuid}"
    page = browser_client(owner).get(url).content.decode()
    assert selected_values(page, "parent") == [str(parent.uuid)]
    assert selected_values(page, "data_asset") == [str(parent.data_asset.uuid)]


def test_approving_a_re_subcontract_keeps_its_parent_and_the_dashboard_counts_one_less(round_trip_org):
    org, owner = round_trip_org
    e = pick(Entrustment.objects.filter(organization=org, parent__isnull=False, approved=False))
    parent = e.parent
    client = browser_client(owner)
    unapproved = client.get("/").context["unapproved"]
    assert unapproved >= 2

    def approve(data):
        # Tick 承認済み, set the date, and pick the required fields again as a user would.
        data["approved"] = ["on"]
        data["approved_on"] = ["2026-07-01"]
        data["vendor"] = [str(e.vendor.uuid)]
        data["data_asset"] = [str(e.data_asset.uuid)]

    save_as_browser(client, f"/entrustments/{e.uuid}/edit/", approve)
    e.refresh_from_db()
    assert e.approved and e.approved_on == dt.date(2026, 7, 1)
    assert e.parent_id == parent.pk
    assert client.get("/").context["unapproved"] == unapproved - 1


ROUTES = edit_routes()


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[n for n, _r in ROUTES])
def test_edit_page_saved_unchanged_changes_nothing(round_trip_org, name, route):
    org, owner = round_trip_org
    assert name in BUILDERS, f"edit page {route} ({name}) has no object in BUILDERS: add one"
    obj = BUILDERS[name](org)
    assert obj.organization_id == org.pk
    assert_saving_unchanged_changes_nothing(org, owner, reverse(name, kwargs={"uuid": obj.uuid}), obj)


# Pages that edit one object without "edit" in their name, with ordinary ModelForms.
OTHER_EDIT_PAGES: dict[str, Callable] = {
    "audit_plan": lambda org: (reverse("audit_plan"), AuditPlan.objects.get(organization=org)),
    "checksheets:settings": lambda org: (
        reverse("checksheets:settings"),
        Settings.objects.get(organization=org),
    ),
    "incident_wording": lambda org: (
        reverse("incident_wording", args=["notice"]),
        DocumentTemplate.objects.get(organization=org, kind="notice"),
    ),
}


@pytest.mark.parametrize("name", list(OTHER_EDIT_PAGES))
def test_other_edit_page_saved_unchanged_changes_nothing(round_trip_org, name):
    org, owner = round_trip_org
    url, obj = OTHER_EDIT_PAGES[name](org)
    assert_saving_unchanged_changes_nothing(org, owner, url, obj)


def assert_saving_unchanged_changes_nothing(org, owner, url, obj):
    before_obj, before = row(type(obj).objects.get(pk=obj.pk)), org_state(org)
    trail_entries = TrailEntry.objects.filter(organization=org).count()
    save_as_browser(browser_client(owner), url)
    assert changed(before_obj, row(type(obj).objects.get(pk=obj.pk))) == {}
    assert changed(before, org_state(org)) == {}
    # Nothing changed, so the trail records no change of a value (at most a save timestamp).
    for entry in TrailEntry.objects.filter(organization=org).order_by("seq")[trail_entries:]:
        assert set(entry.changes) <= TIMESTAMPS, (entry.object_repr, entry.changes)


def test_every_builder_is_an_edit_page():
    assert set(BUILDERS) <= {name for name, _r in ROUTES}
