from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.objects import save_form
from mamori.platform.tenancy.scoping import get_scoped, org_view, require
from mamori.platform.trail.services import Actor
from mamori.platform.web.crud import Column, Resource
from mamori.preparedness import actions
from mamori.preparedness.forms import ContactForm, DrillForm, PlanForm
from mamori.preparedness.models import Drill, PlanContact


def _plan_context(request, plan, form=None, contact_form=None):
    return {
        "plan": plan,
        "form": form or PlanForm(instance=plan, org=request.org),
        "contact_form": contact_form or ContactForm(org=request.org),
        "contacts": plan.contacts.all(),
        "gaps": actions.gaps(plan),
        "drills": Drill.objects.for_org(request.org).order_by("-held_on")[:5],
    }


@org_view(Perm.VIEW)
def plan_view(request):
    plan = actions.plan_for(request.org)
    if request.method == "POST":
        require(request, Perm.EDIT)
        form = PlanForm(request.POST, instance=plan, org=request.org)
        if form.is_valid():
            save_form(request, form, Actor.from_request(request))
            messages.success(request, _("Saved."))
            return redirect("response_plan")
        return render(request, "preparedness/plan.html", _plan_context(request, plan, form=form))
    return render(request, "preparedness/plan.html", _plan_context(request, plan))


@org_view(Perm.EDIT)
@require_POST
def contact_add_view(request):
    plan = actions.plan_for(request.org)
    form = ContactForm(request.POST, org=request.org)
    if form.is_valid():
        save_form(request, form, Actor.from_request(request), prepare=lambda obj: setattr(obj, "plan", plan))
        messages.success(request, _("Saved."))
        return redirect("response_plan")
    return render(
        request, "preparedness/plan.html", _plan_context(request, plan, contact_form=form), status=400
    )


@org_view(Perm.EDIT)
@require_POST
def contact_delete_view(request, uuid):
    from mamori.platform.tenancy.objects import delete_object

    contact = get_scoped(request, PlanContact, uuid=uuid)
    delete_object(request, contact, Actor.from_request(request))
    messages.success(request, _("Deleted."))
    return redirect("response_plan")


@org_view(Perm.VIEW)
def plan_print_view(request):
    plan = actions.plan_for(request.org)
    return render(
        request,
        "preparedness/plan_print.html",
        {"plan": plan, "contacts": plan.contacts.all(), "org": request.org},
    )


def _drill_detail(request, drill):
    injects = drill.scenario.get("injects", [])
    return {
        "injects": [(i, drill.responses.get(str(i["no"]), "")) for i in injects],
        "findings": drill.findings.select_related("action"),
    }


def _prepare_drill(form):
    def prepare(obj):
        obj.sample = form.cleaned_data.get("sample") or ""

    return prepare


drills = Resource(
    name="drills",
    model=Drill,
    form_class=DrillForm,
    label=gettext_lazy("Drills"),
    singular=gettext_lazy("drill"),
    default_sort="-held_on",
    columns=[
        Column(gettext_lazy("Title"), lambda o: o.title, link=True),
        Column(gettext_lazy("Date"), lambda o: o.held_on, sort="-held_on"),
        Column(gettext_lazy("Status"), lambda o: o.get_status_display(), sort="status"),
        Column(gettext_lazy("Minutes"), lambda o: o.minutes if o.minutes is not None else "—"),
    ],
    search=["title", "participants"],
    detail_template="preparedness/drill_detail.html",
    detail_context=_drill_detail,
    prepare=_prepare_drill,
    after_save_url=lambda obj: f"/preparedness/drills/{obj.uuid}/generate/",
)


@org_view(Perm.EDIT)
def drill_generate_view(request, uuid):
    drill = get_scoped(request, Drill, uuid=uuid)
    if not drill.scenario:
        actions.generate(drill, Actor.from_request(request))
    return redirect("drills:detail", drill.uuid)


@org_view(Perm.EDIT)
@require_POST
def drill_start_view(request, uuid):
    drill = get_scoped(request, Drill, uuid=uuid)
    if drill.status == "planned":
        actions.start(drill, Actor.from_request(request))
    return redirect("drills:detail", drill.uuid)


@org_view(Perm.EDIT)
@require_POST
def drill_finish_view(request, uuid):
    drill = get_scoped(request, Drill, uuid=uuid)
    if drill.status != "running":
        return redirect("drills:detail", drill.uuid)
    answers = {str(i["no"]): request.POST.get(f"a_{i['no']}", "") for i in drill.scenario.get("injects", [])}
    findings = request.POST.get("findings", "").splitlines()
    created = actions.finish(drill, answers, findings, Actor.from_request(request))
    messages.success(request, _("Drill finished. Corrective actions: %(n)s") % {"n": len(created)})
    return redirect("drills:detail", drill.uuid)
