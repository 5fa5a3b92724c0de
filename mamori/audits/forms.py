from __future__ import annotations

from django import forms

from mamori.audits.models import Audit, AuditPlan, CorrectiveAction, Employee, Finding, TrainingSession
from mamori.platform.accounts.models import User
from mamori.platform.web.forms import OrgModelForm, date_widgets


class AuditForm(OrgModelForm):
    class Meta:
        model = Audit
        fields = ["vendor", "kind", "performed_on", "auditors", "scope", "evidence_reviewed", "summary"]
        widgets = {
            **date_widgets("performed_on"),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "evidence_reviewed": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class FindingForm(OrgModelForm):
    class Meta:
        model = Finding
        fields = ["audit", "severity", "description", "reference"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ActionForm(OrgModelForm):
    class Meta:
        model = CorrectiveAction
        fields = [
            "finding",
            "what",
            "responsible",
            "owner",
            "due_on",
            "status",
            "closing_evidence",
            "done_on",
        ]
        widgets = date_widgets("due_on", "done_on")


class EmployeeForm(OrgModelForm):
    class Meta:
        model = Employee
        fields = ["number", "name", "department", "email", "status"]


class TrainingForm(OrgModelForm):
    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "attendees", "staff", "other_attendees", "material"]
        widgets = {
            **date_widgets("held_on"),
            "attendees": forms.CheckboxSelectMultiple,
            "staff": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, org=org, **kwargs)

        self.fields["attendees"].queryset = User.objects.filter(memberships__organization=org).order_by(
            "email"
        )
        # The roster's staff still employed, and whoever this session already lists.
        staff = self.fields["staff"]
        staff.queryset = staff.queryset.filter(status="active") | (
            staff.queryset.filter(trainings=self.instance) if self.instance.pk else staff.queryset.none()
        )
        staff.queryset = staff.queryset.distinct().order_by("department", "name")


class PlanForm(forms.ModelForm):
    class Meta:
        model = AuditPlan
        fields = ["high_months", "high_kind", "medium_months", "medium_kind", "low_months", "low_kind"]
