"""The pagination of every API list: ``limit`` from 1 to :data:`MAX_LIMIT`, ``offset`` within what a
database integer holds, so an out-of-range value is a 422 (not a database error)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1  # far beyond any list, and below every database's integer limit


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
