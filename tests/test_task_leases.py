"""A worker that dies while running a task: its task goes back to the queue after the lease, and a
message is still sent at most once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mamori.mail import deliver_email
from mamori.taskleases import leases
from mamori.taskleases.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections


@pytest.fixture
def queue(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setenv("MAMORI_WORKER_LEASE_SECONDS", "60")
    leases.connect()


def payload(subject="件名", to="a@example.jp"):
    message = EmailMessage(subject=subject, body="本文", from_email="m@example.jp", to=[to])
    from mamori.mail import _to_payload

    return _to_payload(message)


def claimed_by_dead_worker(row_id, *, minutes_ago=5, mark=None, worker="dead-1"):
    """What the worker leaves behind when killed: the row RUNNING, claimed long ago."""
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=row_id).update(
        status="RUNNING", started_at=started, worker_ids=[worker], return_value=mark
    )


def run_worker():
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)


def test_a_task_of_a_dead_worker_goes_back_to_the_queue_and_runs_once(queue):
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(result.id)
    run_worker()
    assert mail.outbox == []  # without the lease it stays RUNNING forever (the drill's lost mail)

    assert leases.reap() == {"READY": 1}
    run_worker()
    assert len(mail.outbox) == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids[0] == "dead-1" and len(row.worker_ids) == 2


def test_a_living_worker_keeps_its_long_task(queue):
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(result.id, worker="alive-1")
    leases.beat("alive-1")
    assert leases.reap() == {}
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    # …until its heartbeat is older than the lease.
    WorkerHeartbeat.objects.filter(pk="alive-1").update(seen_at=timezone.now() - dt.timedelta(minutes=2))
    assert leases.reap() == {"READY": 1}


def test_a_task_within_its_lease_is_left_alone(queue):
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(result.id, minutes_ago=0)
    assert leases.reap() == {}


def test_a_task_that_kills_its_worker_every_time_fails_after_the_attempts(queue, monkeypatch):
    monkeypatch.setenv("MAMORI_TASK_MAX_ATTEMPTS", "3")
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(result.id)
    DBTaskResult.objects.filter(pk=result.id).update(worker_ids=["w1", "w2", "w3"])
    assert leases.reap() == {"FAILED": 1}
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.exception_class_path == "mamori.taskleases.WorkerDied"


def test_a_message_the_outbox_already_holds_is_not_written_again(queue, settings, tmp_path):
    """Killed after the .eml was renamed into the outbox, before the task was marked done."""
    settings.MAMORI_DELIVERY_EMAIL_BACKEND = leases.OUTBOX_BACKEND
    result = deliver_email.enqueue(payload())
    # The first attempt got as far as handing the message over: the file is there.
    message = EmailMessage(subject="件名", body="本文", to=["a@example.jp"])
    message.extra_headers["Message-ID"] = leases.message_id_for(str(result.id))
    from mamori.mail import OutboxEmailBackend

    OutboxEmailBackend().send_messages([message])
    claimed_by_dead_worker(
        result.id, mark={leases.MARK: leases.HANDING_OVER, "at": timezone.now().timestamp()}
    )
    assert leases.reap() == {"READY": 1}
    run_worker()
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1  # not twice
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_a_message_killed_before_it_reached_the_outbox_is_written_once(queue, settings, tmp_path):
    settings.MAMORI_DELIVERY_EMAIL_BACKEND = leases.OUTBOX_BACKEND
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(
        result.id, mark={leases.MARK: leases.HANDING_OVER, "at": timezone.now().timestamp()}
    )
    assert leases.reap() == {"READY": 1}
    run_worker()
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert leases.message_id_for(str(result.id)).encode() in files[0].read_bytes()


def test_a_message_recorded_as_sent_is_not_sent_again(queue):
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(result.id, mark={leases.MARK: leases.SENT, "count": 1})
    assert leases.reap() == {"READY": 1}
    run_worker()
    assert mail.outbox == []
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == 1


def test_a_message_half_handed_to_smtp_is_failed_not_resent(queue, settings):
    """Nothing can tell whether the SMTP server took it: at most once means it is not resent."""
    settings.MAMORI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    result = deliver_email.enqueue(payload())
    claimed_by_dead_worker(result.id, mark={leases.MARK: leases.HANDING_OVER, "at": 0})
    assert leases.reap() == {"FAILED": 1}
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.exception_class_path == "mamori.taskleases.DeliveryUncertain"


def test_a_sent_message_is_marked_on_its_task_row(queue):
    result = deliver_email.enqueue(payload())
    seen = []
    original = leases._mark

    def spy(task_id, value):
        seen.append(value[leases.MARK])
        original(task_id, value)

    import unittest.mock

    with unittest.mock.patch.object(leases, "_mark", spy):
        run_worker()
    assert seen == [leases.HANDING_OVER, leases.SENT]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == leases.message_id_for(str(result.id))
