from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.ledger.models import DataAsset
from mamori.platform import messages
from mamori.platform.tenancy.models import OrgOwned
from mamori.vendors.models import Vendor


class Cause(models.TextChoices):
    UNAUTHORIZED_ACCESS = "unauthorized_access", _("Unauthorized access")
    MALWARE = "malware", _("Malware")
    RANSOMWARE = "ransomware", _("Ransomware")
    MISDIRECTED_MAIL = "misdirected_mail", _("Misdirected post")
    MISDIRECTED_EMAIL = "misdirected_email", _("Misdirected e-mail")
    MISDIRECTED_FAX = "misdirected_fax", _("Misdirected fax")
    LOSS = "loss", _("Loss")
    THEFT = "theft", _("Theft")
    INSIDER = "insider", _("Insider")
    VENDOR = "vendor", _("At a vendor")
    MISCONFIGURATION = "misconfiguration", _("Misconfiguration")
    WEB_SKIMMING = "web_skimming", _("Web-form skimming")
    DISPOSAL_ERROR = "disposal_error", _("Disposal error")
    OTHER = "other", _("Other")


class IncidentState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Incident(OrgOwned):
    """A leak, loss or damage (漏えい等事案) and everything done about it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"), blank=True)
    leak = models.BooleanField(_("leak (漏えい)"), default=True)
    loss = models.BooleanField(_("loss (滅失)"), default=False)
    damage = models.BooleanField(_("damage (毀損)"), default=False)
    suspected = models.BooleanField(_("suspected only (おそれ)"), default=False)
    cause = models.CharField(_("cause"), max_length=32, choices=Cause.choices, default=Cause.OTHER)
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    discovered_on = models.DateField(_("discovered on"), null=True, blank=True)
    aware_on = models.DateField(_("the company became aware on (day 1)"))
    data_assets = models.ManyToManyField(
        DataAsset, blank=True, related_name="incidents", verbose_name=_("data sets")
    )
    vendor = models.ForeignKey(
        Vendor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("vendor involved"),
    )
    items = models.JSONField(_("items"), default=list, blank=True)
    special_care = models.JSONField(_("special-care categories"), default=list, blank=True)
    individuals = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    individuals_kind = models.CharField(
        _("the number is"),
        max_length=16,
        default="exact",
        choices=[
            ("exact", _("exact")),
            ("estimate", _("an estimate or the maximum")),
            ("unknown", _("unknown")),
        ],
    )
    highly_encrypted = models.BooleanField(_("strongly encrypted and the key safe"), default=False)
    copy_exists = models.BooleanField(_("the same data is kept elsewhere"), default=False)
    recovered_before_access = models.BooleanField(
        _("all recovered before anyone could see it"), default=False
    )
    personal_info_being_acquired = models.BooleanField(
        _("information being collected (web-form skimming)"), default=False
    )
    role = models.CharField(
        _("our role"),
        max_length=16,
        default="principal",
        choices=[("principal", _("Principal (our own data)")), ("vendor", _("Vendor (entrusted data)"))],
    )
    vendor_notified_principal = models.BooleanField(
        _("as a vendor, we told the principal (規則9条)"), default=False
    )
    secondary_damage = models.BooleanField(_("signs of misuse or secondary damage"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    assessment = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("assessment"))
    final_due = models.DateField(null=True, blank=True, editable=False, verbose_name=_("final report due"))
    preliminary_due = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("preliminary report due")
    )
    scan_summary = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("scan summary"))
    # Notices to individuals (法26条2項)
    notice_method = models.CharField(_("how individuals are told"), max_length=100, blank=True)
    notices_sent = models.PositiveIntegerField(_("notices sent"), default=0)
    notices_returned = models.PositiveIntegerField(_("notices returned undelivered"), default=0)
    alternative_measures = models.TextField(_("alternative measures where notice is difficult"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    closed_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("closed at"))
    timeline_seq = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("timeline sequence"))
    timeline_head = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("timeline head")
    )

    trail_exclude = ("assessment", "scan_summary", "timeline_seq", "timeline_head")

    class Meta:
        ordering = ["-aware_on", "-created_at"]
        verbose_name = _("incident")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        incident = super().from_db(db, field_names, values)
        if "vendor_id" in incident.__dict__ and "aware_on" in incident.__dict__:  # neither deferred
            incident._loaded_vendor_link = (incident.vendor_id, incident.aware_on)
        return incident

    def relinked_vendor_ids(self, deleted: bool = False) -> set[int]:
        """The vendors whose incidents differ after this save or deletion: the vendor before and
        after when the vendor or the awareness date changed since the incident was loaded (or
        last asked); a new incident's vendor; a deleted one's."""
        before = self.__dict__.get("_loaded_vendor_link")
        after = None if deleted else (self.vendor_id, self.aware_on)
        if deleted and before is None:
            before = (self.vendor_id, None)
        self._loaded_vendor_link = after
        if before == after:
            return set()
        return {link[0] for link in (before, after) if link is not None and link[0] is not None}

    def facts(self) -> dict:
        """The facts in the rules engine's contract (mamori.core.appi)."""
        facts = {
            "aware_date": self.aware_on.isoformat(),
            "breach_types": [k for k in ("leak", "loss", "damage") if getattr(self, k)],
            "suspected": self.suspected,
            "individuals": None if self.individuals_kind == "unknown" else self.individuals,
            "items": list(self.items or []) + (["special_care"] if self.special_care else []),
            "special_care": list(self.special_care or []),
            "cause": self.cause,
            "highly_encrypted": self.highly_encrypted,
            "copy_exists": self.copy_exists,
            "recovered_before_access": self.recovered_before_access,
            "personal_info_being_acquired": self.personal_info_being_acquired,
            "role": self.role,
            "vendor_notified_principal": self.vendor_notified_principal,
        }
        if self.secondary_damage is not None:
            facts["secondary_damage"] = self.secondary_damage
        return facts


class Task(OrgOwned):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("incident")
    )
    step = models.PositiveSmallIntegerField(default=99, verbose_name=_("step"))
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))

    class Meta:
        ordering = ["step", "due_on", "pk"]
        verbose_name = _("response task")

    def __str__(self) -> str:
        return self.title


TIMELINE_KINDS = {
    "note": _("Note"),
    "decision": _("Decision"),
    "action": _("Action taken"),
    "correction": _("Correction"),
    "assessment": _("Assessment"),
    "task": _("Task"),
    "document": _("Document"),
    "evidence": _("Evidence"),
    "scan": _("File scan"),
    "notice": _("Notice"),
    "state": _("State"),
}


class TimelineEntry(OrgOwned):
    """One link of the incident's own hash chain: never edited, corrected only by a later entry."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("incident")
    )
    seq = models.PositiveIntegerField(verbose_name=_("number"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    actor_label = models.CharField(max_length=300, verbose_name=_("by"))
    kind = models.CharField(
        max_length=32, verbose_name=_("kind")
    )  # note, decision, assessment, task, document, evidence, scan, notice, state
    text = models.TextField(verbose_name=_("what"))
    # What the system records (an assessment, a closed task …) as a code and parameters, worded in
    # the reader's language when read (mamori.incidents.texts); ``text`` then keeps the wording in
    # the product's language for the record. Empty for notes people write and for older entries.
    code = models.CharField(
        max_length=64, blank=True, default="", editable=False, verbose_name=_("event code")
    )
    params = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("event parameters"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    file = models.FileField(upload_to="timeline", blank=True, verbose_name=_("file"))
    file_name = models.CharField(max_length=255, blank=True, verbose_name=_("file name"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SHA-256"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("previous hash"))
    hash = models.CharField(max_length=64, verbose_name=_("hash"))

    trail_labels = {"kind": TIMELINE_KINDS}

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["incident", "seq"], name="timeline_seq_unique")]
        verbose_name = _("timeline entry")

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(TIMELINE_KINDS.get(self.kind, self.kind))

    @property
    def display_text(self) -> str:
        """What happened, in the reader's language (the stored text for notes and older entries)."""
        return messages.render(self.code, self.params) if self.code else self.text

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("timeline entries cannot be changed; add a correcting entry")
        super().save(*args, **kwargs)

    def compute_hash(self) -> str:
        payload = {
            "incident": str(self.incident.uuid),
            "seq": self.seq,
            "at": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": self.actor_label,
            "kind": self.kind,
            "text": self.text,
            "data": self.data,
            "sha256": self.sha256,
            "file_name": self.file_name,
            "prev": self.prev_hash,
        }
        if self.code:
            # Only entries with a code hash it: older entries hash as they always did.
            payload["code"] = self.code
            payload["params"] = self.params
        return hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()


class DocumentKind(models.TextChoices):
    PPC_PRELIMINARY = "ppc_preliminary", _("Report to the PPC (preliminary, 速報)")
    PPC_FINAL = "ppc_final", _("Report to the PPC (final, 確報)")
    NOTICE = "notice", _("Notice to individuals")
    ANNOUNCEMENT = "announcement", _("Public announcement")
    QA = "qa", _("Call-centre Q&A")
    BOARD = "board", _("Internal report to the board")


class DocumentTemplate(OrgOwned):
    """An organization's own wording of a document (defaults are shipped in mamori.incidents.documents)."""

    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    body = models.TextField(_("wording"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="one_document_template_per_kind")
        ]
        verbose_name = _("document wording")

    def __str__(self) -> str:
        return self.get_kind_display()
