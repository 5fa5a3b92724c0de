from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.ledger.models import DataAsset
from mamori.platform.web.forms import ItemsField, OrgModelForm, SpecialCareField, date_widgets


class DataAssetForm(OrgModelForm):
    items = ItemsField()
    special_care = SpecialCareField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False  # left out: unchanged (new: in use)

    def clean_status(self):
        return self.cleaned_data.get("status") or self.instance.status

    class Meta:
        model = DataAsset
        fields = [
            "name",
            "status",
            "description",
            "department",
            "items",
            "special_care",
            "other_items",
            "individuals",
            "individuals_estimated",
            "purposes",
            "disclosure",
            "storage_kind",
            "storage_location",
            "access",
            "highly_encrypted",
            "retention",
            "deletion_rule",
            "last_reviewed",
        ]
        widgets = {
            **date_widgets("last_reviewed"),
            "description": forms.Textarea(attrs={"rows": 2}),
            "purposes": forms.Textarea(attrs={"rows": 2}),
            "access": forms.Textarea(attrs={"rows": 2}),
        }


class ScanUploadForm(forms.Form):
    name = forms.CharField(label=_("Name of the data set"), max_length=200)
    file = forms.FileField(
        label=_("File (CSV, Excel, JSON, text or ZIP)"),
        help_text=_(
            "The file is scanned and discarded: only the items found and the number of people are kept."
        ),
    )
