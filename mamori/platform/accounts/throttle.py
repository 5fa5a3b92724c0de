"""Rate limits as named one-line policies over one token-bucket table.

Identifiers (e-mail addresses, IP addresses, token prefixes) are stored only as SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from mamori.platform.accounts.models import TokenBucket


@dataclass(frozen=True)
class Policy:
    name: str
    capacity: int
    per_seconds: int

    def _key(self, identifier: str) -> str:
        return hashlib.sha256(f"{self.name}:{identifier.strip().lower()}".encode()).hexdigest()

    def _refilled(self, bucket: TokenBucket | None, now) -> float:
        if bucket is None:
            return float(self.capacity)
        elapsed = (now - bucket.updated_at).total_seconds()
        return min(float(self.capacity), bucket.tokens + elapsed * self.capacity / self.per_seconds)

    def available(self, identifier: str) -> bool:
        """True when at least one token is left (does not consume)."""
        bucket = TokenBucket.objects.filter(key=self._key(identifier)).first()
        return self._refilled(bucket, timezone.now()) >= 1

    def consume(self, identifier: str) -> bool:
        """Take one token atomically; False when none was left.

        The row is created first if missing (an insert that ignores a conflict, so two first
        requests cannot both create it), then read and written under a row lock inside one
        transaction (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction of
        the settings takes the write lock at ``BEGIN``), so parallel callers never take more tokens
        than the bucket holds.
        """
        key = self._key(identifier)
        TokenBucket.objects.bulk_create(
            [TokenBucket(key=key, tokens=float(self.capacity), updated_at=timezone.now())],
            ignore_conflicts=True,
        )
        with transaction.atomic():
            bucket = TokenBucket.objects.select_for_update().get(key=key)
            now = max(timezone.now(), bucket.updated_at)
            tokens = self._refilled(bucket, now)
            if tokens < 1:
                return False
            TokenBucket.objects.filter(pk=bucket.pk).update(tokens=tokens - 1, updated_at=now)
        return True

    def refund(self, identifier: str) -> None:
        """Give back one token (an attempt reserved with :meth:`consume` that turned out to succeed):
        one ``UPDATE … SET tokens = MIN(tokens + 1, capacity)``, atomic on its own."""
        TokenBucket.objects.filter(key=self._key(identifier)).update(
            tokens=Least(F("tokens") + 1.0, float(self.capacity))
        )

    def reset(self, identifier: str) -> None:
        TokenBucket.objects.filter(key=self._key(identifier)).delete()


def login_failures() -> Policy:
    return Policy("login-email", settings.MAMORI_LOGIN_MAX_FAILURES, settings.MAMORI_LOGIN_LOCK_SECONDS)


LOGIN_PER_IP = Policy("login-ip", capacity=50, per_seconds=15 * 60)
OTP_PER_USER = Policy("otp-user", capacity=5, per_seconds=5 * 60)
PASSWORD_RESET_PER_EMAIL = Policy("reset-email", capacity=3, per_seconds=60 * 60)
INVITATION_GUESS_PER_IP = Policy("invite-ip", capacity=20, per_seconds=60 * 60)
API_TOKEN_GUESS_PER_IP = Policy("api-token-ip", capacity=30, per_seconds=60)
