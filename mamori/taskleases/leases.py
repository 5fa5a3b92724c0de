"""Worker heartbeats, task leases and the at-most-once hand-over of a message.

The queue is django-tasks-db: a worker *claims* a row (``RUNNING``, ``started_at``, its id appended to
``worker_ids``) and marks it ``SUCCESSFUL`` or ``FAILED`` at the end. If the worker process dies in
between, nothing else ever touches the row again. Here:

* every worker touches its :class:`WorkerHeartbeat` every ``MAMORI_WORKER_HEARTBEAT_SECONDS``;
* :func:`reap` (run by every worker at start and with each heartbeat) takes the rows ``RUNNING`` for
  longer than ``MAMORI_WORKER_LEASE_SECONDS`` whose worker has not been seen for that long, and puts
  them back to ``READY`` — at most ``MAMORI_TASK_MAX_ATTEMPTS`` times, then ``FAILED`` (a task that
  kills its worker every time must not kill it forever);
* a task that sends mail calls :func:`deliver_once`, which records on the task row that the message is
  being handed over (before) and that it was accepted (after). "Sent" means: the delivery backend
  accepted it — the ``.eml`` file is in the outbox (written under a temporary name, then renamed), or
  the SMTP server answered. A row found ``handing-over`` is only re-queued when the outbox proves the
  message is not there; with SMTP nothing can prove it, so the row is marked failed rather than
  risking a second copy (the sender sees it and can resend).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import os
import socket
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mamori.conf import env_int
from mamori.taskleases.models import WorkerHeartbeat

log = logging.getLogger(__name__)

RUNNING = "RUNNING"
READY = "READY"
FAILED = "FAILED"
SUCCESSFUL = "SUCCESSFUL"

MARK = "mamori_delivery"
HANDING_OVER = "handing-over"
SENT = "sent"

OUTBOX_BACKEND = "mamori.mail.OutboxEmailBackend"

# The id of the django-tasks-db row the worker is running in this thread (set by on_task_started).
current_task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("mamori_task_id", default=None)


def heartbeat_seconds() -> int:
    return env_int("MAMORI_WORKER_HEARTBEAT_SECONDS", 15, minimum=1)


def lease_seconds() -> int:
    return env_int("MAMORI_WORKER_LEASE_SECONDS", 120, minimum=2)


def max_attempts() -> int:
    return env_int("MAMORI_TASK_MAX_ATTEMPTS", 3, minimum=1)


# --- The worker's side ---------------------------------------------------------------------------


def on_task_started(sender, task_result, **kwargs) -> None:
    """django-tasks ``task_started`` receiver: remember which queue row this thread runs."""
    from django_tasks_db.backend import DatabaseBackend

    backend = sender if isinstance(sender, type) else type(sender)  # an instance in django-tasks-db
    is_db = issubclass(backend, DatabaseBackend)
    current_task_id.set(str(task_result.id) if is_db else None)


def on_task_finished(sender, task_result, **kwargs) -> None:
    current_task_id.set(None)


def connect() -> None:
    """Called by the worker at start (``mamori worker``)."""
    from django_tasks.signals import task_finished, task_started

    task_started.connect(on_task_started, dispatch_uid="mamori-taskleases")
    task_finished.connect(on_task_finished, dispatch_uid="mamori-taskleases")


def beat(worker_id: str, started_at: dt.datetime | None = None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()},
        create_defaults={
            "seen_at": now,
            "started_at": started_at or now,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def stopped(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


# --- Recovering the rows of dead workers ----------------------------------------------------------


def _outbox_holds(message_id: str, since: float) -> bool:
    """Whether an .eml in the outbox carries this Message-ID. Only files named (by the outbox
    backend: ``YYYYmmdd-HHMMSS-….eml``, UTC) from a minute before ``since`` on are read."""
    outbox = Path(settings.MAMORI_OUTBOX_DIR)
    if not outbox.is_dir():
        return False
    needle = f"Message-ID: {message_id}".encode()
    earliest = dt.datetime.fromtimestamp(since - 60, tz=dt.UTC).strftime("%Y%m%d-%H%M%S")
    for path in outbox.glob("*.eml"):
        stamp = path.name[:15]
        if len(stamp) == 15 and stamp[8] == "-" and stamp.replace("-", "").isdigit() and stamp < earliest:
            continue
        try:
            with path.open("rb") as handle:
                head = handle.read(64 * 1024).split(b"\n\n", 1)[0]
        except OSError:
            continue
        if needle in head:
            return True
    return False


def message_id_for(task_id: str) -> str:
    return f"<task-{task_id}@mamori.invalid>"


def _recover(row: DBTaskResult, now: dt.datetime) -> str:
    """Decide what a dead worker's row becomes; returns the new status.

    Its delivery mark stays on the row: when the task runs again, :func:`deliver_once` sees that the
    message was already accepted and does not send it again (the rest of the task, such as marking
    the mail log sent, still runs)."""
    mark = row.return_value.get(MARK) if isinstance(row.return_value, dict) else None
    same = DBTaskResult.objects.filter(pk=row.pk, status=RUNNING, started_at=row.started_at)
    if mark == HANDING_OVER and settings.MAMORI_DELIVERY_EMAIL_BACKEND != OUTBOX_BACKEND:
        updated = same.update(
            status=FAILED,
            finished_at=now,
            exception_class_path="mamori.taskleases.DeliveryUncertain",
            traceback=(
                "The worker stopped while handing this message to the mail server; it may or may not "
                "have been delivered, so it is not sent again automatically."
            ),
        )
        return FAILED if updated else RUNNING
    if len(row.worker_ids or []) >= max_attempts():
        updated = same.update(
            status=FAILED,
            finished_at=now,
            exception_class_path="mamori.taskleases.WorkerDied",
            traceback=f"The worker died {len(row.worker_ids)} times while running this task.",
        )
        return FAILED if updated else RUNNING
    updated = same.update(status=READY)
    return READY if updated else RUNNING


def reap(now: dt.datetime | None = None) -> dict[str, int]:
    """Put back (or close) the rows left ``RUNNING`` by workers not seen for a lease."""
    now = now or timezone.now()
    expiry = now - dt.timedelta(seconds=lease_seconds())
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=expiry).values_list("worker_id", flat=True))
    counts: dict[str, int] = {}
    for row in DBTaskResult.objects.filter(status=RUNNING, started_at__lt=expiry).order_by("started_at"):
        worker = (row.worker_ids or [""])[-1]
        if worker in alive:
            continue  # a long task of a living worker
        with transaction.atomic():
            status = _recover(row, now)
        if status != RUNNING:
            counts[status] = counts.get(status, 0) + 1
            log.warning("task %s (%s) of dead worker %s: %s", row.pk, row.task_path, worker, status)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return counts


# --- Sending a message at most once ---------------------------------------------------------------


def _mark(task_id: str, value: dict) -> None:
    DBTaskResult.objects.filter(pk=task_id, status=RUNNING).update(return_value=value)


def _already_accepted(task_id: str) -> int | None:
    """The count recorded by an earlier attempt of this task whose message was accepted, else None."""
    value = DBTaskResult.objects.filter(pk=task_id).values_list("return_value", flat=True).first()
    if not isinstance(value, dict):
        return None
    mark = value.get(MARK)
    if mark == SENT:
        return int(value.get("count", 1))
    if (
        mark == HANDING_OVER
        and settings.MAMORI_DELIVERY_EMAIL_BACKEND == OUTBOX_BACKEND
        and _outbox_holds(message_id_for(task_id), float(value.get("at", 0)))
    ):
        return 1
    return None


def deliver_once(message) -> int:
    """``message.send()``, recorded on the running task's row so that a worker that dies half-way
    never leads to a second copy (see the module's docstring). One message per task. Outside a
    queued task (tests, the command line): just send."""
    task_id = current_task_id.get()
    if task_id is None:
        return message.send()
    earlier = _already_accepted(task_id)
    if earlier is not None:
        log.warning("task %s: its message was accepted before its worker died; not sent again", task_id)
        _mark(task_id, {MARK: SENT, "count": earlier})
        return earlier
    message.extra_headers = {**(message.extra_headers or {}), "Message-ID": message_id_for(task_id)}
    _mark(task_id, {MARK: HANDING_OVER, "at": timezone.now().timestamp()})
    sent = message.send()
    _mark(task_id, {MARK: SENT, "count": sent})
    return sent
