from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core import preparedness as core
from mamori.platform.web.forms import OrgModelForm, date_widgets
from mamori.preparedness.models import Drill, PlanContact, ResponsePlan


class PlanForm(OrgModelForm):
    class Meta:
        model = ResponsePlan
        fields = [
            "decision_maker",
            "deputy",
            "internal_reporting",
            "call_centre",
            "approved_wording",
            "approved_by",
            "approved_on",
            "handles_card_data",
            "delegated_sector",
            "reviewed_on",
        ]
        widgets = {
            **date_widgets("approved_on", "reviewed_on"),
            "internal_reporting": forms.Textarea(attrs={"rows": 2}),
            "call_centre": forms.Textarea(attrs={"rows": 3}),
            "approved_wording": forms.Textarea(attrs={"rows": 6}),
        }


class ContactForm(OrgModelForm):
    class Meta:
        model = PlanContact
        fields = ["role", "name", "person", "phone", "email", "notes"]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if not 3 <= len(digits) <= 15:
            raise forms.ValidationError(_("Enter a phone number (digits, hyphens allowed)."))
        return phone


SAMPLE_CHOICES = [("", "—")] + [(k, v["title"]) for k, v in core.SAMPLES.items()]


class DrillForm(OrgModelForm):
    sample = forms.ChoiceField(label=_("Or a sample scenario"), choices=SAMPLE_CHOICES, required=False)

    class Meta:
        model = Drill
        fields = ["title", "incident", "sample", "held_on", "participants"]
        widgets = {**date_widgets("held_on"), "participants": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if not data.get("incident") and not data.get("sample"):
            self.add_error("sample", _("Choose a past incident or a sample scenario."))
        return data
