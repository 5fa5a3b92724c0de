from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.contracts import CLAUSES
from mamori.platform.web.files import size_error
from mamori.platform.web.forms import ItemsField, OrgModelForm, SpecialCareField, date_widgets
from mamori.vendors.models import (
    Certification,
    CertificationKind,
    Contract,
    Entrustment,
    Vendor,
    VendorContact,
)

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".txt": "text/plain",
}


class VendorForm(OrgModelForm):
    """A vendor, with (optionally) a contact and a certification added with it.

    ``corporate_numbers`` (an import passes it, read once for the whole file) maps each corporate
    number already registered to its vendor's ``(pk, name)``; without it one query checks it."""

    contact_name = forms.CharField(label=_("Contact: name"), max_length=150, required=False)
    contact_department = forms.CharField(
        label=_("Contact: department or role"), max_length=150, required=False
    )
    contact_email = forms.EmailField(label=_("Contact: e-mail address"), required=False)
    contact_phone = forms.CharField(label=_("Contact: phone"), max_length=30, required=False)
    certification_kind = forms.ChoiceField(
        label=_("Certification"), choices=[("", "---------"), *CertificationKind.choices], required=False
    )
    certification_number = forms.CharField(
        label=_("Certification: registration number"), max_length=100, required=False
    )
    certification_expires_on = forms.DateField(
        label=_("Certification: valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    PART_FIELDS = (
        "contact_name",
        "contact_department",
        "contact_email",
        "contact_phone",
        "certification_kind",
        "certification_number",
        "certification_expires_on",
    )

    class Meta:
        model = Vendor
        fields = ["name", "corporate_number", "address", "services", "status", "notes", "tags"]
        widgets = {"services": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, corporate_numbers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.corporate_numbers = corporate_numbers
        if self.instance.pk:
            self.fields["contact_name"].label = _("Add a contact: name")
            self.fields["certification_kind"].label = _("Add a certification")

    def clean_corporate_number(self):
        number = self.cleaned_data.get("corporate_number", "")
        if not number:
            return number
        if self.corporate_numbers is not None:
            found = self.corporate_numbers.get(number)
        else:
            found = (
                Vendor.objects.for_org(self.org)
                .filter(corporate_number=number)
                .values_list("pk", "name")
                .first()
            )
        if found and found[0] != self.instance.pk:
            raise forms.ValidationError(
                _("The corporate number %(number)s is already registered for %(vendor)s.")
                % {"number": number, "vendor": f"「{found[1]}」"}
            )
        return number

    def clean(self):
        data = super().clean()
        contact = [data.get(n) for n in ("contact_department", "contact_email", "contact_phone")]
        if any(contact) and not data.get("contact_name"):
            self.add_error("contact_name", _("Give the contact's name."))
        if (data.get("certification_number") or data.get("certification_expires_on")) and not data.get(
            "certification_kind"
        ):
            self.add_error("certification_kind", _("Choose the certification."))
        return data

    def parts(self, vendor: Vendor | None, contacts: set | None = None, certs: set | None = None) -> list:
        """The contact and certification given with the vendor (unsaved), when not already there
        (``contacts``: the vendor's contact names, ``certs``: its (kind, number), when known)."""
        data, out = self.cleaned_data, []
        if data.get("contact_name"):
            contact = VendorContact(
                name=data["contact_name"],
                department=data.get("contact_department") or "",
                email=data.get("contact_email") or "",
                phone=data.get("contact_phone") or "",
            )
            if contacts is None:
                contacts = (
                    {c.name for c in vendor.contacts.all()} if vendor is not None and vendor.pk else set()
                )
            if contact.name not in contacts:
                out.append(contact)
        if data.get("certification_kind"):
            cert = Certification(
                kind=data["certification_kind"],
                number=data.get("certification_number") or "",
                expires_on=data.get("certification_expires_on"),
            )
            if certs is None:
                certs = (
                    {(c.kind, c.number) for c in vendor.certifications.all()}
                    if vendor is not None and vendor.pk
                    else set()
                )
            if (cert.kind, cert.number) not in certs:
                out.append(cert)
        return out

    def _save_m2m(self):
        super()._save_m2m()
        for part in self.parts(self.instance):
            part.organization = self.instance.organization
            part.vendor = self.instance
            part.save()


class VendorContactForm(OrgModelForm):
    class Meta:
        model = VendorContact
        fields = ["vendor", "name", "department", "email", "phone"]


class CertificationForm(OrgModelForm):
    class Meta:
        model = Certification
        fields = ["vendor", "kind", "number", "expires_on", "note"]
        widgets = date_widgets("expires_on")


def check_dates(form, data: dict, *pairs: tuple[str, str, str]) -> None:
    """Refuse impossible dates, next to the field: each ``(earlier, later, message)`` says
    ``later`` cannot be before ``earlier``."""
    for earlier, later, message in pairs:
        a, b = data.get(earlier), data.get(later)
        if a and b and b < a:
            form.add_error(later, message)


END_BEFORE_START = _("The end date is before the start date.")


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

    def clean(self):
        data = super().clean()
        check_dates(
            self,
            data,
            ("starts_on", "ends_on", END_BEFORE_START),
            ("starts_on", "end_handled_on", _("The data cannot be returned or erased before the start.")),
        )
        if data.get("end_handled_on") and not data.get("end_handling"):
            self.add_error("end_handling", _("Say whether the data was returned or erased."))
        if data.get("approved_on") and not data.get("approved"):
            self.add_error("approved", _("An approval date is given: tick the approval too."))
        return data


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

    def clean(self):
        data = super().clean()
        check_dates(self, data, ("starts_on", "ends_on", END_BEFORE_START))
        return data

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
