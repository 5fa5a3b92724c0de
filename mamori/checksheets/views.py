"""Check sheets, staff side: templates, sending, assessments, review, comparison, dashboard."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.checksheets import actions, rules
from mamori.checksheets.actions import editor
from mamori.checksheets.models import (
    Assessment,
    Evidence,
    Recipient,
    Settings,
    State,
    Template,
    TemplateVersion,
)
from mamori.core.checksheets import scoring
from mamori.core.checksheets.structure import TYPES, StructureError, choices
from mamori.platform.rules import RuleError, add_to_form
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.platform.web import exports
from mamori.platform.web.imports import ImportFailed, read_rows
from mamori.vendors.models import Vendor, VendorContact, VendorStatus


def actor(request) -> trail.Actor:
    return trail.Actor.from_request(request)


# --- Dashboard and list --------------------------------------------------------------------------


@org_view(Perm.VIEW)
def dashboard_view(request):
    qs = scoped(request, Assessment)
    today = timezone.localdate()
    counts = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    out = sum(counts.get(s, 0) for s in (State.SENT, State.IN_PROGRESS, State.RETURNED))
    overdue = qs.filter(state__in=(State.SENT, State.IN_PROGRESS, State.RETURNED), due_on__lt=today).count()
    answered = counts.get(State.SUBMITTED, 0) + counts.get(State.APPROVED, 0)
    vendors = scoped(request, Vendor).exclude(status=VendorStatus.ENDED)
    rows, cells = heat_map(vendors)
    tier, control = request.GET.get("tier", ""), request.GET.get("control", "")
    chosen = next((c for c in cells if c["tier"] == tier and c["control"] == control), None)
    attention = (
        scoped(request, Vendor)
        .filter(Q(risk_rating="high") | Q(inherent_tier="high", control_score__isnull=True))
        .exclude(status=VendorStatus.ENDED)
        .order_by("risk_rating", "-tier_points", "name")[:15]
    )
    page = _assessment_page(request, qs)
    return render(
        request,
        "checksheets/dashboard.html",
        {
            "counts": counts,
            "out": out,
            "overdue": overdue,
            "answered": answered,
            "states": State.choices,
            "heatmap": {"cells": cells},
            "heat_rows": rows,
            "chosen_cell": chosen,
            "unrated": vendors.filter(control_score__isnull=True).count(),
            "overdue_to_remind": overdue,
            "attention": attention,
            **page,
        },
    )


HEAT_TIERS = (("high", "高"), ("medium", "中"), ("low", "低"))
#: The columns of the heat map: control rating A, B, and C–D together.
HEAT_COLUMNS = (("A", ("A",), "A"), ("B", ("B",), "B"), ("CD", ("C", "D"), "C–D"))
RISK_ORDER = {"low": 0, "medium": 1, "high": 2}


def heat_map(vendors) -> tuple[list[dict], list[dict]]:
    """A 3×3 matrix: inherent risk (高/中/低) × control rating (A / B / C–D). Each cell lists its
    vendors and is coloured by the worst risk rating among them (a vendor's own stored rating, so a
    critical いいえ, rating D, is never shown green); an empty cell by the matrix's worst."""
    found: dict[tuple[str, str], list[dict]] = {}
    for uid, name, tier, score, control, risk in vendors.filter(control_score__isnull=False).values_list(
        "uuid", "name", "inherent_tier", "control_score", "control_rating", "risk_rating"
    ):
        if tier not in scoring.RISK_MATRIX:
            continue
        if control not in scoring.CONTROL_LABELS:
            control = scoring.rating_for(score, False) or "D"
        column = next(key for key, ratings, _l in HEAT_COLUMNS if control in ratings)
        if risk not in scoring.RISK_LABELS:
            risk = scoring.RISK_MATRIX[tier][control]
        found.setdefault((tier, column), []).append(
            {
                "name": name,
                "url": f"/vendors/{uid}/",
                "rating": control,
                "risk": risk,
                "risk_label": scoring.RISK_LABELS[risk],
                "score": score,
            }
        )
    rows, cells = [], []
    for tier, tier_label in HEAT_TIERS:
        row = []
        for key, ratings, label in HEAT_COLUMNS:
            listed = sorted(found.get((tier, key), []), key=lambda v: (-RISK_ORDER[v["risk"]], v["name"]))
            worst = max(
                [v["risk"] for v in listed] or [scoring.RISK_MATRIX[tier][r] for r in ratings],
                key=RISK_ORDER.__getitem__,
            )
            cell = {
                "tier": tier,
                "tier_label": tier_label,
                "control": key,
                "control_label": label,
                "risk": worst,
                "risk_label": scoring.RISK_LABELS[worst],
                "count": len(listed),
                "vendors": listed,
                "url": f"?tier={tier}&control={key}#cell-list",
            }
            row.append(cell)
            cells.append(cell)
        rows.append({"tier": tier, "label": tier_label, "cells": row})
    return rows, cells


def _assessment_page(request, qs):
    state = request.GET.get("state", "")
    if state == "overdue":
        qs = qs.filter(
            state__in=(State.SENT, State.IN_PROGRESS, State.RETURNED), due_on__lt=timezone.localdate()
        )
    elif state in State.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(vendor__name__icontains=q)
    qs = qs.select_related("vendor", "version__template").order_by("-created_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "state": state, "q": q, "query": query.urlencode()}


# --- Templates -----------------------------------------------------------------------------------


class TemplateImportForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the check sheet"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty when uploading a new version of this template."),
    )
    file = forms.FileField(label=gettext_lazy("Excel (.xlsx) or CSV file"))


@org_view(Perm.VIEW)
def templates_view(request):
    actions.ensure_builtin(request.org)
    templates = (
        scoped(request, Template)
        .exclude(builtin_key="self")
        .annotate(n=Count("versions"))
        .order_by("builtin_key", "name")
    )
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if not request.membership.allows(Perm.EDIT):
            raise Http404
        if form.is_valid():
            errors = _import_template(request, form, None)
            if not errors:
                return redirect("checksheets:templates")
    return render(
        request, "checksheets/templates.html", {"templates": templates, "form": form, "errors": errors}
    )


def _import_template(request, form, template: Template | None) -> list[str]:
    try:
        rows = read_rows(form.cleaned_data["file"])
        structure = actions.structure_from_rows(rows)
    except ImportFailed as exc:
        return exc.errors
    except StructureError as exc:
        return exc.errors
    if template is None:
        name = form.cleaned_data.get("name") or form.cleaned_data["file"].name.rsplit(".", 1)[0]
        template = Template.objects.create(organization=request.org, name=name[:200])
    version = actions.add_version(template, structure, actor(request))
    messages.success(
        request,
        _("Imported %(n)s questions as version %(v)s.") % {"n": version.question_count, "v": version.number},
    )
    return []


@org_view(Perm.VIEW)
def template_detail_view(request, uuid):
    template = get_scoped(request, Template, uuid=uuid)
    version = template.current
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if not request.membership.allows(Perm.EDIT):
            raise Http404
        if form.is_valid():
            errors = _import_template(request, form, template)
            if not errors:
                return redirect("checksheets:template", template.uuid)
    sections = (
        [(s, [(q, TYPES[q["type"]]) for q in s["questions"]]) for s in version.structure["sections"]]
        if version
        else []
    )
    return render(
        request,
        "checksheets/template_detail.html",
        {"template": template, "version": version, "sections": sections, "form": form, "errors": errors},
    )


@org_view(Perm.VIEW)
def template_export_view(request, uuid, fmt):
    template = get_scoped(request, Template, uuid=uuid)
    if fmt not in ("xlsx", "csv") or template.current is None:
        raise Http404
    data = exports.table_bytes(
        actions.structure_rows(template.current.structure), actions.EXCEL_HEADERS, fmt, "チェックシート"
    )
    trail.record(org=request.org, actor=actor(request), action=Action.EXPORT, obj=template)
    response = HttpResponse(data, content_type=exports.XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mamori-checksheet-{template.uuid}.{fmt}"'
    return response


@org_view(Perm.VIEW)
def template_import_template_view(request):
    example = [
        [
            "基本方針",
            "個人情報保護方針を定めていますか。",
            "はい／いいえ／一部／該当なし",
            "2",
            "○",
            "",
            "",
            "方針の名称を備考に",
            "q1",
            "",
        ],
        [
            "教育",
            "研修の頻度を選んでください。",
            "単一選択",
            "1",
            "○",
            "",
            "毎年|2年ごと|していない",
            "",
            "",
            "",
        ],
        ["証跡", "規程の写し", "証跡ファイル", "0", "", "", "", "", "", "q1=はい"],
    ]
    response = HttpResponse(
        exports.table_bytes(example, actions.EXCEL_HEADERS, "xlsx", "チェックシート"),
        content_type=exports.XLSX,
    )
    response["Content-Disposition"] = 'attachment; filename="mamori-checksheet-template.xlsx"'
    return response


# --- Sending -------------------------------------------------------------------------------------


class SendForm(forms.Form):
    version = forms.ModelChoiceField(
        label=gettext_lazy("Check sheet"), queryset=TemplateVersion.objects.none()
    )
    due_on = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    vendors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Vendors"),
        queryset=Vendor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_contracted = forms.BooleanField(label=gettext_lazy("All vendors under contract"), required=False)
    prefill = forms.BooleanField(
        label=gettext_lazy("Pre-fill with last year's answers (the vendor confirms or changes each)"),
        required=False,
    )
    confirm_open = forms.BooleanField(
        label=gettext_lazy("Send anyway to the vendors that still have this check sheet open"),
        required=False,
    )
    contacts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Recipients"),
        queryset=VendorContact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Tick the recipients of a vendor to send to them only; a vendor with none ticked is sent to all its contacts."
        ),
    )

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        latest = {}
        for v in (
            TemplateVersion.objects.for_org(org)
            .exclude(template__builtin_key="self")
            .select_related("template")
            .order_by("template__name", "-number")
        ):
            latest.setdefault(v.template_id, v.pk)
        self.fields["version"].queryset = (
            TemplateVersion.objects.for_org(org).filter(pk__in=latest.values()).select_related("template")
        )
        self.fields["version"].to_field_name = "uuid"
        self.fields["version"].label_from_instance = lambda v: (
            f"{v.template.name}（v{v.number}・{v.question_count}問）"
        )
        # Every vendor of the organization is accepted (an ended one is refused by the sending rules,
        # in their words); the current ones are offered.
        self.fields["vendors"].queryset = Vendor.objects.for_org(org).order_by("name")
        self.fields["vendors"].to_field_name = "uuid"
        self.fields["vendors"].choices = [
            (str(v.uuid), str(v)) for v in self.fields["vendors"].queryset.exclude(status=VendorStatus.ENDED)
        ]
        self.fields["contacts"].queryset = (
            VendorContact.objects.for_org(org)
            .exclude(vendor__status=VendorStatus.ENDED)
            .select_related("vendor")
            .order_by("vendor__name", "name")
        )
        self.fields["contacts"].to_field_name = "uuid"
        self.fields["contacts"].label_from_instance = lambda c: (
            f"{c.vendor.name}：{c.name}（{c.email or _('no e-mail address')}）"
        )


@org_view(Perm.EDIT)
def send_view(request):
    actions.ensure_builtin(request.org)
    initial = {"due_on": timezone.localdate() + dt.timedelta(days=30)}
    if request.GET.get("vendor"):
        initial["vendors"] = [request.GET["vendor"]]
    form = SendForm(request.POST or None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        vendors, contacts = rules.send_targets(
            request.org,
            form.cleaned_data["vendors"],
            all_contracted=form.cleaned_data["all_contracted"],
            chosen=form.cleaned_data["contacts"],
        )
        open_ones = actions.open_elsewhere(request.org, vendors, form.cleaned_data["version"])
        if open_ones and not form.cleaned_data["confirm_open"]:
            form.add_error(
                "confirm_open",
                _(
                    "These vendors already have this check sheet open (not yet answered): %(names)s. "
                    "Tick the box to send a new one anyway, or remind them instead."
                )
                % {"names": "、".join(sorted({a.vendor.name for a in open_ones})[:20])},
            )
            return render(request, "checksheets/send.html", {"form": form, "open_ones": open_ones})
        try:
            assessments = actions.send(
                org=request.org,
                version=form.cleaned_data["version"],
                vendors=vendors,
                due_on=form.cleaned_data["due_on"],
                actor=actor(request),
                contacts=contacts,
                prefill=form.cleaned_data["prefill"],
            )
        except RuleError as exc:
            add_to_form(form, exc, {"template": "version"})
            return render(request, "checksheets/send.html", {"form": form})
        no_contact = [a.vendor.name for a in assessments if not contacts.get(a.vendor_id)]
        no_address = [
            a.vendor.name
            for a in assessments
            if contacts.get(a.vendor_id) and not any(c.email for c in contacts[a.vendor_id])
        ]
        mailed = len(assessments) - len(no_contact) - len(no_address)
        if mailed:
            messages.success(request, _("Sent by e-mail to %(n)s vendors.") % {"n": mailed})
        if no_address:
            messages.warning(
                request,
                _(
                    "No e-mail address for: %(names)s. Copy their links on the assessment page and hand them over."
                )
                % {"names": "、".join(no_address[:20])},
            )
        if no_contact:
            messages.error(
                request,
                _("No contact is registered for: %(names)s. Add one on the assessment page to get a link.")
                % {"names": "、".join(no_contact[:20])},
            )
        if len(assessments) == 1:
            return redirect("checksheets:detail", assessments[0].uuid)
        return redirect("checksheets:dashboard")
    return render(request, "checksheets/send.html", {"form": form})


# --- One assessment ------------------------------------------------------------------------------


def sheet_rows(a: Assessment, previous: Assessment | None = None):
    """Sections with each question, its answer, files, comments and (optionally) last year's answer."""
    answers = {x.question: x for x in a.answers.all()}
    files: dict[str, list] = {}
    for e in a.evidence.filter(withdrawn_at__isnull=True):
        files.setdefault(e.question, []).append(e)
    comments: dict[str, list] = {}
    for c in a.comments.all():
        comments.setdefault(c.question, []).append(c)
    before = {x.question: x for x in previous.answers.all()} if previous else {}
    # Earlier rounds (submitted, then returned): what was answered then, where it differs now.
    rounds = [s for s in a.submissions.order_by("round") if s.round < a.round]
    out = []
    for section in a.version.structure["sections"]:
        rows = []
        for q in section["questions"]:
            ans = answers.get(q["key"])
            old = before.get(q["key"])
            earlier = []
            for sub in rounds:
                then = SimpleNamespace(**{"value": None, "na_reason": "", **sub.answers.get(q["key"], {})})
                if (then.value, then.na_reason) != ((ans.value, ans.na_reason) if ans else (None, "")):
                    earlier.append({"round": sub.round, "shown": shown_value(q, then)})
            rows.append(
                {
                    "q": q,
                    "answer": ans,
                    "shown": shown_value(q, ans),
                    "files": files.get(q["key"], []),
                    "comments": comments.get(q["key"], []),
                    "points": scoring.answer_score(q, ans.value) if ans else None,
                    "previous": shown_value(q, old) if previous else None,
                    "changed": previous is not None
                    and (ans.value if ans else None) != (old.value if old else None),
                    "earlier": earlier,
                }
            )
        now_score = (a.section_scores or {}).get(section["key"])
        then_score = (previous.section_scores or {}).get(section["key"]) if previous else None
        delta = round(now_score - then_score, 1) if now_score is not None and then_score is not None else None
        out.append(
            {
                "section": section,
                "rows": rows,
                "score": now_score,
                "previous_score": then_score,
                "delta": delta,
                "changed_count": sum(1 for r in rows if r["changed"]),
            }
        )
    return out, comments.get("", [])


def shown_value(q: dict, ans) -> str:
    if ans is None or ans.value in (None, "", []):
        return ""
    if ans.value == scoring.NA:
        return f"該当なし（{ans.na_reason}）" if ans.na_reason else "該当なし"
    labels = (
        {c["value"]: c["label"] for c in choices(q)} if q["type"] in ("ynp", "single", "multiple") else {}
    )
    if isinstance(ans.value, list):
        return "、".join(labels.get(v, str(v)) for v in ans.value)
    return labels.get(ans.value, str(ans.value))


def previous_assessment(a: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(
            vendor=a.vendor,
            version__template=a.version.template,
            state__in=(State.SUBMITTED, State.APPROVED),
            created_at__lt=a.created_at,
        )
        .order_by("-created_at")
        .first()
    )


@org_view(Perm.VIEW)
def detail_view(request, uuid):
    a = get_scoped(request, Assessment, uuid=uuid)
    compare = request.GET.get("compare") == "1"
    previous = previous_assessment(a)
    sections, general = sheet_rows(a, previous if compare else None)
    recipients = list(a.recipients.all())
    mails = list(a.mails.select_related("recipient"))
    return render(
        request,
        "checksheets/detail.html",
        {
            "a": a,
            "sections": sections,
            "general_comments": general,
            "recipients": recipients,
            "mails": mails,
            "previous": previous,
            "compare": compare,
            "children": a.children.select_related("vendor"),
            "subcontractors": rules.subcontractors(a.vendor),
            "rating_label": scoring.CONTROL_LABELS.get(a.rating, ""),
            "can_review": a.state == State.SUBMITTED and request.membership.allows(Perm.EDIT),
            "can_extend": a.state in (State.SENT, State.IN_PROGRESS, State.RETURNED, State.EXPIRED),
            "can_reopen": a.state in (State.APPROVED, State.EXPIRED),
            "chain": actions.chain(a) if a.parent_id else [],
            "default_due": max(a.due_on, timezone.localdate()) + dt.timedelta(days=14),
            "contacts": a.vendor.contacts.all(),
        },
    )


@org_view(Perm.EDIT)
@require_POST
def review_view(request, uuid):
    a = get_scoped(request, Assessment, uuid=uuid)
    comments = {k[len("comment_") :]: v for k, v in request.POST.items() if k.startswith("comment_")}
    try:
        actions.review(
            a, approve=request.POST.get("decision") == "approve", comments=comments, actor=actor(request)
        )
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Approved.")
            if request.POST.get("decision") == "approve"
            else _("Returned to the vendor with your comments."),
        )
    return redirect("checksheets:detail", a.uuid)


@org_view(Perm.EDIT)
@require_POST
def add_recipient_view(request, uuid):
    a = get_scoped(request, Assessment, uuid=uuid)
    contact = None
    if request.POST.get("contact"):
        contact = get_scoped(request, VendorContact, uuid=request.POST["contact"])
    name = contact.name if contact else request.POST.get("name", "").strip()
    email = contact.email if contact else request.POST.get("email", "").strip()
    try:
        actions.add_recipient(a, name=name, email=email, actor=actor(request), contact=contact)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The recipient was added."))
    return redirect("checksheets:detail", a.uuid)


@org_view(Perm.EDIT)
@require_POST
def recipient_action_view(request, uuid, op):
    r = get_scoped(request, Recipient, uuid=uuid)
    if op == "revoke":
        actions.revoke_link(r, actor(request))
        messages.success(request, _("The link was revoked."))
    elif op == "regenerate":
        actions.regenerate_link(r, actor(request))
        messages.success(request, _("A new link was made; the old one no longer works."))
    elif op == "resend":
        try:
            sent = actions.resend(r, actor(request))
        except actions.ChecksheetError as exc:
            messages.error(request, str(exc))
            return redirect("checksheets:detail", r.assessment.uuid)
        if sent is None:
            messages.error(
                request, _("This recipient has no e-mail address: copy the link and hand it over.")
            )
        else:
            messages.success(request, _("The request was sent again."))
    else:
        raise Http404
    return redirect("checksheets:detail", r.assessment.uuid)


@org_view(Perm.EDIT)
@require_POST
def due_view(request, uuid):
    """Extend the due date (an expired sheet opens again), or reopen an approved sheet."""
    a = get_scoped(request, Assessment, uuid=uuid)
    try:
        due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        messages.error(request, _("Give the new due date."))
        return redirect("checksheets:detail", a.uuid)
    try:
        if request.POST.get("op") == "reopen":
            actions.reopen(a, due_on, actor(request))
            messages.success(request, _("The check sheet was reopened; the vendor can answer again."))
        else:
            actions.extend_due(a, due_on, actor(request))
            messages.success(request, _("The due date was changed."))
    except actions.ChecksheetError as exc:
        messages.error(request, str(exc))
    return redirect("checksheets:detail", a.uuid)


@org_view(Perm.EDIT)
@require_POST
def remind_overdue_view(request):
    sheets, mails = actions.remind_overdue(request.org, actor(request))
    messages.success(
        request, _("Sent %(m)s reminders for %(n)s overdue check sheets.") % {"m": mails, "n": sheets}
    )
    return redirect("checksheets:dashboard")


@org_view(Perm.VIEW)
def evidence_view(request, uuid):
    e = get_scoped(request, Evidence, uuid=uuid)
    trail.record(org=request.org, actor=actor(request), action=Action.DOWNLOAD, obj=e)
    return FileResponse(e.file.open("rb"), as_attachment=True, filename=e.name)


@org_view(Perm.VIEW)
def export_view(request, uuid):
    a = get_scoped(request, Assessment, uuid=uuid)
    sections, _general = sheet_rows(a)
    rows = []
    for s in sections:
        for row in s["rows"]:
            q = row["q"]
            rows.append(
                [
                    s["section"]["title"],
                    q["text"],
                    TYPES[q["type"]],
                    row["shown"],
                    row["answer"].remark if row["answer"] else "",
                    len(row["files"]),
                    "" if row["points"] is None else round(row["points"] * 100),
                    "○" if q.get("critical") else "",
                    " / ".join(c.text for c in row["comments"]),
                ]
            )
    headers = ["セクション", "設問", "回答形式", "回答", "備考", "証跡", "得点", "重要", "コメント"]
    data = exports.table_bytes(
        [[exports.cell(c) for c in r] for r in rows],
        headers,
        "xlsx",
        "回答",
        title=_("Check-sheet answers: %(sheet)s") % {"sheet": a},
        subtitle=exports.report_subtitle(request),
    )
    trail.record(org=request.org, actor=actor(request), action=Action.EXPORT, obj=a)
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="mamori-assessment-{a.uuid}.xlsx"'
    return response


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Settings
        fields = ["remind_days_before", "overdue_every_days", "grace_days"]


@org_view(Perm.MANAGE)
def settings_view(request):
    obj = actions.settings_for(request.org)
    form = SettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("checksheets:dashboard")
    return render(request, "checksheets/settings.html", {"form": form})


# --- The online question editor ------------------------------------------------------------------


def _posted_rows(post) -> list[dict]:
    """The rows as the user left them (shown again with the errors: nothing typed is lost)."""
    rows = []
    for i in range(int(post.get("rows", "0") or 0)):
        row = {name: post.get(f"{name}_{i}", "") for name in editor.FIELDS}
        row["required"] = bool(post.get(f"required_{i}"))
        row["critical"] = bool(post.get(f"critical_{i}"))
        row["delete"] = bool(post.get(f"delete_{i}"))
        rows.append(row)
    return rows


@org_view(Perm.EDIT)
def template_edit_view(request, uuid):
    """Add, reorder, retype and reweigh questions, make them required or critical, give guidance and
    a condition (ask B only when A is はい); saved as a new version."""
    template = get_scoped(request, Template, uuid=uuid)
    version = template.current
    if version is None:
        raise Http404
    errors: list[str] = []
    rows = editor.editor_rows(version.structure)
    if request.method == "POST":
        try:
            structure = editor.structure_from_editor(request.POST, version.structure)
        except StructureError as exc:
            errors, rows = exc.errors, _posted_rows(request.POST)
        else:
            if structure == version.structure:  # nothing changed: no new version
                messages.info(request, _("Nothing changed: the version stays as it was."))
                return redirect("checksheets:template", template.uuid)
            new = actions.add_version(template, structure, actor(request))
            messages.success(
                request,
                _("Saved as version %(v)s (%(n)s questions). Sheets already sent keep their version.")
                % {"v": new.number, "n": new.question_count},
            )
            return redirect("checksheets:template", template.uuid)
    return render(
        request,
        "checksheets/template_edit.html",
        {
            "template": template,
            "version": version,
            "rows": rows,
            "types": list(TYPES.items()),
            "conditions": editor.conditions(version.structure),
            "errors": errors,
        },
    )
