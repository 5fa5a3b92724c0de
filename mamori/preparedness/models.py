"""The response plan of an organization (who decides, who to call, the call centre, the wording
approved in advance), its drills (tabletop exercises, timed, with findings) and the plan attached to
each new incident."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mamori.audits.models import CorrectiveAction
from mamori.core import preparedness as core
from mamori.incidents.models import Incident
from mamori.platform.tenancy.models import OrgOwned

ROLE_CHOICES = [(code, label) for code, label, _w, _r in core.ROLES]


class ResponsePlan(OrgOwned):
    decision_maker = models.CharField(_("who decides (name and title)"), max_length=200, blank=True)
    deputy = models.CharField(_("deputy"), max_length=200, blank=True)
    internal_reporting = models.TextField(_("how staff report a suspected leak"), blank=True)
    call_centre = models.TextField(_("call-centre set-up"), blank=True)
    approved_wording = models.TextField(
        _("wording approved in advance (notice, public statement, Q&A)"), blank=True
    )
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    handles_card_data = models.BooleanField(_("we handle credit-card data"), default=False)
    delegated_sector = models.BooleanField(_("our sector reports to a ministry (delegation)"), default=False)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_response_plan_per_org")]
        verbose_name = _("response plan")

    def __str__(self) -> str:
        return str(_("response plan"))


class PlanContact(OrgOwned):
    plan = models.ForeignKey(
        ResponsePlan, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("plan")
    )
    role = models.CharField(_("role"), max_length=16, choices=ROLE_CHOICES)
    name = models.CharField(_("organization or person"), max_length=200)
    person = models.CharField(_("person in charge"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail address"), blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("plan contact")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class DrillStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class Drill(OrgOwned):
    title = models.CharField(_("title"), max_length=200)
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("based on the incident"),
    )
    sample = models.CharField(_("or a sample scenario"), max_length=32, blank=True)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    participants = models.TextField(_("participants"), blank=True)
    scenario = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("scenario"))
    responses = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("answers"))
    status = models.CharField(
        _("status"), max_length=16, choices=DrillStatus.choices, default=DrillStatus.PLANNED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("drill")

    def __str__(self) -> str:
        return f"{date_format(self.held_on, 'DATE_FORMAT')} {self.title}" if self.held_on else self.title

    @property
    def minutes(self) -> int | None:
        return core.duration_minutes(self.started_at, self.ended_at)


class DrillFinding(OrgOwned):
    drill = models.ForeignKey(
        Drill, on_delete=models.CASCADE, related_name="findings", verbose_name=_("drill")
    )
    description = models.CharField(_("finding"), max_length=300)
    action = models.ForeignKey(
        CorrectiveAction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("corrective action"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("drill finding")

    def __str__(self) -> str:
        return self.description


class PlanAttachment(OrgOwned):
    """The plan as it stood when an incident was opened (day 1)."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("incident")
    )
    snapshot = models.JSONField(default=dict, editable=False, verbose_name=_("plan"))
    attached_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("attached at"))

    class Meta:
        verbose_name = _("plan attached to an incident")

    def __str__(self) -> str:
        return str(self.incident)
