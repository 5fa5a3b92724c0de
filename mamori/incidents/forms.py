from __future__ import annotations

from django import forms
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from mamori.core import wording
from mamori.incidents.documents import allowed
from mamori.incidents.models import DocumentTemplate, Incident
from mamori.incidents.rules import NOTE_KINDS
from mamori.platform.web.forms import ItemsField, OrgModelForm, SpecialCareField, date_widgets


class UnknownYesNoSelect(forms.NullBooleanSelect):
    """Unknown / yes / no for a nullable boolean, showing the stored answer as selected (a plain
    Select renders True as "True", which matches no option, so saving the page lost the answer)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs)
        self.choices = list(choices)

    def format_value(self, value):
        value = super().format_value(value)
        return ["" if value == "unknown" else value]


class IncidentForm(OrgModelForm):
    items = ItemsField()
    special_care = SpecialCareField()

    class Meta:
        model = Incident
        fields = [
            "title",
            "description",
            "leak",
            "loss",
            "damage",
            "suspected",
            "cause",
            "occurred_on",
            "discovered_on",
            "aware_on",
            "data_assets",
            "vendor",
            "items",
            "special_care",
            "individuals",
            "individuals_kind",
            "highly_encrypted",
            "copy_exists",
            "recovered_before_access",
            "personal_info_being_acquired",
            "role",
            "vendor_notified_principal",
            "secondary_damage",
            "notice_method",
            "notices_sent",
            "notices_returned",
            "alternative_measures",
        ]
        widgets = {
            **date_widgets("occurred_on", "discovered_on", "aware_on"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "alternative_measures": forms.Textarea(attrs={"rows": 2}),
            "data_assets": forms.CheckboxSelectMultiple,
            "secondary_damage": UnknownYesNoSelect(
                choices=[("", "不明"), ("true", "あり"), ("false", "なし")]
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["highly_encrypted"].help_text = _(
            "Only when the data was encrypted with a recommended cipher and the key was kept apart and safe (規則7条)."
        )

    def clean(self):
        data = super().clean()
        if not (data.get("leak") or data.get("loss") or data.get("damage")):
            self.add_error("leak", _("Choose at least one: leak, loss or damage."))
        for asset in data.get("data_assets") or []:
            # The ledger fills in what the data sets hold.
            data["items"] = sorted(set(data.get("items") or []) | set(asset.items or []))
            data["special_care"] = sorted(set(data.get("special_care") or []) | set(asset.special_care or []))
            if data.get("individuals") is None and asset.individuals:
                data["individuals"] = asset.individuals
                data["individuals_kind"] = "estimate"
        return data


class ScanForm(forms.Form):
    file = forms.FileField(
        label=_("The leaked or suspected file"),
        help_text=_(
            "Scanned and discarded: only the items, the number of people and the file's SHA-256 are kept."
        ),
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(NOTE_KINDS.items()))
    text = forms.CharField(label=_("What"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence file (optional)"), required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class WordingForm(forms.ModelForm):
    """An organization's wording of one document: placeholders from the kind's allow-list only."""

    class Meta:
        model = DocumentTemplate
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_body(self):

        # Browsers send line breaks as CRLF; the documents are written with LF.
        body = normalize_newlines(self.cleaned_data["body"])
        names = allowed(self.kind)
        problems = wording.check(body, names)
        errors = []
        if problems.unknown:
            errors.append(
                _("Unknown placeholders: %(unknown)s. You can use: %(allowed)s.")
                % {
                    "unknown": "、".join("{{" + n + "}}" for n in problems.unknown),
                    "allowed": "、".join("{{" + n + "}}" for n in names),
                }
            )
        if problems.tags:
            errors.append(
                _(
                    "Template tags cannot be used: %(tags)s. Only placeholders in double braces, "
                    "such as %(example)s, are filled in."
                )
                % {"tags": "、".join(problems.tags), "example": "{{" + names[0] + "}}"}
            )
        if errors:
            raise forms.ValidationError(errors)
        return body
