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
            if request.htmx and recipient is not None:
                # An autosave on a page opened before the link ended: say so next to the question.
                return refusal(actions.LINK_CLOSED, status=410)
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


def refusal(message: str, status: int = 409) -> HttpResponse:
    """The words of a refused answer, in place of the field (htmx), as text (never markup)."""
    return HttpResponse(
        format_html('<span class="save-error" role="alert">{}</span>', message), status=status
    )


def progress(a) -> tuple[int, int, list[str]]:
    """Required questions answered, required questions, and the keys of those still unanswered."""
    answers = actions.answers_dict(a)
    qmap = question_map(a.version.structure)
    required = [k for k, q in qmap.items() if q.get("required") and scoring.visible(q, answers)]
    missing = scoring.score(a.version.structure, answers).required_missing
    return len(required) - len(missing), len(required), missing


def split_messages(request) -> tuple[list, dict[str, list]]:
    """Messages about one question go next to it (their tag names it); the others stay on top."""
    top, by_question = [], {}
    for m in messages.get_messages(request):
        key = next((t[2:] for t in m.extra_tags.split() if t.startswith("q-")), None)
        if key:
            by_question.setdefault(key, []).append(m)
        else:
            top.append(m)
    return top, by_question


@portal
def home_view(request, token):
    r = request.recipient
    a = r.assessment
    _record_access(r, "checksheets.portal_viewed")
    sections, general = sheet_rows(a)
    done, required, missing = progress(a)
    top, by_question = split_messages(request)
    answers = actions.answers_dict(a)
    for s in sections:
        for row in s["rows"]:
            row["hidden"] = not scoring.visible(row["q"], answers)
            row["messages"] = by_question.get(row["q"]["key"], [])
            row["missing"] = row["q"]["key"] in missing
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
            "required": required,
            "messages": top,
            "first_missing": missing[0] if missing else "",
            "chain": actions.chain(a) if a.parent_id else [],
            "returned_comments": previous_round,
            "subcontractors": subcontractors(a.vendor),
            "children": a.children.select_related("vendor"),
            # The company's own symbols (an imported ○/△/×/－ sheet), beside the words: 「○ はい」.
            "symbols": a.version.structure.get("answer_symbols") or {},
            "prefilled_count": a.answers.filter(prefilled=True).count() if actions.can_answer(a) else 0,
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
        messages.error(request, str(exc), extra_tags=f"q-{key}")
        return redirect(f"/p/{token}/#q-{key}")
    if request.htmx:
        done, required, missing = progress(r.assessment)
        return render(
            request,
            "portal/_saved.html",
            {
                "at": timezone.localtime(),
                "done": done,
                "required": required,
                "answered": key not in missing,
                "key": key,
            },
        )
    messages.success(request, "保存しました。", extra_tags=f"q-{key}")
    return redirect(f"/p/{token}/#q-{key}")


@portal
@require_POST
def evidence_upload_view(request, token, key):
    upload = request.FILES.get("file")
    tag = f"q-{key}"
    if upload is None:
        messages.error(request, "ファイルを選んでください。", extra_tags=tag)
    else:
        try:
            actions.add_evidence(request.recipient, key, upload)
            messages.success(request, f"{upload.name} をアップロードしました。", extra_tags=tag)
        except actions.ChecksheetError as exc:
            messages.error(request, str(exc), extra_tags=tag)
    return redirect(f"/p/{token}/#q-{key}")


@portal
@require_POST
def evidence_withdraw_view(request, token, uuid):
    """The vendor removes one of its own files before submitting."""
    try:
        e = actions.withdraw_evidence(request.recipient, uuid)
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc))
        return redirect("portal:home", token)
    messages.success(request, f"{e.name} を取り下げました。", extra_tags=f"q-{e.question}")
    return redirect(f"/p/{token}/#q-{e.question}")


@portal
def evidence_download_view(request, token, uuid):
    e = Evidence.objects.filter(
        assessment=request.recipient.assessment, uuid=uuid, withdrawn_at__isnull=True
    ).first()
    if e is None:
        raise Http404
    _record_access(request.recipient, "checksheets.portal_evidence_downloaded", file=e.name)
    return FileResponse(e.file.open("rb"), as_attachment=True, filename=e.name)


@portal
@require_POST
def confirm_prefilled_view(request, token):
    """「事前入力の回答をすべて確認」: every answer pre-filled from last year kept as it is."""
    try:
        n = actions.confirm_prefilled(request.recipient)
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"前回の回答 {n} 問をそのまま確認しました。変更したい設問は個別に直してください。"
        )
    return redirect("portal:home", token)


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
        result = actions.import_answers(request.recipient, upload.read())
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc))
        return redirect("portal:home", token)
    messages.success(
        request,
        f"Excelから {result.changed} 問の回答を読み込みました（空欄のセルは画面の回答のままです）。"
        "内容を確認して提出してください。",
    )
    if result.ignored:
        messages.warning(
            request,
            f"条件付きの設問 {len(result.ignored)} 問は、条件の回答ではないため読み込みませんでした"
            "（「…の場合のみ回答」と書かれた設問です）。",
        )
    if result.conflicts:
        return render(
            request,
            "portal/conflicts.html",
            {
                "r": request.recipient,
                "a": request.recipient.assessment,
                "token": token,
                "conflicts": result.conflicts,
            },
        )
    return redirect("portal:home", token)


def _valid_value(q: dict, value) -> bool:
    """A value as the Excel import makes it: a choice of the question, 該当なし, or text."""
    allowed = {c["value"] for c in scoring.choices(q)} | ({scoring.NA} if q.get("allow_na") else set())
    if value is None:
        return True
    if q["type"] in ("ynp", "single"):
        return isinstance(value, str) and value in allowed
    if q["type"] == "multiple":
        return isinstance(value, list) and all(isinstance(v, str) and v in allowed for v in value)
    return isinstance(value, str)


@portal
@require_POST
def excel_resolve_view(request, token):
    """The vendor chose, for each conflict, the browser's answer (kept) or the Excel one (saved)."""
    import json

    qmap = question_map(request.recipient.assessment.version.structure)
    chosen = 0
    try:
        for key in request.POST.getlist("key"):
            if key not in qmap or request.POST.get(f"use_{key}") != "excel":
                continue
            data = json.loads(request.POST.get(f"excel_{key}", "{}"))
            if not isinstance(data, dict) or not _valid_value(qmap[key], data.get("value")):
                raise ValueError("Excelの回答を読み取れませんでした。もう一度アップロードしてください。")
            actions.save_answer(
                request.recipient,
                key,
                value=data.get("value"),
                remark=str(data.get("remark", "")),
                na_reason=str(data.get("na_reason", "")),
            )
            chosen += 1
    except (actions.ChecksheetError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("portal:home", token)
    messages.success(request, f"{chosen} 問をExcelの回答にしました。その他は画面の回答のままです。")
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
