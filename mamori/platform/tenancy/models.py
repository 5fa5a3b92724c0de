"""Organizations (tenants), memberships with roles, invitations, and the scoping base class.

Every domain object inherits :class:`OrgOwned`. Its manager has exactly one way in for
request-driven code, ``Model.objects.for_org(org)``; views and API routes reach it through
:func:`mamori.platform.tenancy.scoping.scoped` so that the organization always comes from the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")
    AUDITOR = "auditor", _("Auditor")


class Perm(models.TextChoices):
    VIEW = "view", _("View")
    EDIT = "edit", _("Edit")
    TRAIL = "trail", _("Read the trail")
    MANAGE = "manage", _("Manage members and settings")
    OWN = "own", _("Owner only")


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset({Perm.VIEW, Perm.EDIT, Perm.TRAIL, Perm.MANAGE, Perm.OWN}),
    Role.ADMIN: frozenset({Perm.VIEW, Perm.EDIT, Perm.TRAIL, Perm.MANAGE}),
    Role.EDITOR: frozenset({Perm.VIEW, Perm.EDIT}),
    Role.VIEWER: frozenset({Perm.VIEW}),
    Role.AUDITOR: frozenset({Perm.VIEW, Perm.TRAIL}),
}


def role_allows(role: str, perm: str) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())


class Organization(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    # The head of the organization's trail chain, updated in the same transaction as each entry,
    # so that removing the newest entries is detected too.
    trail_seq = models.PositiveBigIntegerField(default=0, editable=False, verbose_name=_("trail sequence"))
    trail_head = models.CharField(max_length=64, blank=True, editable=False, verbose_name=_("trail head"))

    trail_exclude = ("trail_seq", "trail_head")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name


class OrgQuerySet(models.QuerySet):
    """Scoping, and the bulk operations that bypass ``save()``: each changed row reaches the trail
    (:mod:`mamori.platform.trail.capture`; ``delete()`` is caught there through Django's signals)."""

    def for_org(self, org: Organization | None) -> OrgQuerySet:
        if org is None:
            return self.none()
        return self.filter(organization=org)

    def update(self, **kwargs) -> int:
        if WRITE_HOOKS.updated is None:
            return super().update(**kwargs)
        return WRITE_HOOKS.updated(self, kwargs, super().update)

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            objs = super().bulk_create(objs, *args, **kwargs)
            if WRITE_HOOKS.created is not None:
                WRITE_HOOKS.created(objs)
        return objs


class WriteHooks:
    """What happens after a bulk write that bypasses ``save()``: set at start-up by the trail
    (:func:`mamori.platform.trail.capture.connect`), so that this module needs no trail import."""

    updated: Callable | None = None  # (queryset, changes, do_update) -> rows
    created: Callable | None = None  # (objects) -> None


WRITE_HOOKS = WriteHooks()


class OrgOwned(models.Model):
    """Abstract base of every domain object: it belongs to exactly one organization.

    ``uuid`` is the public identifier used in URLs and the API; the integer key never leaves
    the database, so identifiers cannot be enumerated.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    objects = OrgQuerySet.as_manager()

    # Every save, delete, update and bulk insert is recorded in the trail (mamori.platform.trail.capture),
    # except fields named here (secrets, hashes, counters) …
    trail_exclude: tuple[str, ...] = ()
    # … and models that say so explicitly (the trail itself, technical queue rows).
    trail_ignore: bool = False

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # Django's name (behind get_<field>_display)
        """As Django's, without rebuilding and hashing the whole list of choices on every call (which
        translates every label): the choices are indexed once per field, their labels kept lazy."""
        labels = _choice_labels(field)
        if labels is None:
            return super()._get_FIELD_display(field)  # type: ignore[misc]  # not in django-stubs
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


_CHOICE_LABELS: dict = {}


def _choice_labels(field) -> dict | None:
    """``{value: lazy label}`` for a field whose choices are a fixed list (None otherwise)."""
    if not isinstance(field.choices, list | tuple):
        return None  # callable choices: evaluated on each call, as Django does
    try:
        return _CHOICE_LABELS[field]
    except KeyError:
        labels = _CHOICE_LABELS[field] = dict(make_hashable(field.flatchoices))
        return labels


class Membership(OrgOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    def allows(self, perm: str) -> bool:
        return role_allows(self.role, perm)


class Invitation(OrgOwned):
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    trail_exclude = ("token_hash",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        constraints = [
            models.CheckConstraint(condition=~models.Q(token_hash=""), name="invitation_token_set")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class OrganizationProfile(OrgOwned):
    """The organization's own settings (設定 › 組織の設定): who mail to vendors comes from and whom
    they contact, a message added to check-sheet mails, and the weekly digest."""

    sender_name = models.CharField(
        _("sender name"),
        max_length=100,
        blank=True,
        help_text=_("Shown as the sender of mails to vendors, e.g. 株式会社さくら通販 総務部."),
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=100,
        blank=True,
        help_text=_("Named in every mail to vendors as the person to contact."),
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    reply_to = models.EmailField(
        _("Reply-To address"),
        blank=True,
        help_text=_("Vendors' replies to check-sheet mails go here."),
    )
    checksheet_message = models.TextField(
        _("message added to check-sheet mails"),
        max_length=1000,
        blank=True,
        help_text=_("Plain text added to every check-sheet request and reminder."),
    )
    digest_enabled = models.BooleanField(
        _("send the weekly digest to owners and admins"),
        default=True,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_profile_per_org")]
        verbose_name = _("organization settings")

    def __str__(self) -> str:
        return str(_("organization settings"))


def profile_for(org: Organization) -> OrganizationProfile:
    """The organization's settings, created with the defaults the first time they are read."""
    profile = OrganizationProfile.objects.filter(organization=org).first()
    if profile is None:
        profile, _created = OrganizationProfile.objects.get_or_create(organization=org)
    return profile
