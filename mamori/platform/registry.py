"""Where the domain apps plug into the platform, the way NetBox apps register their views.

The platform knows no domain app: each app registers, in its ``AppConfig.ready()``, what the
platform should offer for it —

- :func:`register_api` — its API router, mounted under ``/api/v1/<prefix>``;
- :func:`register_import` — an Excel/CSV import (an :class:`~mamori.platform.web.imports.ImportSpec`);
- :func:`register_card` — a dashboard card: a template and the function that gives its context;
- :func:`register_panel` — a section on another app's detail page;
- :func:`register_sample` — the sample organization offered on the first-run page;
- :func:`register_file_job` — what the worker does with an uploaded file (a scan, …).

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


@dataclass(frozen=True)
class Panel:
    """A section another app adds to a model's detail page (e.g. the vendors' entrustment chain on a
    data set's page): ``model`` is the model's label (``"ledger.DataAsset"``)."""

    name: str
    model: str
    template: str
    context: Callable[[Any, Any], dict]  # (request, obj) -> dict
    order: int = 50


cards: dict[str, Card] = {}
panels: dict[str, Panel] = {}
imports: dict[str, Any] = {}
api_routers: list[tuple[str, Any]] = []


def register_card(card: Card) -> None:
    cards[card.name] = card


def cards_for(zone: str) -> list[Card]:
    return sorted((c for c in cards.values() if c.zone == zone), key=lambda c: c.order)


def register_panel(panel: Panel) -> None:
    panels[panel.name] = panel


def panels_for(model_label: str) -> list[Panel]:
    return sorted((p for p in panels.values() if p.model == model_label), key=lambda p: p.order)


def register_import(spec) -> None:
    imports[spec.name] = spec


def register_api(prefix: str, router) -> None:
    """Mount ``router`` on the API under ``prefix`` (:mod:`mamori.platform.api.api` mounts every
    registered router when it is first imported, after all apps are ready)."""
    if api_mounted:
        raise RuntimeError("register API routers in AppConfig.ready(), before the API is built")
    api_routers.append((prefix, router))


api_mounted = False


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


@dataclass(frozen=True)
class FileJobKind:
    """What the worker does with an uploaded file (:mod:`mamori.platform.web.jobs`).

    ``run(job, path, actor)`` reads the file (in the isolated child) and applies the result,
    returning ``(url of the result, message)``, or raises ``JobFailed``; ``back(job)`` is the page
    with the upload form, where a failure is shown (given ``?job=<uuid>``)."""

    name: str
    run: Callable[[Any, Any, Any], tuple[str, str]]
    back: Callable[[Any], str]


file_jobs: dict[str, FileJobKind] = {}


def register_file_job(kind: FileJobKind) -> None:
    file_jobs[kind.name] = kind
