from __future__ import annotations

from django import forms
from django.db import models
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from mamori.core import wording
from mamori.core.appi.facts import check_dates
from mamori.incidents.documents import allowed
from mamori.incidents.models import DocumentTemplate, Incident, Principal, PrincipalStatus, ReporterProfile
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


# The guideline's examples beside the yes/no/unknown questions (GL 3-5-3-1).
IMPROPER_HELP = _(
    "Examples (GL 3-5-3-1): unauthorized access, ransomware, malware on a staff or vendor PC, theft of "
    "papers or devices, an employee taking data out to sell it, tampering with a web form. Answer "
    "\u201cunknown\u201d while it is not clear: the verdict is then held with the worst case shown."
)
FINANCIAL_HELP = _(
    "Examples (GL 3-5-3-1): credit-card numbers; a login ID with password of a service with payment or "
    "remittance functions. A bank account number alone usually is not."
)


# The edit page's fieldsets, in order: (id, legend, fields, shown only when "name=value" is chosen).
# Without JavaScript every group is shown; with it, the vendor group and the My Number questions
# appear only when they apply (their answers are kept either way).
GROUPS = [
    ("basics", _("Basic information"), ["title", "description", "audience", "role", "data_assets"], ""),
    (
        "dates",
        _("When it happened and when it was found"),
        ["occurred_on", "discovered_on", "aware_on", "how_found"],
        "",
    ),
    (
        "content",
        _("What leaked and how many people"),
        [
            "leak",
            "loss",
            "damage",
            "suspected",
            "items",
            "special_care",
            "special_care_unconfirmed",
            "medium",
            "individuals_kind",
            "individuals",
            "individuals_min",
            "individuals_max",
            "individuals_basis",
            "over_1000_known_date",
        ],
        "",
    ),
    (
        "judgement",
        _("Is it reportable (規則7条2号・3号 and the others)"),
        [
            "improper_purpose",
            "financial_damage_risk",
            "publicly_viewable",
            "highly_encrypted",
            "copy_exists",
            "recovered_before_access",
            "personal_info_being_acquired",
        ],
        "",
    ),
    ("my-number", _("My Number (番号法29条の4)"), ["my_number_system"], "items=my_number"),
    ("cause", _("Cause and who caused it"), ["cause", "caused_by", "vendor"], ""),
    (
        "vendor-mode",
        _("Notice to the principal (when we are the vendor)"),
        [
            "vendor_notified_principal",
            "principal",
            "principal_name",
            "principal_notified_on",
            "principal_notice_method",
        ],
        "role=vendor",
    ),
    (
        "report-items",
        _("Report items 6–9"),
        [
            "secondary_damage",
            "secondary_damage_detail",
            "recurrence_done",
            "recurrence_planned",
            "published_on",
            "publication_url",
            "contact_point",
            "other_matters",
        ],
        "",
    ),
    (
        "notices",
        _("Notice to individuals"),
        ["notice_method", "notices_sent", "notices_returned", "alternative_measures"],
        "",
    ),
]


class IncidentForm(OrgModelForm):
    items = ItemsField()
    special_care = SpecialCareField()
    publication_url = forms.URLField(label=_("publication URL"), required=False, assume_scheme="https")
    special_care_unconfirmed = SpecialCareField(
        label=_("Possibly special-care (found by keyword, to be confirmed)"), required=False
    )

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
            "caused_by",
            "improper_purpose",
            "financial_damage_risk",
            "occurred_on",
            "discovered_on",
            "aware_on",
            "data_assets",
            "vendor",
            "items",
            "special_care",
            "individuals",
            "individuals_kind",
            "individuals_min",
            "individuals_max",
            "individuals_basis",
            "special_care_unconfirmed",
            "over_1000_known_date",
            "my_number_system",
            "publicly_viewable",
            "highly_encrypted",
            "copy_exists",
            "recovered_before_access",
            "personal_info_being_acquired",
            "role",
            "vendor_notified_principal",
            "principal",
            "principal_name",
            "principal_notified_on",
            "principal_notice_method",
            "how_found",
            "audience",
            "medium",
            "secondary_damage",
            "secondary_damage_detail",
            "recurrence_done",
            "recurrence_planned",
            "published_on",
            "publication_url",
            "contact_point",
            "other_matters",
            "notice_method",
            "notices_sent",
            "notices_returned",
            "alternative_measures",
        ]
        widgets = {
            **date_widgets(
                "occurred_on",
                "discovered_on",
                "aware_on",
                "over_1000_known_date",
                "principal_notified_on",
                "published_on",
            ),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "how_found",
                    "secondary_damage_detail",
                    "recurrence_done",
                    "recurrence_planned",
                    "contact_point",
                    "other_matters",
                )
            },
            "description": forms.Textarea(attrs={"rows": 3}),
            "alternative_measures": forms.Textarea(attrs={"rows": 2}),
            "data_assets": forms.CheckboxSelectMultiple,
            "secondary_damage": UnknownYesNoSelect(
                choices=[("", _("Unknown")), ("true", _("Signs found")), ("false", _("No signs found"))]
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["highly_encrypted"].help_text = _(
            "Only when the data was encrypted with a recommended cipher and the key was kept apart and safe (規則7条)."
        )
        # Not asked yet = the model's default (unknown, or no for the My Number systems).
        for name in (
            "improper_purpose",
            "financial_damage_risk",
            "my_number_system",
            "publicly_viewable",
            "audience",
        ):
            self.fields[name].required = False
        self.fields["improper_purpose"].help_text = IMPROPER_HELP
        self.fields["financial_damage_risk"].help_text = FINANCIAL_HELP
        self.fields["caused_by"].help_text = _("Who caused it, separately from how (the cause).")
        # Our principals (委託元) from the list; the one already chosen stays even if ended since.
        chosen = self.instance.principal_id if self.instance and self.instance.pk else None
        field = self.fields["principal"]
        field.queryset = field.queryset.filter(
            models.Q(status=PrincipalStatus.ACTIVE) | models.Q(pk=chosen)
        ).order_by("name")
        field.help_text = _("From the list of our principals; the notice draft names it.")
        self.fields["principal_name"].help_text = _("Or type the name when the principal is not in the list.")
        self.fields["individuals_kind"].help_text = _(
            "When the number cannot be fixed, the law judges on the maximum possible (GL 3-5-3-1)."
        )

    def groups(self) -> list[dict]:
        """The fieldsets of the edit page (every visible field exactly once; any field not named in
        :data:`GROUPS` is shown in a last group so nothing is ever left off the page)."""
        out, seen = [], set()
        for key, legend, names, when in GROUPS:
            fields = [self[n] for n in names if n in self.fields]
            seen.update(names)
            if fields:
                name, _sep, value = when.partition("=")
                out.append({"id": key, "legend": legend, "fields": fields, "when": name, "value": value})
        rest = [f for f in self.visible_fields() if f.name not in seen]
        if rest:
            out.append({"id": "other", "legend": _("Other"), "fields": rest, "when": "", "value": ""})
        return out

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        for name in (
            "improper_purpose",
            "financial_damage_risk",
            "my_number_system",
            "publicly_viewable",
            "audience",
        ):
            if name in data and not data[name]:
                data[name] = Incident._meta.get_field(name).default
        if data.get("principal"):
            # The list decides the name the notice draft uses (free text is for principals not in it).
            data["principal_name"] = data["principal"].name
        if not (data.get("leak") or data.get("loss") or data.get("damage")):
            self.add_error("leak", _("Choose at least one: leak, loss or damage."))
        for asset in data.get("data_assets") or []:
            # The ledger fills in what the data sets hold.
            data["items"] = sorted(set(data.get("items") or []) | set(asset.items or []))
            data["special_care"] = sorted(set(data.get("special_care") or []) | set(asset.special_care or []))
            if data.get("individuals") is None and asset.individuals:
                data["individuals"] = asset.individuals
                data["individuals_kind"] = "estimate"
        for name, message in check_dates(
            data.get("aware_on"),
            data.get("occurred_on"),
            data.get("discovered_on"),
            timezone.localdate(),
            names={
                "aware_date": "aware_on",
                "occurred_date": "occurred_on",
                "discovered_date": "discovered_on",
            },
        ).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        kind = data.get("individuals_kind")
        low, high = data.get("individuals_min"), data.get("individuals_max")
        if kind == "range":
            if high is None:
                self.add_error("individuals_max", _("Give the maximum number of people for a range."))
            elif low is not None and low > high:
                self.add_error("individuals_min", _("The minimum is larger than the maximum."))
        elif kind in ("exact", "estimate") and data.get("individuals") is None and high is None:
            data["individuals_kind"] = "unknown"  # no number given: the number is unknown


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
    occurred_at = forms.DateTimeField(
        label=_("When it happened (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
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


class ReporterProfileForm(OrgModelForm):
    class Meta:
        model = ReporterProfile
        fields = [
            "name",
            "corporate_number",
            "postal_code",
            "address",
            "representative",
            "organization_type",
            "industry",
            "delegated_ministry",
            "contact_department",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]


class PrincipalForm(OrgModelForm):
    class Meta:
        model = Principal
        fields = ["name", "department", "email", "phone", "entrusted", "status"]
        widgets = {"entrusted": forms.Textarea(attrs={"rows": 2})}
