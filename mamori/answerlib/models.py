"""The vendor's side: our own answers to the questions principals ask (the answer library), the
evidence behind them, and the principals' sheets we answer from it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.platform.tenancy.models import OrgOwned


class Value(models.TextChoices):
    YES = "yes", _("Yes (はい)")
    PARTIAL = "partial", _("Partly (一部)")
    NO = "no", _("No (いいえ)")
    NA = "na", _("Not applicable (該当なし)")


class Source(models.TextChoices):
    BUILTIN = "builtin", _("Built-in check sheet")
    SELF = "self", _("Self-assessment")
    OWN = "own", _("Added by us")


class LibraryAnswer(OrgOwned):
    """One canonical question with the organization's own answer. Ended, never deleted."""

    key = models.CharField(_("key"), max_length=40)
    section = models.CharField(_("section"), max_length=200, blank=True)
    question = models.TextField(_("question"))
    also = models.JSONField(_("other wordings"), default=list, blank=True)
    value = models.CharField(_("answer"), max_length=8, choices=Value.choices, blank=True)
    remark = models.TextField(_("remark"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.BUILTIN)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="one_library_answer_per_key")
        ]
        verbose_name = _("library answer")

    def __str__(self) -> str:
        return self.question[:80]

    def expired(self, today) -> bool:
        return self.valid_until is not None and self.valid_until < today


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"{instance.organization.uuid}/answerlib/{instance.uuid}.{suffix}"


class EvidenceFile(OrgOwned):
    """A file that shows an answer is true (a policy, a certificate), valid until a date."""

    answer = models.ForeignKey(
        LibraryAnswer, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("library answer")
    )
    file = models.FileField(upload_to=evidence_path, verbose_name=_("file"))
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("evidence file")

    def __str__(self) -> str:
        return self.name


def incoming_path(instance: IncomingSheet, filename: str) -> str:
    return f"{instance.organization.uuid}/answerlib/sheets/{instance.uuid}.xlsx"


class IncomingSheet(OrgOwned):
    """A principal's check sheet as received, with a proposed or confirmed answer per question.

    ``rows``: ``[{"row", "text", "key", "score", "confidence", "value", "remark", "confirmed"}]``
    (``row`` 1-based as Excel shows it; ``key`` the library entry proposed)."""

    name = models.CharField(_("name"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to=incoming_path, verbose_name=_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sheet = models.CharField(_("worksheet"), max_length=200)
    header_row = models.PositiveIntegerField(_("header row"))
    answer_column = models.PositiveSmallIntegerField(_("answer column"))
    remark_column = models.PositiveSmallIntegerField(_("remark column"), null=True, blank=True)
    symbols = models.JSONField(_("answer symbols"), default=list, blank=True)
    rows = models.JSONField(_("questions"), default=list, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("incoming check sheet")

    def __str__(self) -> str:
        return self.name
