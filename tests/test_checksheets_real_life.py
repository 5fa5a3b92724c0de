"""Check sheets in real life (issue 16): every path that could lose or hide a vendor's work, deadlines
people can change, the risk shown truthfully, less work for the requester."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from mamori.audits.models import Audit, Finding
from mamori.checksheets import actions
from mamori.checksheets.models import Assessment, Evidence, MailLog, Recipient, State, Submission
from mamori.core.checksheets.builtin import SHORT_KEYS
from mamori.platform.trail.models import TrailEntry
from mamori.platform.trail.services import Actor
from mamori.risk.rating import refresh_vendor_rating
from mamori.vendors.models import DataAsset, Entrustment, Vendor, VendorContact
from tests.test_checksheets import send_one, setup  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def hx(client: Client, url: str, data: dict):
    return client.post(url, data, HTTP_HX_REQUEST="true")


def answer_all(r: Recipient, *, no: tuple[str, ...] = ()) -> None:
    for key in SHORT_KEYS:
        actions.save_answer(r, key, value="no" if key in no else "yes")


def two_recipients(setup):  # noqa: F811
    a = send_one(setup)
    hanako = a.recipients.get(email="hanako@vendor.example")
    tenancy = setup[0]
    colleague = actions.add_recipient(
        a, name="同僚 太郎", email="taro@vendor.example", actor=Actor(user=tenancy.owner)
    )
    return a, hanako, colleague


# --- 2. Never lose or hide a vendor's work ------------------------------------------------------


def test_a_save_after_a_colleague_submitted_is_refused_next_to_the_question(setup):  # noqa: F811
    a, hanako, colleague = two_recipients(setup)
    answer_all(colleague)
    actions.submit(colleague)
    response = hx(Client(), f"/p/{hanako.token}/answer/p1/", {"value": "no"})
    body = response.content.decode()
    assert response.status_code == 409
    assert 'class="save-error"' in body and "提出済み" in body and "再読み込み" in body
    assert a.answers.get(question="p1").value == "yes"  # the submitted answer stands


def test_a_save_on_a_revoked_or_expired_link_says_what_to_do(setup):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    vendor = Client()
    assert vendor.get(f"/p/{r.token}/").status_code == 200  # the page is open on the phone …
    actions.revoke_link(r, Actor(user=tenancy.owner))  # … when the company revokes the link
    response = hx(vendor, f"/p/{r.token}/answer/p1/", {"value": "yes"})
    assert response.status_code == 410
    assert "リンクは無効" in response.content.decode() and "新しいリンクを依頼" in response.content.decode()
    other = a.recipients.exclude(pk=r.pk).get()
    Recipient.objects.filter(pk=other.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert hx(vendor, f"/p/{other.token}/answer/p1/", {"value": "yes"}).status_code == 410
    # Without htmx the page is still the plain 404 of an unknown link.
    assert vendor.get(f"/p/{other.token}/").status_code == 404
    assert not a.answers.exists()


def test_the_page_carries_the_words_for_a_network_drop():
    """A dropped connection never reaches the server: the page's script says so next to the field."""
    from pathlib import Path

    script = (Path(__file__).parent.parent / "mamori/static/portal.js").read_text()
    assert (
        "htmx:sendError" in script
        and "通信できませんでした" in script
        and "入力内容はこの画面に残っています" in script
    )


def test_progress_updates_with_each_save(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    body = hx(Client(), f"/p/{r.token}/answer/p1/", {"value": "yes"}).content.decode()
    assert re.search(r'id="progress-text" hx-swap-oob="true">1 / 15<', body)
    assert 'data-answered="1"' in body


def excel_of(client, r):
    return load_workbook(io.BytesIO(client.get(f"/p/{r.token}/excel/").content))


def upload(client, r, wb):
    out = io.BytesIO()
    wb.save(out)
    return client.post(f"/p/{r.token}/excel/upload/", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())})


def test_excel_upload_changes_only_filled_cells_and_lists_conflicts(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = Client()
    actions.save_answer(r, "p1", value="yes", remark="方針あり")
    wb = excel_of(client, r)  # downloaded now: p1 はい
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=True):
        # After the download, in the browser: p3 and o1 are answered.
        hx(client, f"/p/{r.token}/answer/p3/", {"value": "yes"})
        hx(client, f"/p/{r.token}/answer/o1/", {"value": "partial"})
        ws = wb.active
        rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
        rows["o1"][5].value = "×"  # changed in Excel too, differently: a conflict
        rows["o3"][5].value = "○"  # ○/△/× are accepted
        # p3 left empty in Excel: the browser's answer stays.
        response = upload(client, r, wb)
    body = response.content.decode()
    answers = {x.question: x for x in a.answers.all()}
    assert answers["p1"].value == "yes" and answers["p1"].remark == "方針あり"  # untouched in Excel
    assert answers["p3"].value == "yes"  # empty cell: not wiped
    assert answers["o3"].value == "yes"  # filled in Excel
    assert answers["o1"].value == "partial"  # not overwritten …
    assert 'id="conflict-o1"' in body and "一部" in body and "いいえ" in body  # … but offered
    payload = re.search(r'name="excel_o1" value="([^"]*)"', body).group(1).replace("&quot;", '"')
    client.post(f"/p/{r.token}/excel/resolve/", {"key": "o1", "use_o1": "excel", "excel_o1": payload})
    assert a.answers.get(question="o1").value == "no"  # the vendor chose Excel's


def test_remarks_that_look_like_formulas_are_text_in_the_vendors_excel(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    for i, start in enumerate("=+-@"):
        actions.save_answer(r, SHORT_KEYS[i], value="yes", remark=f'{start}HYPERLINK("http://evil","x")')
    content = Client().get(f"/p/{r.token}/excel/").content
    ws = load_workbook(io.BytesIO(content)).active
    remarks = [row[7] for row in ws.iter_rows(min_row=2, max_row=5)]
    assert all(c.data_type == "s" and c.quotePrefix for c in remarks)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_every_round_is_kept_and_the_reviewer_sees_the_difference(setup):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r, no=("t2",))
    actions.submit(r)
    actions.review(a, approve=False, comments={"t2": "多要素認証は？"}, actor=Actor(user=tenancy.owner))
    actions.save_answer(r, "t2", value="yes")
    actions.submit(r)
    first, second = Submission.objects.filter(assessment=a).order_by("round")
    assert first.answers["t2"]["value"] == "no" and second.answers["t2"]["value"] == "yes"
    page = tenancy.client(tenancy.owner).get(f"/checksheets/{a.uuid}/").content.decode()
    assert re.search(r'earlier-round">第1回: いいえ', page)
    # Each change of the answer is in the trail, as the vendor's contact.
    changes = TrailEntry.objects.filter(object_type="checksheets.answer", actor_label__contains="hanako")
    assert changes.count() >= len(SHORT_KEYS) + 1


def test_evidence_is_checked_by_content_and_can_be_withdrawn_before_submitting(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    client = Client()
    exe = SimpleUploadedFile("規程.pdf", b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode")
    page = client.post(f"/p/{r.token}/evidence/p1/", {"file": exe}, follow=True).content.decode()
    assert not a.evidence.exists() and "PDFファイルではない" in page
    # The message stands next to the question, not at the top of the page.
    question = page[page.index('id="q-p1"') :]
    assert "PDFファイルではない" in question[: question.index('id="q-p3"')]
    fake_docx = SimpleUploadedFile("手順.docx", b"PK\x03\x04" + b"\x00" * 40)
    client.post(f"/p/{r.token}/evidence/p1/", {"file": fake_docx})
    script = SimpleUploadedFile("メモ.txt", b"\x7fELF\x02\x01\x01")
    client.post(f"/p/{r.token}/evidence/p1/", {"file": script})
    assert not a.evidence.exists()
    client.post(f"/p/{r.token}/evidence/p1/", {"file": SimpleUploadedFile("規程.pdf", b"%PDF-1.7 policy")})
    client.post(
        f"/p/{r.token}/evidence/p1/", {"file": SimpleUploadedFile("体制.txt", "責任者：山田".encode())}
    )
    wrong, kept = a.evidence.order_by("name")  # 体制.txt, 規程.pdf
    client.post(f"/p/{r.token}/files/{wrong.uuid}/withdraw/")
    wrong.refresh_from_db()
    assert wrong.withdrawn_at is not None  # ended, not deleted
    assert actions.answers_dict(a)["p1"]["files"] == 1
    page = client.get(f"/p/{r.token}/").content.decode()
    assert f"/files/{wrong.uuid}/" not in page and f"/files/{kept.uuid}/" in page
    answer_all(r)
    actions.submit(r)
    response = client.post(f"/p/{r.token}/files/{kept.uuid}/withdraw/", follow=True)
    assert Evidence.objects.get(pk=kept.pk).withdrawn_at is None and "提出済み" in response.content.decode()


def test_phone_layout_markup(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    actions.save_answer(r, "p1", value="yes")
    page = Client().get(f"/p/{r.token}/").content.decode()
    assert 'id="next-unanswered"' in page and 'href="#q-p3"' in page  # the first still unanswered
    assert '<div class="na-reason">' in page and '<details class="remark"' in page
    assert '<details class="evidence"' in page


# --- 3. Deadlines that people can change --------------------------------------------------------


def test_no_reminder_with_a_dead_link(setup):  # noqa: F811
    """Every overdue reminder is sent while its link still opens; none after the link's end."""
    a = send_one(setup, due_days=3)
    r = a.recipients.get(email="hanako@vendor.example")
    mail.outbox.clear()
    moment = r.next_reminder_at
    while moment is not None and moment < r.expires_at + dt.timedelta(days=30):
        actions.process_due_reminders(moment + dt.timedelta(minutes=1))
        r.refresh_from_db()
        moment = r.next_reminder_at
    sent = MailLog.objects.filter(recipient=r, kind="overdue").order_by("created_at")
    assert sent.count() >= 2
    assert all(m.created_at < r.expires_at for m in sent)
    r.refresh_from_db()
    assert r.next_reminder_at is None


def test_reissue_and_resend_sends_a_link_that_works(setup):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup, due_days=1)
    r = a.recipients.get(email="hanako@vendor.example")
    after = r.expires_at + dt.timedelta(days=1)
    with time_machine.travel(after, tick=True):
        actions.process_due_reminders(after)
        a.refresh_from_db()
        assert a.state == State.EXPIRED
        staff = tenancy.client(tenancy.owner)
        staff.post(f"/checksheets/recipients/{r.uuid}/regenerate/")
        mail.outbox.clear()
        staff.post(f"/checksheets/recipients/{r.uuid}/resend/")
        [sent] = mail.outbox
        link = re.search(r"https?://\S+/p/(mmv_\S+)/", sent.body).group(1)
        vendor = Client()
        assert vendor.get(f"/p/{link}/").status_code == 200
        assert hx(vendor, f"/p/{link}/answer/p1/", {"value": "yes"}).status_code == 200
    # A revoked link is not sent again as it is.
    actions.revoke_link(r, Actor(user=tenancy.owner))
    with pytest.raises(actions.ChecksheetError, match="リンク再発行"):
        actions.resend(r, Actor(user=tenancy.owner))


def test_extend_and_reopen(setup):  # noqa: F811
    tenancy = setup[0]
    owner = Actor(user=tenancy.owner)
    a = send_one(setup, due_days=1)
    r = a.recipients.get(email="hanako@vendor.example")
    Assessment.objects.filter(pk=a.pk).update(state=State.EXPIRED)
    a.refresh_from_db()
    new_due = timezone.localdate() + dt.timedelta(days=60)
    tenancy.client(tenancy.owner).post(
        f"/checksheets/{a.uuid}/due/", {"due_on": new_due.isoformat(), "op": "extend"}
    )
    a.refresh_from_db()
    r.refresh_from_db()
    assert a.due_on == new_due and a.state == State.SENT and r.expires_at.date() > new_due
    answer_all(r)
    actions.submit(r)
    a.refresh_from_db()
    mail.outbox.clear()
    actions.review(a, approve=True, comments={}, actor=owner)
    assert any("承認" in m.subject for m in mail.outbox)  # the vendor is told
    actions.reopen(a, new_due, owner)
    a.refresh_from_db()
    assert a.state == State.RETURNED and a.round == 2
    assert hx(Client(), f"/p/{r.token}/answer/p1/", {"value": "partial"}).status_code == 200


def test_the_requester_is_told_when_the_vendor_submits(setup):  # noqa: F811
    tenancy = setup[0]
    a = send_one(setup)
    assert a.sent_by == tenancy.owner
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r)
    mail.outbox.clear()
    actions.submit(r)
    told = [m for m in mail.outbox if tenancy.owner.email in m.to]
    assert told and "提出" in told[0].subject and f"/checksheets/{a.uuid}/" in told[0].body


def test_sending_warns_about_open_sheets_and_names_vendors_without_contact(setup):  # noqa: F811
    tenancy, vendor, version = setup
    send_one(setup)
    lonely = Vendor.objects.create(organization=tenancy.org, name="株式会社連絡先なし", status="contracted")
    staff = tenancy.client(tenancy.owner)
    data = {
        "version": str(version.uuid),
        "due_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "vendors": [str(vendor.uuid), str(lonely.uuid)],
    }
    page = staff.post("/checksheets/send/", data).content.decode()
    assert 'id="open-warning"' in page and "株式会社発送代行" in page
    assert Assessment.objects.filter(vendor=vendor).count() == 1  # nothing sent yet
    page = staff.post("/checksheets/send/", {**data, "confirm_open": "on"}, follow=True).content.decode()
    assert "株式会社連絡先なし" in page and "1社にメールで送付しました" in page


def test_remind_all_overdue_at_once(setup):  # noqa: F811
    tenancy, _vendor, _version = setup
    a = send_one(setup)
    Assessment.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    mail.outbox.clear()
    tenancy.client(tenancy.owner).post("/checksheets/remind-overdue/")
    assert [m.to for m in mail.outbox] == [["hanako@vendor.example"]]
    assert "期限超過" in mail.outbox[0].subject


# --- 4. Show risk truthfully --------------------------------------------------------------------


def heat_cells(tenancy):
    html = tenancy.client(tenancy.owner).get("/checksheets/").content.decode()
    data = re.search(r'<script id="heatmap-data" type="application/json">(.*?)</script>', html, re.S)
    return html, json.loads(data.group(1))["cells"]


def test_a_d_rated_vendor_lands_in_a_red_cell(setup):  # noqa: F811
    """A critical いいえ rates the controls D, whatever the score: never drawn green."""
    tenancy, vendor, _version = setup
    Vendor.objects.filter(pk=vendor.pk).update(inherent_tier="medium")
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r, no=("t2",))  # t2 is critical; the score is still high
    actions.submit(r)
    a.refresh_from_db()
    assert a.rating == "D" and a.score > 80
    html, cells = heat_cells(tenancy)
    [cell] = [c for c in cells if c["count"]]
    assert (cell["tier"], cell["control"], cell["risk"]) == ("medium", "CD", "high")
    td = re.search(r'<td class="([^"]*)" id="cell-medium-CD"', html).group(1)
    assert "risk-high" in td  # drawn red (mamori.css: .heatmap td.risk-high)
    assert 'href="?tier=medium&amp;control=CD#cell-list"' in html
    listed = tenancy.client(tenancy.owner).get("/checksheets/?tier=medium&control=CD").content.decode()
    assert 'id="cell-list"' in listed and "株式会社発送代行" in listed[listed.index('id="cell-list"') :]


def test_returning_keeps_the_last_scored_rating(setup):  # noqa: F811
    tenancy, vendor, _version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r, no=("t2",))
    actions.submit(r)
    actions.review(a, approve=False, comments={"t2": "再確認を"}, actor=Actor(user=tenancy.owner))
    vendor.refresh_from_db()
    assert vendor.control_rating == "D" and "ID・パスワード" in vendor.risk_explanation


def test_findings_and_a_re_subcontractors_d_show_in_the_principals_risk(setup):  # noqa: F811
    tenancy, vendor, version = setup
    org, owner = tenancy.org, Actor(user=tenancy.owner)
    asset = DataAsset.objects.create(organization=org, name="顧客名簿")
    top = Entrustment.objects.create(organization=org, vendor=vendor, data_asset=asset)
    printer = Vendor.objects.create(organization=org, name="再委託の印刷所", status="contracted")
    Entrustment.objects.create(organization=org, vendor=printer, data_asset=asset, parent=top)
    a = send_one(setup)
    answer_all(a.recipients.get(email="hanako@vendor.example"))
    actions.submit(a.recipients.get(email="hanako@vendor.example"))
    vendor.refresh_from_db()
    assert vendor.control_rating == "A" and vendor.risk_rating == "low"
    [child] = actions.send(
        org=org, version=version, vendors=[printer], due_on=a.due_on, actor=owner, parent=a
    )
    VendorContact.objects.create(
        organization=org, vendor=printer, name="印刷 次郎", email="jiro@print.example"
    )
    cr = actions.add_recipient(child, name="印刷 次郎", email="jiro@print.example", actor=owner)
    answer_all(cr, no=("t2",))
    actions.submit(cr)
    vendor.refresh_from_db()
    assert vendor.risk_rating == "medium" and "再委託先の管理状況がD" in vendor.risk_explanation
    assert "再委託の印刷所" in vendor.risk_explanation
    audit = Audit.objects.create(organization=org, vendor=vendor, performed_on=timezone.localdate())
    Finding.objects.create(organization=org, audit=audit, severity="low", description="鍵の管理簿なし")
    refresh_vendor_rating(vendor, owner)
    assert "未是正の指摘事項が1件" in vendor.risk_explanation


def test_a_re_subcontractor_is_told_who_asks_and_the_chain(setup):  # noqa: F811
    tenancy, _vendor, version = setup
    org, owner = tenancy.org, Actor(user=tenancy.owner)
    printer = Vendor.objects.create(organization=org, name="再委託の印刷所", status="contracted")
    a = send_one(setup)
    [child] = actions.send(
        org=org,
        version=version,
        vendors=[printer],
        due_on=a.due_on,
        actor=owner,
        contacts={printer.id: []},
        parent=a,
    )
    mail.outbox.clear()
    cr = actions.add_recipient(child, name="印刷 次郎", email="jiro@print.example", actor=owner)
    [sent] = mail.outbox
    assert "株式会社発送代行 様が 株式会社アルファ から委託を受けている業務" in sent.body
    assert "株式会社アルファ → 株式会社発送代行 → 再委託の印刷所" in sent.body
    page = Client().get(f"/p/{cr.token}/").content.decode()
    assert "株式会社発送代行" in page and "株式会社アルファ → 株式会社発送代行 → 再委託の印刷所" in page


def test_year_over_year_shows_changed_answers_and_section_score_change(setup):  # noqa: F811
    tenancy, _vendor, _version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r, no=("p3",))
    actions.submit(r)
    with time_machine.travel(timezone.now() + dt.timedelta(days=365), tick=True):
        b = send_one(setup)
        rb = b.recipients.get(email="hanako@vendor.example")
        answer_all(rb)
        actions.submit(rb)
        page = tenancy.client(tenancy.owner).get(f"/checksheets/{b.uuid}/?compare=1").content.decode()
    assert re.search(r'<tr id="q-p3" class="changed">', page)
    assert re.search(r'section-delta delta-up">前年 \d+(\.\d)? → \+\d[\d.]*・回答の変更 1', page)


def test_prefill_from_last_year_counts_once_confirmed(setup):  # noqa: F811
    tenancy, vendor, version = setup
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    answer_all(r)
    actions.submit(r)
    [b] = actions.send(
        org=tenancy.org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=30),
        actor=Actor(user=tenancy.owner),
        prefill=True,
    )
    assert b.answers.filter(prefilled=True).count() == len(SHORT_KEYS)
    rb = b.recipients.get(email="hanako@vendor.example")
    page = Client().get(f"/p/{rb.token}/").content.decode()
    assert "昨年の回答" in page and 'id="progress-text">0 / 15<' in page
    with pytest.raises(actions.ChecksheetError):
        actions.submit(rb)  # nothing confirmed yet
    for key in SHORT_KEYS:
        Client().post(f"/p/{rb.token}/answer/{key}/", {"value": "yes"})  # 「この回答のままでよい」
    actions.submit(rb)
    b.refresh_from_db()
    assert b.state == State.SUBMITTED and b.score == 100.0


# --- 5. The online question editor, conditional questions ---------------------------------------


def editor_post(rows: list[dict]) -> dict:
    data = {"rows": str(len(rows))}
    for i, row in enumerate(rows):
        for name in ("key", "section", "order", "text", "type", "weight", "guidance", "choices", "show_if"):
            data[f"{name}_{i}"] = str(row.get(name, ""))
        for flag in ("required", "critical", "delete"):
            if row.get(flag):
                data[f"{flag}_{i}"] = "on"
    return data


def test_the_editor_saves_a_new_version_with_a_conditional_question(setup):  # noqa: F811
    from mamori.checksheets.actions.editor import editor_rows

    tenancy, vendor, version = setup
    template = version.template
    staff = tenancy.client(tenancy.owner)
    assert staff.get(f"/checksheets/templates/{template.uuid}/edit/").status_code == 200
    rows = editor_rows(version.structure)
    by_key = {r["key"]: r for r in rows if r["key"]}
    by_key["t2"]["order"] = 1  # reordered to the top
    by_key["p1"].update(type="single", choices="毎年=1|2年ごと=0.5|していない=0", weight=3, required=False)
    by_key["o1"].update(critical=True, guidance="責任者の役職を備考に")
    by_key["i4"]["delete"] = True
    new = rows[-1]
    new.update(text="多要素認証の対象を備考に書いてください。", type="text", show_if="p3=yes", order=25)
    response = staff.post(f"/checksheets/templates/{template.uuid}/edit/", editor_post(rows))
    assert response.status_code == 302
    v2 = template.versions.get(number=2)
    from mamori.core.checksheets.structure import question_map, questions

    order = [q["key"] for _s, q in questions(v2.structure)]
    qmap = question_map(v2.structure)
    assert order[0] == "t2" and "i4" not in order and v2.question_count == 15
    assert qmap["p1"]["type"] == "single" and qmap["p1"]["weight"] == 3 and not qmap["p1"]["required"]
    assert [c["score"] for c in qmap["p1"]["choices"]] == [1.0, 0.5, 0.0]
    assert qmap["o1"]["critical"] and qmap["o1"]["guidance"] == "責任者の役職を備考に"
    [added] = [q for q in qmap.values() if q.get("show_if")]
    assert added["show_if"] == {"question": "p3", "value": "yes"} and added["required"]
    assert order.index(added["key"]) == order.index("p3") + 1
    assert template.versions.get(number=1).structure == version.structure  # sent sheets keep theirs

    # A condition on a later question is refused, in words, and nothing typed is lost.
    rows = editor_rows(v2.structure)
    rows[0]["show_if"] = "p3=yes"  # t2 is first now, p3 comes after it
    rows[0]["text"] = "編集中の文言"
    page = staff.post(f"/checksheets/templates/{template.uuid}/edit/", editor_post(rows)).content.decode()
    assert "表示条件の設問は、この設問より前の設問" in page and "編集中の文言" in page
    assert template.versions.count() == 2

    # The vendor is asked the conditional question only after answering p3 はい.
    [a] = actions.send(
        org=tenancy.org,
        version=v2,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    r = a.recipients.get(email="hanako@vendor.example")
    for key, q in qmap.items():
        if q.get("show_if") or key == "p1":
            continue
        actions.save_answer(r, key, value="no" if key == "p3" else "yes")
    page = Client().get(f"/p/{r.token}/").content.decode()
    assert re.search(
        rf'id="q-{added["key"]}" data-answered="[01]" data-show-if="p3" data-show-value="yes" hidden', page
    )
    actions.save_answer(r, "p3", value="yes")
    with pytest.raises(actions.ChecksheetError, match="未回答の必須設問"):
        actions.submit(r)  # now it is asked, and required
    actions.save_answer(r, added["key"], value="SMS認証")
    actions.submit(r)


def test_a_conflict_choice_carries_only_a_valid_answer(setup):  # noqa: F811
    a = send_one(setup)
    r = a.recipients.get(email="hanako@vendor.example")
    actions.save_answer(r, "p1", value="yes")
    client = Client()
    forged = json.dumps({"value": {"not": "a choice"}, "remark": ""})
    client.post(f"/p/{r.token}/excel/resolve/", {"key": "p1", "use_p1": "excel", "excel_p1": forged})
    assert a.answers.get(question="p1").value == "yes"
