from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.contracts import CLAUSES
from mamori.platform.web.files import size_error
from mamori.platform.web.forms import ItemsField, OrgModelForm, SpecialCareField, date_widgets
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor, VendorContact

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".txt": "text/plain",
}


class VendorForm(OrgModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "corporate_number", "address", "services", "status", "notes", "tags"]
        widgets = {"services": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}


class VendorContactForm(OrgModelForm):
    class Meta:
        model = VendorContact
        fields = ["vendor", "name", "department", "email", "phone"]


class CertificationForm(OrgModelForm):
    class Meta:
        model = Certification
        fields = ["vendor", "kind", "number", "expires_on", "note"]
        widgets = date_widgets("expires_on")


class EntrustmentForm(OrgModelForm):
    items = ItemsField(label=_("Items handed over"))
    special_care = SpecialCareField()

    class Meta:
        model = Entrustment
        fields = [
            "vendor",
            "data_asset",
            "parent",
            "items",
            "special_care",
            "individuals",
            "purpose",
            "access_method",
            "starts_on",
            "ends_on",
            "end_handling",
            "end_handled_on",
            "end_evidence",
            "approved",
            "approved_on",
            "approval_evidence",
        ]
        widgets = date_widgets("starts_on", "ends_on", "end_handled_on", "approved_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = self.fields["parent"].queryset.select_related("vendor", "data_asset")
        self.fields["parent"].help_text = _(
            "Only for a re-subcontract: the entrustment this one passes data on from."
        )


class ContractForm(OrgModelForm):
    class Meta:
        model = Contract
        fields = ["vendor", "title", "status", "starts_on", "ends_on", "auto_renewal", "document"]
        widgets = date_widgets("starts_on", "ends_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False  # left out: unchanged (new: in force)
        initial = (self.instance.clauses or {}) if self.instance.pk else {}
        for code, label, _pattern in CLAUSES:
            self.fields[f"clause_{code}"] = forms.BooleanField(
                label=label, required=False, initial=initial.get(code, False)
            )

    def clean_status(self):
        return self.cleaned_data.get("status") or self.instance.status

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or not hasattr(document, "size"):
            return document
        suffix = "." + document.name.rsplit(".", 1)[-1].lower() if "." in document.name else ""
        if suffix not in DOCUMENT_TYPES:
            raise forms.ValidationError(_("Upload a PDF, Word (.docx, .doc) or text file."))
        if error := size_error(document):
            raise forms.ValidationError(error)
        head = document.read(8)
        document.seek(0)
        if suffix == ".pdf" and not head.startswith(b"%PDF"):
            raise forms.ValidationError(_("This is not a PDF file."))
        if suffix == ".docx" and not head.startswith(b"PK"):
            raise forms.ValidationError(_("This is not a Word (.docx) file."))
        return document

    def confirmed_clauses(self) -> dict[str, bool]:
        return {code: bool(self.cleaned_data.get(f"clause_{code}")) for code, _l, _p in CLAUSES}


class ApprovalForm(OrgModelForm):
    """「再委託を承認」: the date (today unless said otherwise) and, optionally, the evidence."""

    class Meta:
        model = Entrustment
        fields = ["approved_on", "approval_evidence"]
        widgets = date_widgets("approved_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_on"].required = True
