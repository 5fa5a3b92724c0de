from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.core.items import flags
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.models import OrgOwned
from mamori.scan.patterns import corporate_number_ok


def validate_corporate_number(value: str) -> None:
    if value and not (len(value) == 13 and value.isdigit() and corporate_number_ok(value)):
        raise ValidationError(
            _("A corporate number has 13 digits and a valid check digit; check it on the NTA site.")
        )


class VendorStatus(models.TextChoices):
    CONSIDERING = "considering", _("Under consideration")
    SELECTED = "selected", _("Selected")
    CONTRACTED = "contracted", _("Under contract")
    ENDED = "ended", _("Ended")


class Tier(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Vendor(OrgOwned):
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    services = models.TextField(_("services provided"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VendorStatus.choices, default=VendorStatus.CONSIDERING
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    # Inherent risk, recomputed whenever what the vendor receives changes (mamori.vendors.actions).
    inherent_tier = models.CharField(
        _("inherent risk"), max_length=8, choices=Tier.choices, default=Tier.LOW, editable=False
    )
    tier_points = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("inherent risk points")
    )
    tier_explanation = models.CharField(
        max_length=500, blank=True, editable=False, verbose_name=_("inherent risk explanation")
    )
    # From the latest scored check sheet (mamori.risk.rating, told by the apps' events).
    control_score = models.FloatField(_("control score"), null=True, blank=True, editable=False)
    control_rating = models.CharField(_("control rating"), max_length=1, blank=True, editable=False)
    risk_rating = models.CharField(_("risk rating"), max_length=8, blank=True, editable=False)
    risk_explanation = models.CharField(
        max_length=500, blank=True, editable=False, verbose_name=_("risk explanation")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    trail_exclude = ("tier_points", "tier_explanation", "updated_at", "risk_explanation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        indexes = [
            models.Index(fields=["organization", "name"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "inherent_tier"]),
            # the portfolio's count of vendors at high risk (an index-only scan)
            models.Index(fields=["organization", "risk_rating", "status"]),
        ]

    def __str__(self) -> str:
        return self.name


class VendorContact(OrgOwned):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("vendor")
    )
    name = models.CharField(_("name"), max_length=150)
    department = models.CharField(_("department or role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return self.name


class CertificationKind(models.TextChoices):
    PMARK = "pmark", _("Privacy Mark (Pマーク)")
    ISMS = "isms", _("ISMS / ISO 27001")
    ISO27701 = "iso27701", _("ISO 27701")
    SOC2 = "soc2", _("SOC 2")
    OTHER = "other", _("Other")


class Certification(OrgOwned):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("vendor")
    )
    kind = models.CharField(_("certification"), max_length=16, choices=CertificationKind.choices)
    number = models.CharField(_("registration number"), max_length=100, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["expires_on"]
        verbose_name = _("certification")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def expired_on(self, today: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    @property
    def expired(self) -> bool:  # for templates
        return self.expired_on(timezone.localdate())


class AccessMethod(models.TextChoices):
    COPIES = "copies", _("Receives copies")
    REMOTE = "remote", _("Works in our systems remotely")
    ON_PREMISES = "on_premises", _("Works on our premises")
    HOSTING = "hosting", _("Hosts the data")


class EndHandling(models.TextChoices):
    NONE = "", _("Not yet")
    RETURNED = "returned", _("Returned")
    ERASED = "erased", _("Erased")


class Entrustment(OrgOwned):
    """Personal data of one data set handed to one vendor; with a parent, a re-subcontract."""

    # History: a vendor or data set that received data is ended, not deleted (PROTECT).
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="entrustments", verbose_name=_("vendor")
    )
    data_asset = models.ForeignKey(
        DataAsset, on_delete=models.PROTECT, related_name="entrustments", verbose_name=_("data set")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("passed on from (re-subcontracting)"),
    )
    items = models.JSONField(_("items handed over"), default=list, blank=True)
    special_care = models.JSONField(_("special-care categories"), default=list, blank=True)
    individuals = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    access_method = models.CharField(
        _("how the vendor reaches the data"),
        max_length=16,
        choices=AccessMethod.choices,
        default=AccessMethod.COPIES,
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    end_handling = models.CharField(
        _("at the end"), max_length=16, choices=EndHandling.choices, blank=True, default=EndHandling.NONE
    )
    end_handled_on = models.DateField(_("returned or erased on"), null=True, blank=True)
    end_evidence = models.CharField(_("evidence of return or erasure"), max_length=300, blank=True)
    approved = models.BooleanField(_("re-subcontracting approved by us"), default=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_evidence = models.CharField(
        _("evidence of approval"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional: the approval letter's number, the e-mail it was given in, or where it is filed."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("entrustment")
        indexes = [
            models.Index(fields=["organization", "vendor"]),
            models.Index(fields=["organization", "data_asset"]),
        ]

    def __str__(self) -> str:
        return f"{self.data_asset} → {self.vendor}"

    @property
    def is_subcontract(self) -> bool:
        return self.parent_id is not None

    def active_on(self, today: dt.date) -> bool:
        return self.end_handling == "" and (self.ends_on is None or self.ends_on >= today)

    @property
    def active(self) -> bool:  # for templates
        return self.active_on(timezone.localdate())

    @property
    def flags(self) -> dict[str, bool]:
        return flags(self.items or [], self.special_care or [])

    def clean(self):
        if self.parent_id and self.parent.data_asset_id != self.data_asset_id:
            raise ValidationError(
                _("A re-subcontract hands on data of the same data set as the entrustment above it.")
            )
        if self.parent_id and self.parent.vendor_id == self.vendor_id:
            raise ValidationError(_("A vendor cannot re-subcontract to itself."))


def contract_upload_path(instance: Contract, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.organization.uuid}/contracts/{instance.uuid}.{suffix}"


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class Contract(OrgOwned):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("vendor")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    document = models.FileField(_("document (PDF or Word)"), upload_to=contract_upload_path, blank=True)
    document_name = models.CharField(
        max_length=255, blank=True, editable=False, verbose_name=_("document name")
    )
    document_sha256 = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("document SHA-256")
    )
    clauses = models.JSONField(_("clauses confirmed"), default=dict, blank=True)
    suggested_clauses = models.JSONField(
        default=list, blank=True, editable=False, verbose_name=_("suggested clauses")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("contract")

    def __str__(self) -> str:
        return self.title

    def history_records(self) -> list[str]:
        """A signed contract, or one that has been in force, is a supervision record."""
        if self.document or (self.starts_on and self.starts_on <= timezone.localdate()):
            return [str(_("a contract signed or in force"))]
        return []
