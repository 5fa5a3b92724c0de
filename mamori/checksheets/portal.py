"""The vendor's side: no account, one private link. Every access is in the trail; guessing tokens
is rate-limited and answered 404 like any unknown link."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from mamori.checksheets import actions
from mamori.checksheets.models import Evidence, Recipient
from mamori.checksheets.rules import subcontractors
from mamori.checksheets.views import sheet_rows
from mamori.core.checksheets import scoring
from mamori.core.checksheets.structure import question_map
from mamori.platform.accounts.throttle import Policy
from mamori.platform.actor import client_ip
from mamori.platform.rules import RuleError
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action

PORTAL_GUESS_PER_IP = Policy("portal-ip", capacity=30, per_seconds=10 * 60)


def portal(view):
    @functools.wraps(view)
    def wrapper(request, token, *args, **kwargs):
        # A valid link always opens; only unknown or closed links count against the address, and
        # over the limit they get the bare 404.
        recipient = Recipient.from_token(token)
        if recipient is None or not recipient.usable:
            if not PORTAL_GUESS_PER_IP.consume(client_ip(request)):
                raise Http404
            return render(request, "portal/invalid.html", status=404)
        request.recipient = recipient
        # Whatever the vendor changes is theirs: the contact holding the link, door 'portal'.
        with trail.acting_as(actions.portal_actor(recipient)):
            return view(request, token, *args, **kwargs)

    return wrapper


def _record_access(recipient: Recipient, code: str, **params) -> None:
    """What the vendor opened, as a code worded when read (mamori.checksheets.texts)."""
    Recipient.objects.filter(pk=recipient.pk).update(last_opened_at=timezone.now())
    trail.record(
        org=recipient.organization,
        actor=actions.portal_actor(recipient),
        action=Action.ACCESS,
        obj=recipient.assessment,
        code=code,
        params=params,
    )


def refusal(message: str) -> HttpResponse:
    """The words of a refused answer, in place of the field (htmx), as text (never markup)."""
    return HttpResponse(format_html('<span class="save-error">{}</span>', message), status=409)


@portal
def home_view(request, token):
    r = request.recipient
    a = r.assessment
    _record_access(r, "checksheets.portal_viewed")
    sections, general = sheet_rows(a)
    answers = actions.answers_dict(a)
    qmap = question_map(a.version.structure)
    required = [k for k, q in qmap.items() if q.get("required")]
    done = sum(1 for k in required if scoring.is_answered(qmap[k], answers.get(k)))
    previous_round = [
        c for s in sections for row in s["rows"] for c in row["comments"] if c.round == a.round - 1
    ]
    return render(
        request,
        "portal/home.html",
        {
            "r": r,
            "a": a,
            "sections": sections,
            "general_comments": general,
            "token": token,
            "editable": actions.can_answer(a),
            "done": done,
            "required": len(required),
            "returned_comments": previous_round,
            "subcontractors": subcontractors(a.vendor),
            "children": a.children.select_related("vendor"),
        },
    )


def _value_from_post(q: dict, post) -> object:
    if q["type"] == "multiple":
        return post.getlist("value")
    value = post.get("value", "").strip()
    return value or None


@portal
@require_POST
def answer_view(request, token, key):
    r = request.recipient
    q = question_map(r.assessment.version.structure).get(key)
    if q is None:
        raise Http404
    value = _value_from_post(q, request.POST)
    try:
        actions.save_answer(
            r,
            key,
            value=value,
            remark=request.POST.get("remark", ""),
            na_reason=request.POST.get("na_reason", ""),
        )
    except actions.ChecksheetError as exc:
        if request.htmx:
            return refusal(str(exc))
        messages.error(request, str(exc))
        return redirect("portal:home", token)
    if request.htmx:
        return render(request, "portal/_saved.html", {"at": timezone.localtime()})
    messages.success(request, "保存しました。")
    return redirect(f"/p/{token}/#q-{key}")


@portal
@require_POST
def evidence_upload_view(request, token, key):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "ファイルを選んでください。")
    else:
        try:
            actions.add_evidence(request.recipient, key, upload)
            messages.success(request, f"{upload.name} をアップロードしました。")
        except actions.ChecksheetError as exc:
            messages.error(request, str(exc))
    return redirect(f"/p/{token}/#q-{key}")


@portal
def evidence_download_view(request, token, uuid):
    e = Evidence.objects.filter(assessment=request.recipient.assessment, uuid=uuid).first()
    if e is None:
        raise Http404
    _record_access(request.recipient, "checksheets.portal_evidence_downloaded", file=e.name)
    return FileResponse(e.file.open("rb"), as_attachment=True, filename=e.name)


@portal
@require_POST
def submit_view(request, token):
    try:
        actions.submit(request.recipient)
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc) + " 赤い印の設問を確認してください。")
        return redirect(f"/p/{token}/?check=1")
    messages.success(request, "ご回答を受け付けました。ありがとうございました。")
    return redirect("portal:home", token)


@portal
def excel_view(request, token):
    a = request.recipient.assessment
    _record_access(request.recipient, "checksheets.portal_excel_downloaded")
    response = HttpResponse(
        actions.answers_workbook(a),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="checksheet.xlsx"'
    return response


@portal
@require_POST
def excel_upload_view(request, token):
    upload = request.FILES.get("file")
    if upload is None or not upload.name.lower().endswith(".xlsx"):
        messages.error(request, "回答を記入したExcelファイル（.xlsx）を選んでください。")
        return redirect("portal:home", token)
    try:
        n = actions.import_answers(request.recipient, upload.read())
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Excelから {n} 問の回答を読み込みました。内容を確認して提出してください。")
    return redirect("portal:home", token)


@portal
@require_POST
def forward_view(request, token):
    """The vendor passes the sheet down to one of its re-subcontractors (known in our registry)."""
    name = request.POST.get("name", "").strip()
    try:
        child = actions.forward(
            request.recipient,
            vendor=request.POST.get("vendor", ""),
            name=name,
            email=request.POST.get("email", "").strip(),
        )
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("portal:home", token)
    messages.success(request, f"{child.vendor.name} の {name} 様に回答依頼を送りました。")
    return redirect("portal:home", token)
