from __future__ import annotations

import datetime as dt
import hmac

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.audits import actions
from mamori.audits.forms import ActionForm, AuditForm, EmployeeForm, FindingForm, PlanForm, TrainingForm
from mamori.audits.models import (
    ActionStatus,
    Audit,
    AuditFile,
    CorrectiveAction,
    Employee,
    Finding,
    SelfAssessment,
    TrainingSession,
)
from mamori.checksheets.models import Assessment
from mamori.core.checksheets.structure import questions
from mamori.platform.accounts.models import User
from mamori.platform.tenancy.models import Membership, Organization, Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.platform.web import exports
from mamori.platform.web.crud import Column, Filter, Resource
from mamori.platform.web.files import sha256_of, size_error
from mamori.vendors.models import Vendor


def actor(request):
    return trail.Actor.from_request(request)


def _audit_detail(request, audit):
    return {"findings": audit.findings.prefetch_related("actions"), "files": audit.files.all()}


audits = Resource(
    name="audits",
    model=Audit,
    form_class=AuditForm,
    label=gettext_lazy("Audits"),
    singular=gettext_lazy("audit"),
    select_related=("vendor",),
    default_sort="-performed_on",
    initial_from_query=("vendor",),
    columns=[
        Column(gettext_lazy("Vendor"), lambda o: o.vendor.name, sort="vendor__name", link=True),
        Column(gettext_lazy("Date"), lambda o: o.performed_on, sort="-performed_on"),
        Column(gettext_lazy("Kind"), lambda o: o.get_kind_display(), sort="kind"),
        Column(gettext_lazy("Auditors"), lambda o: o.auditors),
    ],
    search=["vendor__name", "auditors", "scope", "summary"],
    detail_template="audits/detail.html",
    detail_context=_audit_detail,
)


def _back_to_audit(obj):
    audit = obj.audit if isinstance(obj, Finding) else (obj.finding.audit if obj.finding_id else None)
    return f"/audits/{audit.uuid}/" if audit else "/audits/self/"


findings = Resource(
    name="findings",
    model=Finding,
    form_class=FindingForm,
    label=gettext_lazy("Findings"),
    singular=gettext_lazy("finding"),
    select_related=("audit__vendor",),
    default_sort="closed_on",
    initial_from_query=("audit",),
    after_save_url=_back_to_audit,
    columns=[
        Column(gettext_lazy("Finding"), lambda o: o.description[:60], link=True),
        Column(gettext_lazy("Vendor"), lambda o: o.audit.vendor.name, sort="audit__vendor__name"),
        Column(gettext_lazy("Severity"), lambda o: o.get_severity_display(), sort="severity"),
        Column(gettext_lazy("Closed on"), lambda o: o.closed_on, sort="closed_on"),
    ],
    search=["description", "reference", "audit__vendor__name"],
    filters=[
        Filter(
            "open",
            gettext_lazy("Open only"),
            [("1", gettext_lazy("Yes"))],
            lambda qs, v: qs.filter(closed_on__isnull=True),
        )
    ],
)

corrective = Resource(
    name="actions",
    model=CorrectiveAction,
    form_class=ActionForm,
    label=gettext_lazy("Corrective actions"),
    singular=gettext_lazy("corrective action"),
    select_related=("finding__audit__vendor",),
    default_sort="due_on",
    initial_from_query=("finding",),
    after_save_url=_back_to_audit,
    columns=[
        Column(gettext_lazy("What"), lambda o: o.what, link=True),
        Column(gettext_lazy("Vendor"), lambda o: o.finding.audit.vendor.name if o.finding_id else "自社"),
        Column(gettext_lazy("Who"), lambda o: o.owner),
        Column(gettext_lazy("Due date"), lambda o: o.due_on, sort="due_on"),
        Column(
            gettext_lazy("Status"),
            lambda o: "期限超過" if o.overdue else o.get_status_display(),
            sort="status",
        ),
    ],
    search=["what", "owner", "finding__audit__vendor__name"],
    filters=[
        Filter(
            "status", gettext_lazy("Status"), list(ActionStatus.choices), lambda qs, v: qs.filter(status=v)
        ),
        Filter(
            "overdue",
            gettext_lazy("Overdue"),
            [("1", gettext_lazy("Yes"))],
            lambda qs, v: qs.filter(status="open", due_on__lt=timezone.localdate()),
        ),
    ],
)

training = Resource(
    name="training",
    model=TrainingSession,
    form_class=TrainingForm,
    label=gettext_lazy("Staff training"),
    singular=gettext_lazy("training session"),
    default_sort="-held_on",
    columns=[
        Column(gettext_lazy("Topic"), lambda o: o.topic, link=True),
        Column(gettext_lazy("Date"), lambda o: o.held_on, sort="-held_on"),
        Column(gettext_lazy("Attendees"), lambda o: o.attendees.count() + o.staff.count()),
    ],
    search=["topic", "other_attendees"],
    detail_template="audits/training_detail.html",
    detail_context=lambda request, obj: {"staff": obj.staff.order_by("department", "name")},
    links=[
        (gettext_lazy("Employee roster"), "employees:list"),
        (gettext_lazy("Staff not trained this year"), "training_missing"),
    ],
)

employees = Resource(
    name="employees",
    model=Employee,
    form_class=EmployeeForm,
    label=gettext_lazy("Employee roster"),
    singular=gettext_lazy("employee"),
    default_sort="department",
    columns=[
        Column(gettext_lazy("Employee number"), lambda o: o.number, sort="number"),
        Column(gettext_lazy("Name"), lambda o: o.name, sort="name", link=True),
        Column(gettext_lazy("Department"), lambda o: o.department, sort="department"),
        Column(gettext_lazy("Status"), lambda o: o.get_status_display()),
    ],
    search=["number", "name", "department", "email"],
    importable=True,
    links=[(gettext_lazy("Staff not trained this year"), "training_missing")],
)

RESOURCES = [audits, findings, corrective, training, employees]


@org_view(Perm.EDIT)
@require_POST
def upload_view(request, uuid):
    audit = get_scoped(request, Audit, uuid=uuid)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    elif error := size_error(upload):
        messages.error(request, error)
    else:
        f = AuditFile(organization=request.org, audit=audit, name=upload.name[:255], sha256=sha256_of(upload))
        f.file.save(upload.name, upload, save=False)
        f.save()
    return redirect("audits:detail", audit.uuid)


@org_view(Perm.VIEW)
def file_view(request, uuid):
    f = get_scoped(request, AuditFile, uuid=uuid)
    trail.record(org=request.org, actor=actor(request), action=Action.DOWNLOAD, obj=f)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.name)


@org_view(Perm.VIEW)
def plan_view(request):
    plan = actions.plan_for(request.org)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if not request.membership.allows(Perm.MANAGE):
            raise Http404
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("audit_plan")
    today = timezone.localdate()
    proposals = actions.proposals(request.org, today)
    due_quarter = [p for p in proposals if p["due"] <= actions.quarter_end(today)]
    return render(
        request,
        "audits/plan.html",
        {
            "form": form,
            "due_quarter": due_quarter,
            "proposals": proposals[:200],
            "quarter_end": actions.quarter_end(today),
        },
    )


@org_view(Perm.VIEW)
def self_view(request):
    year = timezone.localdate().year
    sa = actions.self_assessment_for(request.org, year)
    if request.method == "POST":
        if not request.membership.allows(Perm.EDIT):
            raise Http404
        answers = {
            q["key"]: {
                "value": request.POST.get(f"q_{q['key']}", ""),
                "remark": request.POST.get(f"r_{q['key']}", ""),
            }
            for _s, q in questions(sa.version.structure)
        }
        actions.answer_self(sa, answers, actor(request))
        if request.POST.get("make_actions"):
            actions.gap_actions(sa, actor(request))
            messages.success(request, _("The gaps were turned into corrective actions."))
        else:
            messages.success(request, _("Saved."))
        return redirect("self_assessment")
    result = actions.score_self(sa)
    sections = [
        (s, [(q, (sa.answers or {}).get(q["key"], {})) for q in s["questions"]])
        for s in sa.version.structure["sections"]
    ]
    return render(
        request,
        "audits/self.html",
        {
            "sa": sa,
            "sections": sections,
            "result": result,
            "history": SelfAssessment.objects.filter(organization=request.org),
            "gap_actions": sa.actions.all(),
            "not_trained": actions.not_trained(request.org, year),
            "year": year,
        },
    )


@org_view(Perm.VIEW)
def calendar_view(request):
    today = timezone.localdate()
    items = actions.calendar_items(request.org, today, today + dt.timedelta(days=180), today)
    feed = f"/calendar/feed/{request.org.uuid}/{request.user.pk}-{actions.feed_mac(request.org, request.user)}.ics"
    return render(request, "audits/calendar.html", {"items": items, "feed": feed})


def calendar_feed_view(request, org, key):
    """The iCalendar feed for calendar apps: no session, a keyed link per member (404 otherwise)."""
    user_pk, _, mac = key.partition("-")
    organization = Organization.objects.filter(uuid=org).first()
    user = User.objects.filter(pk=user_pk, is_active=True).first() if user_pk.isdigit() else None
    if (
        organization is None
        or user is None
        or not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        raise Http404
    if not hmac.compare_digest(actions.feed_mac(organization, user), mac):
        raise Http404
    today = timezone.localdate()
    items = actions.calendar_items(
        organization, today - dt.timedelta(days=30), today + dt.timedelta(days=365), today
    )
    return HttpResponse(actions.ics(organization, items), content_type="text/calendar; charset=utf-8")


def annual_data(request, year: int, vendor: Vendor | None):
    vendors = [vendor] if vendor else list(scoped(request, Vendor).order_by("name"))
    rows = []
    for v in vendors:
        assessments = Assessment.objects.filter(vendor=v, created_at__year=year).select_related(
            "version__template"
        )
        audits_ = Audit.objects.filter(vendor=v, performed_on__year=year)
        found = Finding.objects.filter(audit__vendor=v, audit__performed_on__year=year)
        fixed = CorrectiveAction.objects.filter(finding__audit__vendor=v, status="done", done_on__year=year)
        if vendor is None and not (assessments or audits_ or found):
            continue
        rows.append(
            {
                "vendor": v,
                "assessments": list(assessments),
                "audits": list(audits_),
                "findings": list(found),
                "fixed": fixed.count(),
                "open": found.filter(closed_on__isnull=True).count(),
            }
        )
    return rows


@org_view(Perm.VIEW)
def annual_view(request):
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = 0
    if not 1 <= year <= 9999:  # what a date can hold
        return HttpResponseBadRequest(
            _("The year must be a number from 1 to 9999."), content_type="text/plain; charset=utf-8"
        )
    vendor = get_scoped(request, Vendor, uuid=request.GET["vendor"]) if request.GET.get("vendor") else None
    rows = annual_data(request, year, vendor)
    if request.GET.get("format") == "xlsx":
        table = [
            [
                r["vendor"].name,
                r["vendor"].get_inherent_tier_display(),
                "、".join(
                    f"{a.version.template.name}（{a.get_state_display()}・{a.score if a.score is not None else '-'}）"
                    for a in r["assessments"]
                ),
                "、".join(f"{a.performed_on} {a.get_kind_display()}" for a in r["audits"]),
                len(r["findings"]),
                r["fixed"],
                r["open"],
                r["vendor"].risk_explanation,
            ]
            for r in rows
        ]
        headers = [
            "委託先",
            "固有リスク",
            "チェックシート",
            "監査",
            "指摘事項",
            "是正済み",
            "未是正",
            "リスク評価",
        ]
        data = exports.table_bytes(
            [[exports.cell(c) for c in row] for row in table],
            headers,
            "xlsx",
            f"{year}年",
            title=_("Annual supervision report %(year)s") % {"year": year},
            subtitle=exports.report_subtitle(request),
        )
        trail.record(
            org=request.org,
            actor=actor(request),
            action=Action.EXPORT,
            object_type="audits.report",
            object_repr=f"annual report {year}",
            code="audits.annual_report_exported",
            params={"year": year},
        )
        response = HttpResponse(data, content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="mamori-supervision-{year}.xlsx"'
        return response
    own = SelfAssessment.objects.filter(organization=request.org, year=year).first()
    trained = TrainingSession.objects.filter(organization=request.org, held_on__year=year)
    return render(
        request,
        "audits/annual.html",
        {
            "rows": rows,
            "year": year,
            "vendor": vendor,
            "own": own,
            "trained": trained,
            "not_trained": actions.not_trained(request.org, year),
        },
    )
