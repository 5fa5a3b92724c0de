"""Check sheets in real life, the gaps left open: deadlines through the API, the requester's mail in
the mail log, 中項目/No. shown to the vendor, conditional questions in Excel, confirming pre-filled
answers at once, the company's own answer symbols on the portal."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, MailLog, State
from mamori.platform.trail.services import Actor
from tests.test_checksheets import send_one, setup  # noqa: F401  (the fixture)
from tests.test_checksheets_real_life import answer_all

pytestmark = pytest.mark.django_db


def api(tenancy, user=None, org=None):
    token = tenancy.token(user or tenancy.owner, org or tenancy.org)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- 1. Deadlines and the open-sheet warning through the API ------------------------------------


def test_api_extends_the_due_date_of_an_expired_sheet(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup, due_days=1)
    r = a.recipients.get(email="hanako@vendor.example")
    Assessment.objects.filter(pk=a.pk).update(state=State.EXPIRED)
    new_due = timezone.localdate() + dt.timedelta(days=45)
    response = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/due",
        {"due_on": new_due.isoformat()},
        content_type="application/json",
        **api(tenancy),
    )
    assert response.status_code == 200, response.content
    assert response.json()["due_on"] == new_due.isoformat() and response.json()["state"] == "sent"
    r.refresh_from_db()
    assert r.expires_at.date() > new_due
    # A date in the past is a bad field (422, in Japanese); a submitted sheet is refused (409).
    past = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/due",
        {"due_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
        content_type="application/json",
        **api(tenancy),
    )
    assert past.status_code == 422 and "過去" in past.json()["detail"]
    answer_all(r)
    actions.submit(r)
    refused = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/due",
        {"due_on": new_due.isoformat()},
        content_type="application/json",
        **api(tenancy),
    )
    assert refused.status_code == 409 and "期限を延長" in refused.json()["detail"]


def test_api_reopens_an_approved_sheet_as_a_new_round(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    new_due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    early = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/reopen",
        {"due_on": new_due},
        content_type="application/json",
        **api(tenancy),
    )
    assert early.status_code == 409 and "再開" in early.json()["detail"]  # still open: nothing to reopen
    answer_all(r)
    actions.submit(r)
    a.refresh_from_db()
    actions.review(a, approve=True, comments={}, actor=Actor(user=tenancy.owner))
    response = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/reopen",
        {"due_on": new_due},
        content_type="application/json",
        **api(tenancy),
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "returned"
    a.refresh_from_db()
    assert a.round == 2 and a.submissions.count() == 1  # the first round is kept
    viewer = client.post(
        f"/api/v1/checksheets/assessments/{a.uuid}/reopen",
        {"due_on": new_due},
        content_type="application/json",
        **api(tenancy, tenancy.colleague),
    )
    assert viewer.status_code == 403


def test_api_reminds_every_overdue_sheet(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    Assessment.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    mail.outbox.clear()
    response = client.post("/api/v1/checksheets/assessments/remind-overdue", **api(tenancy))
    assert response.status_code == 200, response.content
    assert response.json() == {"sheets": 1, "mails": 1}
    assert [m.to for m in mail.outbox] == [["hanako@vendor.example"]]
    assert MailLog.objects.filter(assessment=a, kind="overdue").count() == 1
    # Another organization's call reminds none of these.
    mail.outbox.clear()
    other = client.post(
        "/api/v1/checksheets/assessments/remind-overdue", **api(tenancy, tenancy.outsider, tenancy.other_org)
    )
    assert other.json() == {"sheets": 0, "mails": 0} and mail.outbox == []


def test_api_refuses_another_organization_s_sheet(setup, client):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup, due_days=1)
    Assessment.objects.filter(pk=a.pk).update(state=State.EXPIRED)
    outsider = api(tenancy, tenancy.outsider, tenancy.other_org)
    new_due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    for op in ("due", "reopen"):
        response = client.post(
            f"/api/v1/checksheets/assessments/{a.uuid}/{op}",
            {"due_on": new_due},
            content_type="application/json",
            **outsider,
        )
        assert response.status_code == 404, op
    a.refresh_from_db()
    assert a.state == State.EXPIRED and a.due_on < timezone.localdate() + dt.timedelta(days=2)


def test_api_warns_before_sending_to_a_vendor_with_an_open_sheet(setup, client):  # noqa: F811
    tenancy, vendor, version = setup
    send_one(setup)
    body = {
        "template": str(version.template.uuid),
        "vendors": [str(vendor.uuid)],
        "due_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
    }
    refused = client.post(
        "/api/v1/checksheets/assessments", body, content_type="application/json", **api(tenancy)
    )
    assert refused.status_code == 409 and "株式会社発送代行" in refused.json()["detail"]
    assert Assessment.objects.filter(vendor=vendor).count() == 1
    sent = client.post(
        "/api/v1/checksheets/assessments",
        {**body, "confirm_open": True},
        content_type="application/json",
        **api(tenancy),
    )
    assert sent.status_code == 201
    assert Assessment.objects.filter(vendor=vendor).count() == 2


def test_the_new_routes_are_documented_with_their_refusals(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for path in (
        "/api/v1/checksheets/assessments/{uuid}/due",
        "/api/v1/checksheets/assessments/{uuid}/reopen",
    ):
        assert {"200", "404", "409", "422"} <= set(paths[path]["post"]["responses"]), path
    assert "409" in paths["/api/v1/checksheets/assessments"]["post"]["responses"]
    assert "200" in paths["/api/v1/checksheets/assessments/remind-overdue"]["post"]["responses"]


# --- 2. The requester's mail goes through the mail log ------------------------------------------


def test_the_requester_s_mail_is_in_the_mail_log_and_sent_once(setup):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r)
    mail.outbox.clear()
    actions.submit(r)
    [logged] = MailLog.objects.filter(assessment=a, kind="submitted")
    assert logged.address == tenancy.owner.email and logged.recipient is None
    assert logged.status == "sent" and logged.sent_at is not None
    told = [m for m in mail.outbox if tenancy.owner.email in m.to]
    assert len(told) == 1
    assert "提出" in told[0].subject and "株式会社発送代行" in told[0].subject
    assert f"/checksheets/{a.uuid}/" in told[0].body
    # Delivered once: the queued task run again sends nothing more.
    assert actions.deliver_mail.call(logged.id) == "skipped"
    assert len([m for m in mail.outbox if tenancy.owner.email in m.to]) == 1
    # The staff page lists it in the sheet's mail log, to the requester's address.
    page = tenancy.client(tenancy.owner).get(f"/checksheets/{a.uuid}/").content.decode()
    log = page.split('id="mail-log"', 1)[1].split("</table>", 1)[0]
    assert tenancy.owner.email in log and "提出（依頼者へ）" in log


# --- 3. 中項目 and No. of an imported sheet, shown to the vendor ---------------------------------


def imported_sheet(tenancy, vendor):
    """The company's own sheet (tests.company_sheet), imported as it is and sent to the vendor."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mamori.checksheets import template_import
    from mamori.core.checksheets import sheet_import
    from tests.company_sheet import company_workbook

    book = template_import.read_book(SimpleUploadedFile("company.xlsx", company_workbook()))
    version = template_import.save(
        tenancy.org, Actor(user=tenancy.owner), sheet_import.preview(book), "自社シート"
    )
    [a] = actions.send(
        org=tenancy.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    return a, a.recipients.get(email="hanako@vendor.example")


def test_the_portal_shows_subsection_and_number(setup):  # noqa: F811
    from django.test import Client

    tenancy, vendor, _version = setup
    a, r = imported_sheet(tenancy, vendor)
    first = a.version.structure["sections"][0]["questions"][0]
    assert first["subsection"] == "規程" and first["number"] == "1"
    html = Client().get(f"/p/{r.token}/").content.decode()
    assert html.count('<h3 class="subsection">規程</h3>') == 1  # once, above its first question
    assert '<h3 class="subsection">体制</h3>' in html
    block = html.split(f'id="q-{first["key"]}"', 1)[1].split('class="question', 1)[0]
    assert '<span class="q-number">No.1</span>' in block and "個人情報の取扱規程" in block
    assert 'class="status"' in html  # where .save-status lands after a save
    assert 'id="submit-button"' in html


def test_the_vendor_s_excel_shows_subsection_and_number_and_still_reads_back(setup):  # noqa: F811
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from openpyxl import load_workbook

    tenancy, vendor, _version = setup
    a, r = imported_sheet(tenancy, vendor)
    client = Client()
    wb = load_workbook(io.BytesIO(client.get(f"/p/{r.token}/excel/").content))
    ws = wb.active
    first = [c.value for c in ws[2]]
    assert first[2] == "【規程】\nNo.1　個人情報の取扱規程を定め、従業者に周知していますか。"
    ws.cell(row=2, column=6, value="○")
    ws.cell(row=3, column=6, value="×")
    out = io.BytesIO()
    wb.save(out)
    client.post(f"/p/{r.token}/excel/upload/", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())})
    keys = [q["key"] for q in a.version.structure["sections"][0]["questions"][:2]]
    values = {x.question: x.value for x in a.answers.all()}
    assert [values.get(k) for k in keys] == ["yes", "no"]


# --- 4. Conditional questions in the template's Excel and the vendor's ------------------------


def conditional_template(tenancy):
    """The short built-in sheet with one question asked only when the first is はい."""
    import copy

    from mamori.checksheets.models import Template

    short = Template.objects.get(organization=tenancy.org, builtin_key="short")
    structure = copy.deepcopy(short.current.structure)
    qs = structure["sections"][0]["questions"]
    qs[1]["show_if"] = {"question": qs[0]["key"], "value": "yes"}
    return short, actions.add_version(short, structure, Actor(user=tenancy.owner)), qs[0], qs[1]


def test_the_template_excel_carries_the_condition_and_both_importers_read_it(setup):  # noqa: F811
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from mamori.checksheets import template_import
    from mamori.core.checksheets import sheet_import
    from mamori.core.checksheets.structure import question_map

    tenancy = setup[0]
    template, version, source, conditional = conditional_template(tenancy)
    staff = tenancy.client(tenancy.owner)
    data = staff.get(f"/checksheets/templates/{template.uuid}/export.xlsx").content
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header[-1] == "表示条件"
    cells = {row[8]: row[9] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert cells[conditional["key"]] == f"{source['key']}=はい" and not cells[source["key"]]
    # The company-sheet importer maps the column by its name and reads the condition back …
    p = sheet_import.preview(template_import.read_book(SimpleUploadedFile("t.xlsx", data)))
    assert p.errors == [] and "condition" in p.mapping
    back = question_map(sheet_import.saved_structure(p.structure))
    assert back[conditional["key"]]["show_if"] == {"question": source["key"], "value": "yes"}
    assert sum(1 for q in back.values() if q.get("show_if")) == 1
    # … and so does the plain re-upload on the template page (a new version).
    staff.post(
        f"/checksheets/templates/{template.uuid}/",
        {"file": SimpleUploadedFile("t.xlsx", data)},
    )
    newest = question_map(template.current.structure)
    assert template.current.number == version.number + 1
    assert newest[conditional["key"]]["show_if"] == {"question": source["key"], "value": "yes"}


def test_a_condition_naming_no_earlier_question_is_refused_in_japanese():
    from mamori.core.checksheets import sheet_import

    earlier = [{"key": "q1", "number": "3", "type": "ynp"}]
    assert sheet_import.parse_condition("q1=はい", earlier) == {"question": "q1", "value": "yes"}
    assert sheet_import.parse_condition("No.3 が ○", earlier) == {"question": "q1", "value": "yes"}
    assert sheet_import.parse_condition("設問3=いいえ の場合のみ", earlier) == {
        "question": "q1",
        "value": "no",
    }
    assert sheet_import.parse_condition("q9=はい", earlier) is None
    assert sheet_import.parse_condition("q1=たぶん", earlier) is None


def test_the_vendor_s_excel_marks_conditional_questions_and_ignores_unasked_answers(setup):  # noqa: F811
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from openpyxl import load_workbook

    tenancy, vendor, _version = setup
    _template, version, source, conditional = conditional_template(tenancy)
    [a] = actions.send(
        org=tenancy.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    r = a.recipients.get(email="hanako@vendor.example")
    client = Client()

    def upload(fill: dict[str, str]):
        wb = load_workbook(io.BytesIO(client.get(f"/p/{r.token}/excel/").content))
        ws = wb.active
        rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
        for key, shown in fill.items():
            rows[key][5].value = shown
        out = io.BytesIO()
        wb.save(out)
        page = client.post(
            f"/p/{r.token}/excel/upload/", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())}, follow=True
        )
        return rows, page.content.decode()

    rows, _page = upload({})
    assert rows[conditional["key"]][2].value.endswith(
        f"（設問キー {source['key']} が「はい」の場合のみ回答）"
    )
    assert "の場合のみ" not in rows[source["key"]][2].value
    # いいえ to the first question: the answer to the conditional one is not asked, so not read.
    _rows, page = upload({source["key"]: "いいえ", conditional["key"]: "はい"})
    values = {x.question: x.value for x in a.answers.all()}
    assert values == {source["key"]: "no"}
    assert "条件付きの設問 1 問" in page
    # はい to the first: now it is read.
    upload({source["key"]: "はい", conditional["key"]: "一部"})
    values = {x.question: x.value for x in a.answers.all()}
    assert values == {source["key"]: "yes", conditional["key"]: "partial"}


# --- 5. Confirm every pre-filled answer at once ------------------------------------------------


def test_confirm_all_pre_filled_answers_with_one_button(setup):  # noqa: F811
    from django.test import Client

    from mamori.core.checksheets.builtin import SHORT_KEYS
    from mamori.platform.trail.models import TrailEntry

    tenancy, vendor, version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r, no=("p1",))
    actions.submit(r)
    [b] = actions.send(
        org=tenancy.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=30),
        actor=Actor(user=tenancy.owner),
        prefill=True,
    )
    rb = b.recipients.get(email="hanako@vendor.example")
    vendor_side = Client()
    page = vendor_side.get(f"/p/{rb.token}/").content.decode()
    assert 'id="confirm-all-prefilled"' in page and "事前入力の回答をすべて確認" in page
    assert "前回の回答が 15 問に入力されています" in page
    assert 'id="progress-text">0 / 15<' in page
    before = TrailEntry.objects.filter(organization=tenancy.org).count()
    page = vendor_side.post(f"/p/{rb.token}/confirm-prefilled/", follow=True).content.decode()
    assert f"前回の回答 {len(SHORT_KEYS)} 問をそのまま確認しました" in page
    assert 'id="progress-text">15 / 15<' in page and 'id="confirm-all-prefilled"' not in page
    assert not b.answers.filter(prefilled=True).exists()
    assert b.answers.get(question="p1").value == "no"  # kept as last year, not changed
    assert TrailEntry.objects.filter(organization=tenancy.org).count() > before  # through the trail
    actions.submit(rb)
    b.refresh_from_db()
    assert b.state == State.SUBMITTED and b.answers.get(question="p1").updated_by == rb


def test_confirm_all_is_refused_once_submitted(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r)
    actions.submit(r)
    with pytest.raises(actions.ChecksheetError, match="提出済み"):
        actions.confirm_prefilled(r)


# --- 6. The company's own answer symbols beside the words --------------------------------------


def test_the_portal_shows_the_company_s_symbols_beside_the_labels(setup):  # noqa: F811
    from django.test import Client

    tenancy, vendor, _version = setup
    a, r = imported_sheet(tenancy, vendor)
    assert a.version.structure["answer_symbols"] == {"yes": "○", "partial": "△", "no": "×", "na": "－"}
    html = Client().get(f"/p/{r.token}/").content.decode()
    first = a.version.structure["sections"][0]["questions"][0]["key"]
    block = html.split(f'id="q-{first}"', 1)[1].split('class="question', 1)[0]
    for symbol, label in (("○", "はい"), ("△", "一部"), ("×", "いいえ"), ("－", "該当なし")):
        assert f'<span class="symbol">{symbol}</span> {label}</label>' in block
    # A built-in sheet asks with the words alone.
    plain = send_one(setup)
    html = Client().get(f"/p/{plain.recipients.get(email='hanako@vendor.example').token}/").content.decode()
    assert 'class="symbol"' not in html and "> はい</label>" in html


def test_an_edited_imported_sheet_keeps_its_symbols_subsection_and_number(setup):  # noqa: F811
    from mamori.checksheets.actions import editor
    from mamori.checksheets.actions.editor import editor_rows
    from tests.test_checksheets_real_life import editor_post

    tenancy, vendor, _version = setup
    a, _r = imported_sheet(tenancy, vendor)
    structure = editor.structure_from_editor(
        QueryDict(urlencode(editor_post(editor_rows(a.version.structure)), doseq=True)), a.version.structure
    )
    assert structure["answer_symbols"]["yes"] == "○"
    first = structure["sections"][0]["questions"][0]
    assert first["subsection"] == "規程" and first["number"] == "1"
