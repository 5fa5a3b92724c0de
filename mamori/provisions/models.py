"""Third-party provision records (法29条・30条), opt-out notices (法27条2項), purposes of use per data
set with how and when they were notified or published (法21条), and the uses of each data set. The
rules are in :mod:`mamori.core.appi.provision`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mamori.core.appi import provision as rules
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.models import OrgOwned


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Direction(models.TextChoices):
    PROVIDING = rules.PROVIDING, _("We provide (提供)")
    RECEIVING = rules.RECEIVING, _("We receive (受領)")


BASIS_CHOICES = [(code, rules.basis_label(code)) for code in rules.BASES]
METHOD_CHOICES = list(rules.METHODS.items())
WAY_CHOICES = [("", _("Not yet notified or published")), *rules.DISCLOSURE_WAYS.items()]


class ProvisionRecord(OrgOwned):
    """One provision of personal data to a third party, or one receipt from a third party."""

    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    data_asset = models.ForeignKey(
        DataAsset, on_delete=models.PROTECT, related_name="provision_records", verbose_name=_("data set")
    )
    basis = models.CharField(_("legal basis"), max_length=32, choices=BASIS_CHOICES)
    counterparty = models.CharField(_("third party (name)"), max_length=200)
    counterparty_address = models.CharField(_("third party's address"), max_length=300, blank=True)
    counterparty_is_corporation = models.BooleanField(_("the third party is a corporation"), default=True)
    representative = models.CharField(_("representative (corporations)"), max_length=150, blank=True)
    provided_on = models.DateField(_("provided or received on"))
    last_provided_on = models.DateField(_("last provision covered by this record"), null=True, blank=True)
    method = models.CharField(
        _("how the record is kept"), max_length=16, choices=METHOD_CHOICES, default=rules.SINGLE
    )
    subjects = models.CharField(
        _("whose data (how the individuals are identified)"), max_length=300, blank=True
    )
    items = models.CharField(_("items of personal data"), max_length=300, blank=True)
    consent_obtained = models.BooleanField(_("the individuals' consent was obtained"), default=False)
    acquisition = models.TextField(_("how the provider acquired the data (receiving)"), blank=True)
    foreign = models.BooleanField(_("the third party is in a foreign country"), default=False)
    from_opt_out = models.BooleanField(_("the data was itself received by opt-out"), default=False)
    purpose = models.ForeignKey(
        "PurposeNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provisions",
        verbose_name=_("purpose of use it falls under"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_on = models.DateField(_("record made on"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-provided_on", "pk"]
        verbose_name = _("provision record")

    def __str__(self) -> str:
        arrow = "→" if self.direction == rules.PROVIDING else "←"
        return f"{self.data_asset} {arrow} {self.counterparty} {date_format(self.provided_on, 'DATE_FORMAT')}"

    @property
    def retention(self) -> tuple:
        return rules.retention_until(self.method, self.recorded_on, self.last_provided_on or self.provided_on)

    @property
    def retention_until(self):
        return self.retention[0]

    @property
    def record_required(self) -> bool:
        return rules.record_required(self.direction, self.basis)[0]

    def values(self) -> dict:
        return {
            "date": self.provided_on,
            "counterparty": self.counterparty,
            "counterparty_address": self.counterparty_address,
            "representative": self.representative,
            "acquisition": self.acquisition,
            "subjects": self.subjects,
            "items": self.items,
            "consent": self.consent_obtained,
        }


class OptOutNotice(OrgOwned):
    """Provision by opt-out (法27条2項): notified or made easily known to the individuals, and filed
    with the PPC, before the first provision."""

    data_asset = models.ForeignKey(
        DataAsset, on_delete=models.PROTECT, related_name="opt_out_notices", verbose_name=_("data set")
    )
    items = models.CharField(_("items provided"), max_length=300)
    acquisition_method = models.CharField(_("how the data is acquired"), max_length=300, blank=True)
    provision_method = models.CharField(_("how it is provided"), max_length=300, blank=True)
    stop_request_method = models.CharField(_("how individuals ask to stop"), max_length=300, blank=True)
    notified_on = models.DateField(_("notified or made known on"), null=True, blank=True)
    where = models.CharField(_("where it is published"), max_length=300, blank=True)
    filed_on = models.DateField(_("filed with the PPC on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-filed_on", "pk"]
        verbose_name = _("opt-out notice")

    def __str__(self) -> str:
        return f"{self.data_asset}（{self.items}）"

    @property
    def complete(self) -> bool:
        return bool(self.notified_on and self.filed_on)


class PurposeNotice(OrgOwned):
    """One purpose of use of a data set, and how and when it was notified or published (法21条)."""

    data_asset = models.ForeignKey(
        DataAsset, on_delete=models.PROTECT, related_name="purpose_notices", verbose_name=_("data set")
    )
    purpose = models.CharField(_("purpose of use"), max_length=300)
    way = models.CharField(
        _("how it was notified or published"), max_length=16, choices=WAY_CHOICES, blank=True
    )
    since = models.DateField(_("notified or published on"), null=True, blank=True)
    where = models.CharField(_("where (privacy policy URL, form …)"), max_length=300, blank=True)
    third_party = models.BooleanField(_("the purpose includes provision to third parties"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["data_asset__name", "pk"]
        verbose_name = _("purpose of use")

    def __str__(self) -> str:
        return f"{self.data_asset}: {self.purpose}"


class DataUse(OrgOwned):
    """Something the company does with a data set, and the notified purpose it falls under."""

    data_asset = models.ForeignKey(
        DataAsset, on_delete=models.PROTECT, related_name="uses", verbose_name=_("data set")
    )
    description = models.CharField(_("use"), max_length=300)
    purpose = models.ForeignKey(
        PurposeNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uses",
        verbose_name=_("purpose of use it falls under"),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["data_asset__name", "pk"]
        verbose_name = _("use of a data set")

    def __str__(self) -> str:
        return f"{self.data_asset}: {self.description}"
