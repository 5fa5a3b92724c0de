"""Who is acting: one context variable, set at each door, read by the trail's choke point.

Every door sets it once: the middleware for web pages and the API (lazily, so that a sign-in or an
API token authenticated later in the same request is seen), the vendor portal for the recipient of
the link, the command line and the worker. Domain code never passes the actor to a save; it only
wraps work done on someone else's behalf in :func:`acting_as`.

This module imports nothing from Django models (only settings), so that any module can use it.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings


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


def client_ip(request) -> str:
    """The address of the client, as every rate limit keys on it.

    Without a proxy (``MAMORI_BEHIND_TLS_PROXY`` unset) it is ``REMOTE_ADDR``, the peer of the
    connection; ``X-Forwarded-For`` is ignored, since anyone can send it.

    With ``MAMORI_BEHIND_TLS_PROXY=true`` and a peer listed in ``MAMORI_TRUSTED_PROXIES`` (the same
    list the web server trusts for ``X-Forwarded-Proto``, mamori.server), the peer is the reverse proxy
    (one hop), so every client would share its address. The proxy *appends* the address it saw
    connecting to it to ``X-Forwarded-For``: the right-most entry is therefore the only one it vouches
    for; entries to its left come from the client and can be forged, and are never used. When the
    header is missing or its last entry is not an IP address, the proxy's own ``REMOTE_ADDR`` is used.
    A peer that is not a trusted proxy is the client itself, whatever it sends.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "MAMORI_BEHIND_TLS_PROXY", False) and _trusted_proxy(remote):
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return remote
    return remote


def _trusted_proxy(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in getattr(settings, "MAMORI_TRUSTED_PROXIES", ["127.0.0.1", "::1"]):
        if entry == "*" or peer in ipaddress.ip_network(entry, strict=False):
            return True
    return False


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
