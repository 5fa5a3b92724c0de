"""The ★ level we require of a vendor for one entrustment (METI supply-chain evaluation scheme, draft)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.platform.tenancy.models import OrgOwned
from mamori.vendors.models import Entrustment


class StarLevel(models.IntegerChoices):
    STAR3 = 3, _("★3 (self-assessed)")
    STAR4 = 4, _("★4 (third-party assessed)")


class RequiredStar(OrgOwned):
    entrustment = models.OneToOneField(
        Entrustment, on_delete=models.CASCADE, related_name="required_star", verbose_name=_("entrustment")
    )
    level = models.PositiveSmallIntegerField(_("required level"), choices=StarLevel.choices)
    reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("required ★ level")

    def __str__(self) -> str:
        return f"{self.entrustment}: ★{self.level}"
