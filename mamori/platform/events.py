"""Named domain events: what happened in one app, told to the apps above it.

An app declares the events it emits in its own ``events.py`` and sends them from its actions; an
app higher in the order connects handlers in its ``AppConfig.ready()``. The emitter never imports
its listeners (the vendor rating, :mod:`mamori.risk`, listens to check sheets, audits, incidents and
vendors; none of them imports it). Everything an event says travels as its declared keyword
arguments — the organization, the objects concerned and the ``actor`` — not as attributes left on
objects or context read behind the handler's back.

Handlers run synchronously, in the sender's transaction (``django.dispatch`` underneath): a
handler that fails rolls the change back with it.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal


class Event(Signal):
    """A :class:`django.dispatch.Signal` with a name and declared arguments: sending one with an
    argument missing or one it does not declare is a programming error (``TypeError``)."""

    def __init__(self, name: str, *arguments: str):
        super().__init__()
        self.name, self.arguments = name, frozenset(arguments)

    def send(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        if set(named) != self.arguments:
            missing, extra = sorted(self.arguments - set(named)), sorted(set(named) - self.arguments)
            raise TypeError(f"event {self.name}: missing {missing}, not declared {extra}")
        return super().send(sender, **named)

    def __repr__(self) -> str:
        return f"<Event {self.name}({', '.join(sorted(self.arguments))})>"
