from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from mamori.platform.tenancy.models import OrgOwned
from mamori.sealing import seal, unseal

TOTP_PURPOSE = "totp"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


def new_session_salt() -> str:
    return secrets.token_hex(16)


class User(AbstractBaseUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Changing this signs the user out of every session (sign out everywhere).
    session_salt = models.CharField(max_length=32, default=new_session_salt, editable=False)
    # Sealed with a key derived from the secret key (outside the database): use totp_key/set_totp_key.
    totp_secret = models.CharField(max_length=255, blank=True, editable=False)
    totp_enabled = models.BooleanField(_("two-factor authentication"), default=False)
    totp_last_counter = models.BigIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def get_session_auth_hash(self) -> str:
        # Default Django hashes only the password; adding session_salt lets us end all sessions.
        return salted_hmac(
            "mamori.platform.accounts.session", f"{self.password}:{self.session_salt}", algorithm="sha256"
        ).hexdigest()

    @property
    def totp_key(self) -> str:
        """The base32 TOTP secret ("" when none), opened from its sealed form."""
        if not self.totp_secret:
            return ""
        return unseal(self.totp_secret, TOTP_PURPOSE)

    def set_totp_key(self, secret: str) -> None:
        self.totp_secret = seal(secret, TOTP_PURPOSE) if secret else ""

    def sign_out_everywhere(self) -> None:
        self.session_salt = new_session_salt()
        self.save(update_fields=["session_salt"])


# --- API tokens -------------------------------------------------------------------------------

TOKEN_PREFIX = "mmr_"  # noqa: S105 - a recognisable prefix, not a secret


def _token_hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


class ApiToken(OrgOwned):
    """A personal API token, bound to one user and one organization.

    Stored as a lookup prefix plus a keyed hash (HMAC-SHA256 with the secret key); the full
    token is shown once and cannot be recovered. Compared in constant time.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=16, unique=True, verbose_name=_("lookup key"))
    key_hash = models.CharField(max_length=64, verbose_name=_("key hash"))
    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    trail_exclude = ("key_hash", "lookup", "last_used_at")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(key_hash="") & ~models.Q(lookup=""), name="api_token_complete"
            )
        ]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.lookup}…)"

    @classmethod
    def issue(cls, user: User, organization, name: str) -> tuple[ApiToken, str]:
        lookup = secrets.token_hex(6)
        token = f"{TOKEN_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
        obj = cls(user=user, organization=organization, name=name, lookup=lookup, key_hash=_token_hash(token))
        return obj, token

    @classmethod
    def authenticate(cls, token: str) -> ApiToken | None:
        if not token.startswith(TOKEN_PREFIX) or token.count("_") < 2:
            return None
        lookup = token[len(TOKEN_PREFIX) :].split("_", 1)[0]
        candidate = (
            cls.objects.select_related("user", "organization")
            .filter(lookup=lookup, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        expected = candidate.key_hash if candidate else _token_hash("mmr_unused_token")
        if candidate is None or not constant_time_compare(expected, _token_hash(token)):
            return None
        return candidate


# --- Rate limits ------------------------------------------------------------------------------


class TokenBucket(models.Model):
    """One row per (policy, hashed identifier): the classic token bucket, refilled continuously."""

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.tokens:.1f}"
