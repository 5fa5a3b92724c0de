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


class Tristate(models.TextChoices):
    """はい／いいえ／不明: the engine's yes / no / unknown (mamori.core.appi.facts.TRISTATE)."""

    UNKNOWN = "unknown", _("Unknown")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class CausedBy(models.TextChoices):
    SELF = "self", _("Our company")
    VENDOR = "vendor", _("A vendor (委託先)")
    THIRD_PARTY = "third_party", _("A third party")


class Audience(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    EMPLOYEES = "employees", _("Employees")
    MEMBERS = "members", _("Members")
    PATIENTS = "patients", _("Patients")
    APPLICANTS = "applicants", _("Applicants")
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
            ("range", _("a range (minimum to maximum)")),
            ("unknown", _("unknown")),
        ],
    )
    individuals_min = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    individuals_max = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    individuals_basis = models.CharField(_("how the number was counted"), max_length=300, blank=True)
    special_care_unconfirmed = models.JSONField(
        _("possibly special-care (to be confirmed)"), default=list, blank=True
    )
    caused_by = models.CharField(
        _("who caused it"), max_length=16, choices=CausedBy.choices, blank=True, default=""
    )
    improper_purpose = models.CharField(
        _("possibly done with improper purpose (規則7条3号)"),
        max_length=8,
        choices=Tristate.choices,
        default=Tristate.UNKNOWN,
    )
    financial_damage_risk = models.CharField(
        _("misuse may cause financial damage (規則7条2号)"),
        max_length=8,
        choices=Tristate.choices,
        default=Tristate.UNKNOWN,
    )
    over_1000_known_date = models.DateField(
        _("the day we learned it exceeds 1,000 people"), null=True, blank=True
    )
    my_number_system = models.CharField(
        _("My Numbers in the network system or 個人番号利用事務 systems (規則2条1号)"),
        max_length=8,
        choices=Tristate.choices,
        default=Tristate.NO,
    )
    publicly_viewable = models.CharField(
        _("viewable by anyone on the internet"),
        max_length=8,
        choices=Tristate.choices,
        default=Tristate.UNKNOWN,
    )
    # Vendor mode (規則9条)
    principal = models.ForeignKey(
        "incidents.Principal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("principal from our list"),
    )
    principal_name = models.CharField(_("principal (委託元)"), max_length=200, blank=True)
    principal_notified_on = models.DateField(_("we told the principal on"), null=True, blank=True)
    principal_notice_method = models.CharField(_("how we told the principal"), max_length=200, blank=True)
    # The official form's other fields and report items 6–9
    how_found = models.TextField(_("how it was found"), blank=True)
    audience = models.CharField(
        _("whose data"), max_length=16, choices=Audience.choices, default=Audience.CUSTOMERS
    )
    medium = models.CharField(_("medium (paper, e-mail, server …)"), max_length=200, blank=True)
    secondary_damage_detail = models.TextField(_("secondary damage: what"), blank=True)
    recurrence_done = models.TextField(_("recurrence prevention: done"), blank=True)
    recurrence_planned = models.TextField(_("recurrence prevention: planned"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publication_url = models.URLField(_("publication URL"), blank=True)
    contact_point = models.TextField(_("contact point for individuals"), blank=True)
    other_matters = models.TextField(_("other matters"), blank=True)
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
        """The facts in the rules engine's contract (mamori.core.appi), with its names."""
        kind = self.individuals_kind
        if kind in ("exact", "estimate") and self.individuals is None:
            kind = "range" if self.individuals_max is not None else "unknown"
        facts = {
            "aware_date": self.aware_on.isoformat(),
            "breach_types": [k for k in ("leak", "loss", "damage") if getattr(self, k)],
            "suspected": self.suspected,
            "individuals": None if kind == "unknown" else self.individuals,
            "individuals_kind": kind,
            "items": list(self.items or []) + (["special_care"] if self.special_care else []),
            "special_care": list(self.special_care or []),
            "special_care_unconfirmed": list(self.special_care_unconfirmed or []),
            "cause": self.cause,
            "caused_by": self.caused_by or None,
            "improper_purpose": self.improper_purpose,
            "financial_damage_risk": self.financial_damage_risk,
            "highly_encrypted": self.highly_encrypted,
            "copy_exists": self.copy_exists,
            "recovered_before_access": self.recovered_before_access,
            "personal_info_being_acquired": self.personal_info_being_acquired,
            "role": self.role,
            "vendor_notified_principal": self.vendor_notified_principal,
            "my_number_system": self.my_number_system,
            "publicly_viewable": self.publicly_viewable,
        }
        if kind == "range":
            facts["individuals_min"] = self.individuals_min
            facts["individuals_max"] = self.individuals_max
        elif kind == "estimate" and self.individuals_max is not None:
            facts["individuals_max"] = self.individuals_max
        if self.individuals_basis:
            facts["individuals_basis"] = self.individuals_basis
        for name, day in (
            ("occurred_date", self.occurred_on),
            ("discovered_date", self.discovered_on),
            ("over_1000_known_date", self.over_1000_known_date),
            ("principal_notified_on", self.principal_notified_on),
        ):
            if day is not None:
                facts[name] = day.isoformat()
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
    # Generated tasks carry the playbook's key; a task that no longer applies after a change of the
    # verdict is marked not needed with the reason (kept, never deleted).
    key = models.CharField(max_length=64, blank=True, default="", editable=False, verbose_name=_("key"))
    not_needed_reason = models.CharField(
        _("not needed because"), max_length=300, blank=True, default="", editable=False
    )

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
    # When the event happened (the 事実経過), separate from ``at``, when it was recorded.
    occurred_at = models.DateTimeField(null=True, blank=True, verbose_name=_("happened at"))
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
        if self.occurred_at:
            # Only entries with an event time hash it: older entries hash as they always did.
            payload["occurred_at"] = self.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
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
    PPC_FOLLOWUP = "ppc_followup", _("Report to the PPC (follow-up, 続報)")
    PRINCIPAL_NOTICE = "principal_notice", _("Notice to the principal (規則9条)")
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


class OrganizationType(models.TextChoices):
    PRIVATE = "private", _("Private business (民間事業者)")
    PUBLIC = "public", _("Administrative organ etc. (行政機関等)")


class ReporterProfile(OrgOwned):
    """Who files the PPC report (報告者): the business, not the staff member (shared appi.md §11)."""

    name = models.CharField(_("name of the business (報告者の氏名又は名称)"), max_length=200)
    corporate_number = models.CharField(_("corporate number"), max_length=13, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    organization_type = models.CharField(
        _("type of organization"),
        max_length=16,
        choices=OrganizationType.choices,
        default=OrganizationType.PRIVATE,
    )
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    delegated_ministry = models.CharField(
        _("ministry the reporting is delegated to (権限委任), if any"), max_length=200, blank=True
    )
    contact_department = models.CharField(_("contact: department"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact: name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact: phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact: e-mail"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_reporter_profile_per_org")]
        verbose_name = _("reporter profile")

    def __str__(self) -> str:
        return self.name


class PrincipalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Principal(OrgOwned):
    """A company that entrusted personal data to US (委託元): when we, as its vendor, have an
    incident, 規則9条 lets us notify it instead of the PPC. Ended, not deleted, once incidents name it."""

    name = models.CharField(_("principal name"), max_length=200)
    department = models.CharField(_("department / person in charge"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    entrusted = models.TextField(_("what they entrust to us"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PrincipalStatus.choices, default=PrincipalStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("principal (委託元)")
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name
