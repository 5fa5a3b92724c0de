"""Secrets at rest, keyed outside the database.

Values that would open something if the database leaked (TOTP secrets, queued mail carrying links,
session data) are sealed with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived (HKDF) from
the secret key — which lives in ``MAMORI_SECRET_KEY`` or the data folder's ``secret_key``, never
in the database. Each purpose has its own derived key. ``SECRET_KEY_FALLBACKS`` are tried when
opening, so the secret key can be rotated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sealed:"


class SealError(ValueError):
    """A sealed value that the current secret key cannot open."""


def _derive(secret: str, purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"mamori.{purpose}".encode())
    return hkdf.derive(secret.encode())


def _fernet(purpose: str) -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(k, purpose))) for k in keys])


def seal(text: str, purpose: str) -> str:
    return PREFIX + _fernet(purpose).encrypt(text.encode()).decode("ascii")


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def unseal(value: str, purpose: str) -> str:
    if not is_sealed(value):
        raise SealError("not a sealed value")
    try:
        return _fernet(purpose).decrypt(value[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealError("the secret key cannot open this value (was the secret key changed?)") from exc


def keyed_hash(value: str, purpose: str, length: int = 64) -> str:
    """A keyed one-way hash (HMAC-SHA256 under a derived key), hex, cut to ``length``."""
    key = _derive(settings.SECRET_KEY, f"hash.{purpose}")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:length]


def key_fingerprint(secret: str | None = None) -> str:
    """Names a secret key without revealing it (kept in backups to recognise the right key)."""
    key = _derive(secret if secret is not None else settings.SECRET_KEY, "fingerprint")
    return key.hex()[:16]
