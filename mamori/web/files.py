"""Helpers for uploaded files."""

from __future__ import annotations

import hashlib


def sha256_of(upload) -> str:
    """SHA-256 of an uploaded file, read in chunks; the file is rewound for saving."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
