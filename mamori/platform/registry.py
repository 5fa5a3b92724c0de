"""Where the domain apps plug into the platform, the way NetBox apps register their views.

The platform knows no domain app: each app registers, in its ``AppConfig.ready()``, what the
platform should offer for it —

- :func:`register_api` — its API router, mounted under ``/api/v1/<prefix>``;
- :func:`register_import` — an Excel/CSV import (an :class:`~mamori.platform.web.imports.ImportSpec`);
- :func:`register_card` — a dashboard card: a template and the function that gives its context.

The registrations are plain module-level data, filled once at start-up and read by the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Card:
    """One block of the dashboard. ``zone`` is ``"stats"`` (the figures across the top) or
    ``"main"`` (the lists below); cards are shown by ``order``. ``context(request)`` returns the
    names the template uses; ``perm`` hides the card from roles without that permission."""

    name: str
    template: str
    context: Callable[[Any], dict]
    order: int
    zone: str = "main"
    perm: str | None = None


cards: dict[str, Card] = {}
imports: dict[str, Any] = {}
api_routers: list[tuple[str, Any]] = []


def register_card(card: Card) -> None:
    cards[card.name] = card


def cards_for(zone: str) -> list[Card]:
    return sorted((c for c in cards.values() if c.zone == zone), key=lambda c: c.order)


def register_import(spec) -> None:
    imports[spec.name] = spec


def register_api(prefix: str, router) -> None:
    """Mount ``router`` on the API (:mod:`mamori.platform.api.api`) under ``prefix``."""
    from mamori.platform.api.api import api

    api_routers.append((prefix, router))
    api.add_router(prefix, router)


@dataclass(frozen=True)
class SampleData:
    """The sample organization offered on the first-run page and under 「組織を作成」:
    ``seed(today=…, owner=…)`` creates one and returns it, ``message(org)`` says what was made,
    and every sample organization's short name starts with ``slug_base``."""

    seed: Callable[..., Any]
    message: Callable[[Any], str]
    slug_base: str


sample: SampleData | None = None


def register_sample(data: SampleData) -> None:
    global sample
    sample = data
