"""Aliases kept for the screens: the item vocabulary lives in :mod:`mamori.core.vocabulary`."""

from __future__ import annotations

from mamori.core.vocabulary import ITEM_LABELS, SPECIAL_CARE_LABELS, flags

__all__ = ["ITEM_LABELS", "SPECIAL_CARE_LABELS", "flags"]
