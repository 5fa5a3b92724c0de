"""Training records for all staff (issue 17, "Staff, not only users"): the employee roster (imported
from Excel/CSV through the import framework), who has not attended this year, and a certificate of
attendance to print. Staff must be trained (個人情報保護法ガイドライン（通則編）10-4 人的安全管理措置)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.audits.forms import EmployeeForm
from mamori.audits.models import Employee, EmployeeStatus, TrainingSession
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped
from mamori.platform.web.imports import Col, ImportSpec, choice


def fiscal_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The fiscal year (年度, from 1 April) that ``today`` falls in."""
    start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return start, dt.date(start.year + 1, 3, 31)


def not_attended(request, today: dt.date):
    """Staff still employed who attended no training session this fiscal year."""
    start, end = fiscal_year(today)
    attended = TrainingSession.staff.through.objects.filter(
        trainingsession__organization=request.org,
        trainingsession__held_on__range=(start, end),
    ).values("employee_id")
    return (
        scoped(request, Employee)
        .filter(status=EmployeeStatus.ACTIVE)
        .exclude(pk__in=attended)
        .order_by("department", "name")
    )


@org_view(Perm.VIEW)
def missing_view(request):
    today = timezone.localdate()
    start, end = fiscal_year(today)
    staff = list(not_attended(request, today))
    employed = scoped(request, Employee).filter(status=EmployeeStatus.ACTIVE).count()
    return render(
        request,
        "audits/training_missing.html",
        {"staff": staff, "employed": employed, "start": start, "end": end},
    )


@org_view(Perm.VIEW)
def certificate_view(request, uuid):
    """A certificate of attendance for one member of staff: the session given by ``?session=``,
    else the latest one they attended."""
    person = get_scoped(request, Employee, uuid=uuid)
    sessions = person.trainings.order_by("-held_on")
    wanted = request.GET.get("session")
    if wanted:
        try:
            sessions = sessions.filter(uuid=wanted)
        except ValidationError:
            raise Http404 from None
    session = sessions.first()
    if session is None:
        raise Http404(_("This person did not attend this session."))
    return render(
        request,
        "audits/training_certificate.html",
        {"session": session, "person": person, "issued": timezone.localdate()},
    )


class RosterLookups:
    """The roster read once for a whole file: an employee is matched by number, else by name."""

    def __init__(self, request):
        self.by_number: dict[str, Employee] = {}
        self.by_name: dict[str, Employee] = {}
        for e in scoped(request, Employee).order_by("created_at", "pk"):
            if e.number:
                self.by_number.setdefault(e.number, e)
            self.by_name.setdefault(e.name, e)


def match_employee(data: dict, ctx: RosterLookups) -> Employee | None:
    number = data.get("number") or ""
    if number:
        return ctx.by_number.get(number)
    return ctx.by_name.get(data.get("name") or "")


EMPLOYEES = ImportSpec(
    name="employees",
    label="従業者名簿",
    form_class=EmployeeForm,
    context=RosterLookups,
    columns=[
        Col("社員番号", "number"),
        Col("氏名", "name", required=True),
        Col("部署", "department"),
        Col("メール", "email"),
        Col("在籍状況", "status", choice(EmployeeStatus.choices)),
    ],
    example=["A0012", "山田 花子", "総務部", "yamada@example.jp", "在籍"],
    match=match_employee,
    key=lambda data: data.get("number") or None,
)
