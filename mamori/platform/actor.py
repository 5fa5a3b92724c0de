"""Who is acting: one context variable, set at each door, read by the trail's choke point.

Every door sets it once: the middleware for web pages and the API (lazily, so that a sign-in or an
API token authenticated later in the same request is seen), the vendor portal for the recipient of
the link, the command line and the worker. Domain code never passes the actor to a save; it only
wraps work done on someone else's behalf in :func:`acting_as`.

This module imports nothing from Django models, so that any module can use it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who did something, and through which door (web, api, portal, cli, worker, system)."""

    user: Any | None  # the signed-in User (typed loosely: this module imports no model)
    via: str = "web"
    request_id: str = ""
    # Someone without an account (the vendor contact who holds a portal link).
    name: str = ""

    @property
    def label(self) -> str:
        who = getattr(self.user, "email", None) or self.name or "-"
        return f"{self.via}:{who}"

    @classmethod
    def from_request(cls, request, via: str = "web") -> Actor:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        return cls(user=user, via=via, request_id=getattr(request, "request_id", ""))


SYSTEM = Actor(user=None, via="system")

_current: ContextVar[Actor | Callable[[], Actor] | None] = ContextVar("mamori_trail_actor", default=None)


def current_actor() -> Actor:
    """The actor of the work in progress; :data:`SYSTEM` when no door has set one.

    A change nobody claimed is still recorded (as ``system``): losing it would be worse than not
    knowing who made it. Each door's tests assert that its changes carry the right actor.
    """
    value = _current.get()
    if callable(value):
        value = value()
    return value or SYSTEM


@contextlib.contextmanager
def acting_as(actor: Actor | Callable[[], Actor]) -> Iterator[None]:
    """Attribute every change made inside the block to ``actor`` (an Actor, or a callable that
    returns one when the first change is recorded)."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def set_actor(actor: Actor) -> None:
    """For a whole thread or process (the command line, the worker): no block to leave."""
    _current.set(actor)
