from __future__ import annotations

import csv

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.core.jnsa import estimate
from mamori.incidents import actions, documents
from mamori.incidents.forms import (
    IncidentForm,
    NoteForm,
    PrincipalForm,
    ReporterProfileForm,
    ScanForm,
    TaskForm,
    WordingForm,
)
from mamori.incidents.models import (
    DocumentKind,
    DocumentTemplate,
    Incident,
    IncidentState,
    Principal,
    PrincipalStatus,
    ReporterProfile,
    Task,
    TimelineEntry,
)
from mamori.platform.fields import ITEM_NAMES, SPECIAL_CARE_NAMES
from mamori.platform.rules import RuleError
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action
from mamori.platform.web import jobs
from mamori.platform.web.crud import Column, Filter, Resource
from mamori.platform.web.exports import neutralise
from mamori.platform.web.files import size_error

# The engine's verdict codes in the reader's language (Japanese: the engine's own labels).
VERDICT_LABELS = {
    "required": gettext_lazy("Report required"),
    "not_required": gettext_lazy("No report required"),
    "pending": gettext_lazy("Verdict on hold"),
}


def actor(request) -> trail.Actor:
    return trail.Actor.from_request(request)


def countdown(day, today) -> int | None:
    return None if day is None else (day - today).days


def _detail(request, incident: Incident) -> dict:

    a = incident.assessment or {}
    today = timezone.localdate()
    estimate_result = None
    if incident.individuals:
        estimate_result = estimate(
            {
                "individuals": incident.individuals,
                "items": list(incident.items or []),
                "special_care": list(incident.special_care or []),
            }
        )
    return {
        "a": a,
        "tasks": incident.tasks.select_related("owner"),
        "timeline": incident.timeline.order_by("-seq"),
        "timeline_problem": actions.verify_timeline(incident),
        "scan_form": ScanForm(),
        "scan_error": getattr(jobs.failed_job(request) or _failed_scan(request, incident), "message", ""),
        "running": _scans(request, incident),
        "now": timezone.now(),
        "note_form": NoteForm(),
        "task_form": TaskForm(),
        "documents": DocumentKind.choices,
        "estimate": estimate_result,
        "final_days": countdown(incident.final_due, today),
        "prelim_days": countdown(incident.preliminary_due, today),
        "reporter": ReporterProfile.objects.filter(organization=incident.organization).first(),
        # In the reader's language (the engine's own labels are Japanese, as in ``mamori assess``).
        "unconfirmed_text": _(", ").join(
            str(SPECIAL_CARE_NAMES.get(c, c)) for c in incident.special_care_unconfirmed or []
        ),
        "item_text": _(", ").join(
            [str(ITEM_NAMES.get(i, i)) for i in incident.items or []]
            + [str(SPECIAL_CARE_NAMES.get(c, c)) for c in incident.special_care or []]
        ),
        "verdict_label": VERDICT_LABELS.get((a.get("verdict") or {}).get("code", "")),
        "my_number_verdict_label": VERDICT_LABELS.get(
            ((a.get("my_number_act") or {}).get("verdict") or {}).get("code", "")
        ),
    }


resource = Resource(
    name="incidents",
    model=Incident,
    form_class=IncidentForm,
    label=gettext_lazy("Incidents"),
    singular=gettext_lazy("incident"),
    select_related=("vendor",),
    default_sort="final_due",
    columns=[
        Column(gettext_lazy("Title"), lambda o: o.title, sort="title", link=True),
        Column(gettext_lazy("State"), lambda o: o.get_state_display(), sort="state"),
        Column(gettext_lazy("Aware on"), lambda o: o.aware_on, sort="-aware_on"),
        Column(gettext_lazy("Reportable"), lambda o: (o.assessment or {}).get("reportable")),
        Column(gettext_lazy("Final report due"), lambda o: o.final_due, sort="final_due"),
        Column(gettext_lazy("People"), lambda o: o.individuals, sort="individuals"),
    ],
    search=["title", "description"],
    filters=[
        Filter("state", gettext_lazy("State"), list(IncidentState.choices), lambda qs, v: qs.filter(state=v))
    ],
    detail_template="incidents/detail.html",
    form_template="incidents/form.html",
    detail_context=_detail,
)


principal_resource = Resource(
    name="principals",
    model=Principal,
    form_class=PrincipalForm,
    label=gettext_lazy("Our principals (委託元)"),
    singular=gettext_lazy("principal (委託元)"),
    columns=[
        Column(gettext_lazy("Principal name"), lambda o: o.name, sort="name", link=True),
        Column(gettext_lazy("Department / person in charge"), lambda o: o.department),
        Column(gettext_lazy("E-mail"), lambda o: o.email),
        Column(gettext_lazy("Status"), lambda o: o.get_status_display(), sort="status"),
    ],
    search=["name", "department", "entrusted"],
    filters=[
        Filter(
            "status",
            gettext_lazy("Status"),
            list(PrincipalStatus.choices),
            lambda qs, v: qs.filter(status=v),
        )
    ],
)


@org_view(Perm.EDIT)
@require_POST
def scan_view(request, uuid):
    incident = get_scoped(request, Incident, uuid=uuid)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if error := size_error(upload):
            messages.error(request, error)
        else:
            jobs.start(request, actions.SCAN_JOB, upload, {"incident": str(incident.uuid)})
            # The page stays usable: the scan runs in the worker, its progress shows on the page.
            return redirect("incidents:detail", incident.uuid)
    return redirect("incidents:detail", incident.uuid)


def _scans(request, incident: Incident):
    from mamori.platform.web.models import FileJob

    return list(
        scoped(request, FileJob).filter(
            kind=actions.SCAN_JOB, params__incident=str(incident.uuid), state=FileJob.State.PENDING
        )
    )


def _failed_scan(request, incident: Incident):
    """The last scan of this incident by this person that failed in the past ten minutes."""
    import datetime as dt

    from mamori.platform.web.models import FileJob

    return (
        scoped(request, FileJob)
        .filter(
            kind=actions.SCAN_JOB,
            params__incident=str(incident.uuid),
            state=FileJob.State.FAILED,
            user=request.user,
            finished_at__gte=timezone.now() - dt.timedelta(minutes=10),
        )
        .order_by("-finished_at")
        .first()
    )


@org_view(Perm.VIEW)
def scans_view(request, uuid):
    """The running scans of the leaked file (htmx asks every two seconds); when the last one ends,
    the page reloads to show the new facts and verdict."""
    incident = get_scoped(request, Incident, uuid=uuid)
    running = _scans(request, incident)
    if not running and request.GET.get("was"):
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(
        request, "incidents/_scans.html", {"obj": incident, "running": running, "now": timezone.now()}
    )


@org_view(Perm.EDIT)
@require_POST
def note_view(request, uuid):
    incident = get_scoped(request, Incident, uuid=uuid)
    form = NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else field}: {error}"
                )
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        if error := size_error(upload):
            messages.error(request, error)
        else:
            try:
                actions.add_note(
                    incident,
                    actor(request),
                    form.cleaned_data["kind"],
                    form.cleaned_data["text"],
                    upload,
                    occurred_at=form.cleaned_data.get("occurred_at"),
                )
            except RuleError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Added to the timeline."))
    return redirect("incidents:detail", incident.uuid)


@org_view(Perm.EDIT)
@require_POST
def task_add_view(request, uuid):
    incident = get_scoped(request, Incident, uuid=uuid)
    form = TaskForm(request.POST)
    if form.is_valid():
        actions.add_task(
            incident,
            actor(request),
            form.cleaned_data["title"],
            form.cleaned_data["due_on"],
            owner=request.user,
        )
    return redirect("incidents:detail", incident.uuid)


@org_view(Perm.EDIT)
@require_POST
def task_done_view(request, uuid):
    task = get_scoped(request, Task, uuid=uuid)
    actions.complete_task(task, actor(request), done=task.done_at is None)
    return redirect(f"/incidents/{task.incident.uuid}/#tasks")


@org_view(Perm.EDIT)
@require_POST
def close_view(request, uuid):
    incident = get_scoped(request, Incident, uuid=uuid)
    actions.close(incident, actor(request))
    messages.success(request, _("The incident was closed."))
    return redirect("incidents:detail", incident.uuid)


@org_view(Perm.VIEW)
def document_view(request, uuid, kind, fmt):
    incident = get_scoped(request, Incident, uuid=uuid)
    if kind not in DocumentKind.values or fmt not in ("docx", "html"):
        raise Http404
    text = documents.render_text(incident, kind)
    label = DocumentKind(kind).label
    if request.membership.allows(Perm.EDIT):
        actions.record_document(incident, actor(request), kind, fmt, text)
    trail.record(
        org=request.org,
        actor=actor(request),
        action=Action.EXPORT,
        obj=incident,
        code="incidents.document_exported",
        params={"document": kind},
    )
    if kind in documents.PPC_KINDS:
        from mamori.incidents import ppc

        if fmt == "html":
            return render(
                request,
                "incidents/ppc.html",
                {
                    "incident": incident,
                    "label": label,
                    "sections": ppc.sections(incident, kind),
                    "stage": ppc.STAGES[kind],
                    "heading": ppc.heading(kind),
                    "text": text,
                },
            )
        body = ppc.to_docx(incident, kind)
    elif fmt == "html":
        return render(
            request, "incidents/document.html", {"incident": incident, "label": label, "text": text}
        )
    else:
        body = documents.to_docx(text, str(label))
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="mamori-{kind}-{incident.uuid}.docx"'
    return response


@org_view(Perm.VIEW)
def timeline_view(request, uuid, fmt):
    incident = get_scoped(request, Incident, uuid=uuid)
    entries = incident.timeline.order_by("seq")
    trail.record(
        org=request.org,
        actor=actor(request),
        action=Action.EXPORT,
        obj=incident,
        object_repr=f"{incident}: timeline.{fmt}",
    )
    if fmt == "html":
        return render(
            request,
            "incidents/timeline.html",
            {"incident": incident, "entries": entries, "problem": actions.verify_timeline(incident)},
        )
    if fmt != "csv":
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mamori-timeline-{incident.uuid}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["seq", "at", "actor", "kind", "text", "file", "sha256", "prev_hash", "hash"])
    for e in entries:
        writer.writerow(
            [
                e.seq,
                timezone.localtime(e.at).isoformat(),
                e.actor_label,
                e.kind,
                neutralise(e.display_text),
                neutralise(e.file_name),
                e.sha256,
                e.prev_hash,
                e.hash,
            ]
        )
    return response


@org_view(Perm.VIEW)
def timeline_file_view(request, uuid):
    entry = get_scoped(request, TimelineEntry, uuid=uuid)
    if not entry.file:
        raise Http404
    trail.record(
        org=request.org,
        actor=actor(request),
        action=Action.DOWNLOAD,
        obj=entry.incident,
        object_repr=f"{entry.incident}: {entry.file_name}",
    )
    return FileResponse(entry.file.open("rb"), as_attachment=True, filename=entry.file_name)


@org_view(Perm.MANAGE)
def wording_view(request, kind):
    if kind not in DocumentKind.values:
        raise Http404
    own = DocumentTemplate.objects.for_org(request.org).filter(kind=kind).first()
    initial = {"body": own.body if own else documents.DEFAULTS[kind]}
    form = WordingForm(request.POST or None, instance=own, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.organization, obj.kind = request.org, kind
        obj.save()  # trailed at the save path, with the stored text as "before"
        messages.success(request, _("Saved."))
        return redirect("incidents:list")
    return render(
        request,
        "incidents/wording.html",
        {
            "form": form,
            "label": DocumentKind(kind).label,
            "kinds": DocumentKind.choices,
            "placeholders": documents.described(documents.PLACEHOLDERS[kind]),
        },
    )


def open_incidents(request):
    return scoped(request, Incident).filter(state=IncidentState.OPEN).order_by("final_due", "aware_on")


@org_view(Perm.MANAGE)
def reporter_view(request):
    """The reporter of the PPC reports (報告者): the business's name, address and contact point."""
    own = ReporterProfile.objects.for_org(request.org).first()
    if own is None:
        own = ReporterProfile(organization=request.org, name=request.org.name)
    form = ReporterProfileForm(request.POST or None, instance=own, org=request.org)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.organization = request.org
        obj.save()  # trailed at the save path
        messages.success(request, _("Saved."))
        return redirect("incidents:list")
    return render(request, "incidents/reporter.html", {"form": form})
