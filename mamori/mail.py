"""Mail through Django's mail framework, delivered by the background worker.

``QueuedEmailBackend`` (the EMAIL_BACKEND) turns each message into a task; the worker's
``deliver_email`` hands it to the delivery backend: SMTP when configured, otherwise
``OutboxEmailBackend``, which writes one ``.eml`` file per message to the outbox folder.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        outbox = Path(settings.MAMORI_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
            tmp = outbox / f".{name}.tmp"
            tmp.write_bytes(message.message().as_bytes(linesep="\n"))
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


@task()
def deliver_email(payload: dict) -> int:
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

    return deliver_once(message)  # at most once, even when the worker dies half-way


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if message.attachments:
                raise ValueError("queued mail does not carry attachments; link to a download instead")
            deliver_email.enqueue(_to_payload(message))
            count += 1
        return count
