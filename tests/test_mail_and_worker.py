from __future__ import annotations

import email

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mamori.mail import OutboxEmailBackend

pytestmark = pytest.mark.django_db


def test_outbox_backend_writes_one_readable_eml_per_message(settings, tmp_path):
    settings.MAMORI_OUTBOX_DIR = tmp_path / "outbox"
    message = mail.EmailMessage("件名テスト", "本文です。", "from@example.jp", ["to@example.jp"])
    assert OutboxEmailBackend().send_messages([message]) == 1
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "件名テスト" and parsed.get_content().strip() == "本文です。"


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_mail_waits_in_the_database_queue_until_the_worker_runs(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail("Queued", "Body", None, ["someone@example.jp"])
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Queued"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
