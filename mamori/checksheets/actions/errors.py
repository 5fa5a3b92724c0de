"""The error of every check-sheet action: a message for the person who asked (page, portal, API)."""

from __future__ import annotations


class ChecksheetError(ValueError):
    pass
