from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mamori.checksheets.models import TemplateVersion
from mamori.platform.tenancy.models import OrgOwned
from mamori.vendors.models import Vendor


class AuditKind(models.TextChoices):
    DOCUMENT = "document", _("Document review (書面)")
    ONSITE = "onsite", _("On site (実地)")
    REMOTE = "remote", _("Remote (リモート)")


class AuditPlan(OrgOwned):
    """How often each inherent-risk tier is audited, and how."""

    high_months = models.PositiveSmallIntegerField(_("high tier: every … months"), default=12)
    high_kind = models.CharField(
        _("high tier: kind"), max_length=16, choices=AuditKind.choices, default=AuditKind.ONSITE
    )
    medium_months = models.PositiveSmallIntegerField(_("medium tier: every … months"), default=12)
    medium_kind = models.CharField(
        _("medium tier: kind"), max_length=16, choices=AuditKind.choices, default=AuditKind.DOCUMENT
    )
    low_months = models.PositiveSmallIntegerField(_("low tier: every … months"), default=24)
    low_kind = models.CharField(
        _("low tier: kind"), max_length=16, choices=AuditKind.choices, default=AuditKind.DOCUMENT
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_audit_plan_per_org")]
        verbose_name = _("audit plan")

    def __str__(self) -> str:
        return str(_("audit plan"))


class Audit(OrgOwned):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="audits", verbose_name=_("vendor")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AuditKind.choices, default=AuditKind.DOCUMENT)
    performed_on = models.DateField(_("date"))
    auditors = models.CharField(_("auditors"), max_length=300, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    evidence_reviewed = models.TextField(_("evidence reviewed"), blank=True)
    summary = models.TextField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["-performed_on"]
        verbose_name = _("audit")

    def __str__(self) -> str:
        return f"{self.vendor.name} {date_format(self.performed_on, 'DATE_FORMAT')}"


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Finding(OrgOwned):
    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("audit")
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM
    )
    description = models.TextField(_("finding"))
    reference = models.CharField(_("question or clause concerned"), max_length=200, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["closed_on", "-severity", "pk"]
        verbose_name = _("finding")

    def __str__(self) -> str:
        return self.description[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class CorrectiveAction(OrgOwned):
    """A corrective action for an audit finding, or for a gap in our own self-assessment."""

    finding = models.ForeignKey(
        Finding,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("finding"),
    )
    self_assessment = models.ForeignKey(
        "SelfAssessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("self-assessment"),
    )
    what = models.CharField(_("what"), max_length=300)
    responsible = models.CharField(
        _("whose"),
        max_length=8,
        default="vendor",
        choices=[("ours", _("Ours")), ("vendor", _("The vendor's"))],
    )
    owner = models.CharField(_("who"), max_length=150, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closing_evidence = models.CharField(_("evidence that closes it"), max_length=300, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        verbose_name = _("corrective action")

    def __str__(self) -> str:
        return self.what

    @property
    def overdue(self) -> bool:
        return (
            self.status == ActionStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class SelfAssessment(OrgOwned):
    """The company's answers to the built-in self-assessment of its own security measures."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("version")
    )
    answers = models.JSONField(default=dict, blank=True, verbose_name=_("answers"))
    score = models.FloatField(null=True, blank=True, verbose_name=_("score"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_self_assessment_per_year")
        ]
        verbose_name = _("self-assessment")

    def __str__(self) -> str:
        return f"{self.year}"


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Employed")
    ENDED = "ended", _("Left")


class Employee(OrgOwned):
    """A member of staff (not necessarily a Mamori user), from the employee roster: who must be
    trained (安全管理措置: 人的安全管理措置, 従業者の教育)."""

    number = models.CharField(_("employee number"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=150)
    department = models.CharField(_("department"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["department", "name"]
        verbose_name = _("employee")
        indexes = [models.Index(fields=["organization", "number"])]

    def __str__(self) -> str:
        return self.name

    def history_records(self) -> list[str]:
        """Attendance is a record (the link is many-to-many: no PROTECT): someone trained is ended
        (退職), not deleted."""
        n = self.trainings.count() if self.pk else 0
        return [str(_("training sessions attended: %(n)s")) % {"n": n}] if n else []


class TrainingSession(OrgOwned):
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees")
    )
    staff = models.ManyToManyField(
        Employee, blank=True, related_name="trainings", verbose_name=_("staff who attended")
    )
    other_attendees = models.TextField(_("other attendees (not Mamori users)"), blank=True)
    material = models.CharField(_("material"), max_length=300, blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("training session")

    def __str__(self) -> str:
        return f"{date_format(self.held_on, 'DATE_FORMAT')} {self.topic}"


def audit_file_path(instance: AuditFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"{instance.organization.uuid}/audits/{instance.uuid}.{suffix}"


class AuditFile(OrgOwned):
    """Evidence reviewed in an audit, or evidence that closes a corrective action."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="files", verbose_name=_("audit"))
    action = models.ForeignKey(
        CorrectiveAction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("corrective action"),
    )
    file = models.FileField(upload_to=audit_file_path, verbose_name=_("file"))
    name = models.CharField(max_length=255, verbose_name=_("file name"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("audit file")

    def __str__(self) -> str:
        return self.name


class DigestLog(OrgOwned):
    """The weekly digest sent to one member for one ISO week (so it goes out once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    week = models.CharField(max_length=8, verbose_name=_("week"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent at"))

    trail_ignore = True  # bookkeeping of the weekly mail, so that it goes out once

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user", "week"], name="one_digest_per_week")
        ]
        verbose_name = _("digest log")

    def __str__(self) -> str:
        return self.week
