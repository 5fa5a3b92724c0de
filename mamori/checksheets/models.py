from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.platform.tenancy.models import OrgOwned
from mamori.vendors.models import Vendor, VendorContact

LINK_PREFIX = "mmv_"


class Template(OrgOwned):
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    builtin_key = models.CharField(max_length=32, blank=True, editable=False, verbose_name=_("built-in key"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("check-sheet template")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(OrgOwned):
    """An immutable version of a template: an assessment keeps the version it was sent with."""

    template = models.ForeignKey(
        Template, on_delete=models.CASCADE, related_name="versions", verbose_name=_("check sheet")
    )
    number = models.PositiveIntegerField(verbose_name=_("version number"))
    structure = models.JSONField(verbose_name=_("questions"))
    question_count = models.PositiveIntegerField(default=0, verbose_name=_("number of questions"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    trail_exclude = ("structure",)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="one_number_per_template")]
        verbose_name = _("check sheet version")

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    IN_PROGRESS = "in_progress", _("Being answered")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    EXPIRED = "expired", _("Expired")


OPEN_STATES = (State.SENT, State.IN_PROGRESS, State.RETURNED)


class Assessment(OrgOwned):
    """One check sheet sent to one vendor."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("vendor")
    )
    version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("check sheet version"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("passed down from"),
    )
    due_on = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    round = models.PositiveSmallIntegerField(default=1, verbose_name=_("round"))
    score = models.FloatField(null=True, blank=True, verbose_name=_("score"))
    section_scores = models.JSONField(default=dict, blank=True, verbose_name=_("scores by section"))
    critical_failed = models.JSONField(default=list, blank=True, verbose_name=_("critical questions not met"))
    rating = models.CharField(max_length=1, blank=True, verbose_name=_("rating"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        indexes = [
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["organization", "vendor"]),
        ]

    def __str__(self) -> str:
        return f"{self.vendor.name}：{self.version.template.name}"

    @property
    def overdue(self) -> bool:
        return self.state in OPEN_STATES and self.due_on < timezone.localdate()


class Recipient(OrgOwned):
    """A person who receives the private link. The link is derived from a random nonce with the
    secret key (HMAC-SHA256): the database holds only a lookup prefix and the nonce."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("check sheet sent")
    )
    contact = models.ForeignKey(
        VendorContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    lookup = models.CharField(max_length=16, unique=True, verbose_name=_("lookup key"))
    nonce = models.CharField(max_length=64, verbose_name=_("link secret"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    last_opened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last opened at"))
    next_reminder_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("next reminder at")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    trail_exclude = ("lookup", "nonce", "last_opened_at", "next_reminder_at")
    # The secret is not trailed: a reissue is recorded as codes under "link" (actions.regenerate_link).
    trail_labels = {"link": {"old": _("(old link)"), "reissued": _("reissued")}}

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(lookup="") & ~models.Q(nonce=""), name="recipient_link_complete"
            )
        ]
        verbose_name = _("recipient")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    def new_link(self) -> None:
        self.lookup = secrets.token_hex(6)
        self.nonce = secrets.token_hex(32)

    def secret(self) -> str:
        mac = hmac.new(settings.SECRET_KEY.encode(), f"{self.uuid}:{self.nonce}".encode(), hashlib.sha256)
        return mac.hexdigest()[:43]

    @property
    def token(self) -> str:
        return f"{LINK_PREFIX}{self.lookup}_{self.secret()}"

    @property
    def link(self) -> str:
        from django.urls import reverse

        return settings.BASE_URL + reverse("portal:home", args=[self.token])

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def from_token(cls, token: str) -> Recipient | None:
        if not token.startswith(LINK_PREFIX) or token.count("_") < 2:
            return None
        lookup, _, given = token[len(LINK_PREFIX) :].partition("_")
        found = (
            cls.objects.select_related("assessment__vendor", "assessment__version__template", "organization")
            .filter(lookup=lookup)
            .first()
        )
        expected = found.secret() if found else "0" * 43
        if found is None or not hmac.compare_digest(expected, given):
            return None
        return found


class Answer(OrgOwned):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("check sheet sent")
    )
    question = models.CharField(max_length=32, verbose_name=_("question"))
    value = models.JSONField(null=True, blank=True, verbose_name=_("answer"))
    remark = models.TextField(blank=True, verbose_name=_("remark"))
    na_reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason for not applicable"))
    # Copied from last year's answers when sent: counts only once the vendor confirms or changes it.
    prefilled = models.BooleanField(default=False, verbose_name=_("pre-filled from last year"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        Recipient,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")
        ]
        verbose_name = _("answer")

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.question}"


class Submission(OrgOwned):
    """What was submitted in one round, frozen: a sheet returned and answered again keeps every
    earlier round's answers as they were (the working answers above are the current round's)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="submissions")
    round = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    rating = models.CharField(max_length=1, blank=True)

    class Meta:
        ordering = ["assessment", "round"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "round"], name="one_submission_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: round {self.round}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("a submitted round cannot be changed")
        super().save(*args, **kwargs)


def evidence_path(instance: Evidence, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"{instance.organization.uuid}/evidence/{instance.uuid}.{suffix}"


class Evidence(OrgOwned):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("check sheet sent")
    )
    question = models.CharField(max_length=32, verbose_name=_("question"))
    file = models.FileField(upload_to=evidence_path, verbose_name=_("file"))
    name = models.CharField(max_length=255, verbose_name=_("file name"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))
    uploaded_by = models.ForeignKey(
        Recipient,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # A vendor may take back its own file before submitting: the row is ended, never deleted.
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))

    class Meta:
        verbose_name = _("evidence file")

    def __str__(self) -> str:
        return self.name


class Comment(OrgOwned):
    """A reviewer's comment on a question (or on the whole sheet), sent back with the return."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="comments", verbose_name=_("check sheet sent")
    )
    question = models.CharField(max_length=32, blank=True, verbose_name=_("question"))
    text = models.TextField(verbose_name=_("comment"))
    round = models.PositiveSmallIntegerField(default=1, verbose_name=_("round"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return self.text[:40]


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("Request")
    REMINDER = "reminder", _("Reminder")
    OVERDUE = "overdue", _("Overdue reminder")
    RETURNED = "returned", _("Returned with comments")
    RECEIPT = "receipt", _("Receipt")
    APPROVED = "approved", _("Approved")
    SUBMITTED = "submitted", _("Submitted (to the requester)")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NO_ADDRESS = "no_address", _("No e-mail address: hand the link over yourself")


class MailLog(OrgOwned):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="mails", verbose_name=_("check sheet sent")
    )
    # A vendor's recipient; none for a mail to the company's own side (the requester told of a
    # submission), which is sent to ``address``.
    recipient = models.ForeignKey(
        Recipient,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(blank=True, verbose_name=_("sent to (requester)"))
    kind = models.CharField(max_length=16, choices=MailKind.choices, verbose_name=_("kind"))
    status = models.CharField(
        max_length=16, choices=MailStatus.choices, default=MailStatus.QUEUED, verbose_name=_("status")
    )
    error = models.CharField(max_length=300, blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    trail_ignore = True  # the mail queue: technical rows (the link and its changes are trailed)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mail log")

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"


class Settings(OrgOwned):
    """Per-organization reminder settings."""

    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before the due date"), default=7
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("then remind every this many days when overdue"), default=7
    )
    grace_days = models.PositiveSmallIntegerField(
        _("links stay valid this many days after the due date"), default=30
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_checksheet_settings_per_org")
        ]
        verbose_name = _("check-sheet settings")

    def __str__(self) -> str:
        return "settings"
