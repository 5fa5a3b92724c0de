"""Mail through Django's mail framework, delivered by the background worker.

``QueuedEmailBackend`` (the EMAIL_BACKEND) turns each message into a task; the worker's
``deliver_email`` hands it to the delivery backend: SMTP when configured, otherwise
``OutboxEmailBackend``, which writes one ``.eml`` file per message to the outbox folder.

Mail can carry links that open something (invitations, password reset), so the queued message is
sealed with a key derived from the secret key (outside the database), and the task's arguments
are emptied once it is delivered: a copy of the database holds no usable link.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import TaskContext, task

from mamori.sealing import seal, unseal

MAIL_PURPOSE = "mail"
DELIVERED = "delivered"

logger = logging.getLogger(__name__)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        outbox = Path(settings.MAMORI_OUTBOX_DIR)
        outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
            tmp = outbox / f".{name}.tmp"
            # The owner's only: a message can carry a link that opens something.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.message().as_bytes(linesep="\n"))
            tmp.replace(outbox / name)
            sent += 1
        return sent


def _to_payload(message) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _forget_arguments(context: TaskContext) -> None:
    """Empty the delivered task's stored arguments (the sealed message) in the task table."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another task backend keeps nothing
        return
    DBTaskResult.objects.filter(id=context.task_result.id).update(
        args_kwargs={"args": [DELIVERED], "kwargs": {}}
    )


@task(takes_context=True)
def deliver_email(context: TaskContext, sealed: str | dict) -> int:
    if sealed == DELIVERED:  # delivered, then its worker died before the task was closed
        return 0
    # A dict is a message queued before mail was sealed (kept readable for the upgrade).
    payload = sealed if isinstance(sealed, dict) else json.loads(unseal(sealed, MAIL_PURPOSE))
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        connection=get_connection(settings.MAMORI_DELIVERY_EMAIL_BACKEND, fail_silently=False),
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    from mamori.taskleases.leases import deliver_once

    sent = deliver_once(message)  # at most once, even when the worker dies half-way
    _forget_arguments(context)
    return sent


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if message.attachments:
                raise ValueError("queued mail does not carry attachments; link to a download instead")
            sealed = seal(json.dumps(_to_payload(message), ensure_ascii=False), MAIL_PURPOSE)
            deliver_email.enqueue(sealed)
            count += 1
        return count
