from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.core.items import flags
from mamori.platform.tenancy.models import OrgOwned


class Disclosure(models.TextChoices):
    NOTIFIED = "notified", _("Notified to the individuals")
    PUBLISHED = "published", _("Published")
    BOTH = "both", _("Notified and published")
    NONE = "none", _("Not yet")


class StorageKind(models.TextChoices):
    SYSTEM = "system", _("In-house system")
    CLOUD = "cloud", _("Cloud service")
    PAPER = "paper", _("Paper")
    OTHER = "other", _("Other")


class DataAssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    ENDED = "ended", _("Ended")


class DataAsset(OrgOwned):
    """A set of personal data the company holds (個人データ管理台帳の1行)."""

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=DataAssetStatus.choices, default=DataAssetStatus.IN_USE
    )
    description = models.TextField(_("description"), blank=True)
    department = models.CharField(_("owning department"), max_length=100, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    special_care = models.JSONField(_("special-care categories"), default=list, blank=True)
    other_items = models.CharField(_("other items"), max_length=300, blank=True)
    individuals = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    individuals_estimated = models.BooleanField(_("the number is an estimate"), default=False)
    purposes = models.TextField(_("purposes of use"), blank=True)
    disclosure = models.CharField(
        _("purposes notified or published"),
        max_length=16,
        choices=Disclosure.choices,
        default=Disclosure.NONE,
    )
    storage_kind = models.CharField(
        _("kept in"), max_length=16, choices=StorageKind.choices, default=StorageKind.SYSTEM
    )
    storage_location = models.CharField(_("system, service or place"), max_length=200, blank=True)
    access = models.TextField(_("who can reach it"), blank=True)
    highly_encrypted = models.BooleanField(_("strongly encrypted"), default=False)
    retention = models.CharField(_("retention period"), max_length=200, blank=True)
    deletion_rule = models.CharField(_("deletion rule"), max_length=200, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    has_special_care = models.BooleanField(_("special-care"), default=False, editable=False)
    has_my_number = models.BooleanField(_("My Number"), default=False, editable=False)
    has_financial = models.BooleanField(_("financial"), default=False, editable=False)
    scan_summary = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("scan summary"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("data set")
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name

    def history_records(self) -> list[str]:
        """Incidents that involved the data set keep it (the link is many-to-many: no PROTECT)."""
        n = self.incidents.count() if self.pk else 0
        return [str(_("incidents: %(n)s")) % {"n": n}] if n else []

    def save(self, *args, **kwargs):
        f = flags(self.items or [], self.special_care or [])
        self.has_special_care, self.has_my_number, self.has_financial = (
            f["special_care"],
            f["my_number"],
            f["financial"],
        )
        super().save(*args, **kwargs)
