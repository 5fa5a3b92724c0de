from __future__ import annotations

from django import forms

from mamori.platform.web.forms import OrgModelForm, date_widgets
from mamori.provisions.models import DataUse, OptOutNotice, ProvisionRecord, PurposeNotice


class ProvisionRecordForm(OrgModelForm):
    class Meta:
        model = ProvisionRecord
        fields = [
            "direction",
            "data_asset",
            "basis",
            "counterparty",
            "counterparty_address",
            "counterparty_is_corporation",
            "representative",
            "provided_on",
            "last_provided_on",
            "method",
            "subjects",
            "items",
            "consent_obtained",
            "acquisition",
            "foreign",
            "from_opt_out",
            "purpose",
            "recorded_on",
            "notes",
            "status",
        ]
        widgets = {
            **date_widgets("provided_on", "last_provided_on", "recorded_on"),
            "acquisition": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class OptOutNoticeForm(OrgModelForm):
    class Meta:
        model = OptOutNotice
        fields = [
            "data_asset",
            "items",
            "acquisition_method",
            "provision_method",
            "stop_request_method",
            "notified_on",
            "where",
            "filed_on",
            "status",
        ]
        widgets = date_widgets("notified_on", "filed_on")


class PurposeNoticeForm(OrgModelForm):
    class Meta:
        model = PurposeNotice
        fields = ["data_asset", "purpose", "way", "since", "where", "third_party", "status"]
        widgets = date_widgets("since")


class DataUseForm(OrgModelForm):
    class Meta:
        model = DataUse
        fields = ["data_asset", "description", "purpose", "since", "status"]
        widgets = date_widgets("since")
