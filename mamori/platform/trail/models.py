"""The append-only, hash-chained trail of everything that happens in an organization."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.platform.tenancy.models import OrgOwned


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Signed out everywhere")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    ACCESS = "access", _("Accessed")
    REKEY = "rekey", _("Trail re-keyed")


class AppendOnlyError(RuntimeError):
    pass


class TrailEntry(OrgOwned):
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the hash covers: the actor as text (survives the user's deletion) and how they acted.
    actor_label = models.CharField(max_length=300)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # An event the system words (see mamori.platform.messages): its code and parameters, rendered in
    # the reader's language. Empty on entries that need no words and on those stored before codes.
    code = models.CharField(max_length=64, blank=True, default="", editable=False)
    params = models.JSONField(default=dict, blank=True, editable=False)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    trail_ignore = True  # the trail does not trail itself

    class Meta:
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "seq"], name="trail_seq_unique_per_org")
        ]
        indexes = [
            models.Index(fields=["organization", "at"]),
            models.Index(fields=["organization", "object_id"]),
        ]
        verbose_name = _("trail entry")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("trail entries cannot be changed; add a correcting entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("trail entries cannot be deleted")

    def canonical(self) -> bytes:
        at = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        payload = {
            "org": str(self.organization.uuid),
            "seq": self.seq,
            "at": at,
            "actor": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "request_id": self.request_id,
            "prev": self.prev_hash,
        }
        if self.code:
            # Only entries with a code hash it: entries stored before codes hash as they always did.
            payload["code"] = self.code
            payload["params"] = self.params
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return chain_hash(self.canonical())


def trail_key() -> bytes:
    """The key of the chain's HMAC: a setting (``MAMORI_TRAIL_KEY`` or the data folder's
    ``trail_key`` file), never stored in the database, so a database copy cannot re-forge hashes."""
    return settings.MAMORI_TRAIL_KEY.encode()


def chain_hash(canonical: bytes, key: bytes | None = None) -> str:
    """HMAC-SHA256 of an entry's canonical form (until 2025 entries used plain SHA-256; the
    migration ``trail.0004_hmac_chain`` re-chained them, see README)."""
    return hmac.new(key if key is not None else trail_key(), canonical, hashlib.sha256).hexdigest()
