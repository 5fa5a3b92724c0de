"""Helpers for uploaded files: one size limit, one hash."""

from __future__ import annotations

import hashlib

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
