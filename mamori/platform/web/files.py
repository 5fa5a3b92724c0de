"""Helpers for uploaded files: one size limit, one hash, one place for files waiting to be read."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


def size_error(upload) -> str | None:
    """The Japanese message when an upload exceeds MAMORI_MAX_UPLOAD_MB, else None."""
    limit = settings.MAMORI_MAX_UPLOAD_BYTES
    if upload is not None and upload.size > limit:
        return _("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20}
    return None


def sha256_of(upload) -> str:
    """SHA-256 of an uploaded file, read in chunks; the file is rewound for saving."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def save_pending(upload, digest=None) -> Path:
    """Copy an upload to a new owner-only file (0600) in ``MAMORI_PENDING_DIR`` (0700) until it is
    read; the caller deletes it. ``digest`` (a hashlib object) is fed the bytes on the way."""
    folder = Path(settings.MAMORI_PENDING_DIR)
    for part in (folder.parent, folder):  # DATA_DIR/uploads and its pending/, both owner-only
        part.mkdir(mode=0o700, parents=True, exist_ok=True)
    suffix = "".join(c for c in Path(upload.name).suffix.lower()[:10] if c.isalnum() or c == ".")
    path = folder / f"{secrets.token_hex(16)}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                if digest is not None:
                    digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
