"""Uploaded files waiting to be read by the worker (:mod:`mamori.platform.web.jobs`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.platform.tenancy.models import OrgOwned


class FileJob(OrgOwned):
    """One uploaded file read in the worker: a kind registered by an app
    (:func:`mamori.platform.registry.register_file_job`), its parameters, and the outcome: where to
    see the result, or the Japanese error. The file itself lives only until it is read."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    file_name = models.CharField(max_length=200)
    path = models.CharField(max_length=500, blank=True)  # the pending file, "" once deleted
    params = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    request_id = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=16, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)  # claimed by a worker: read at most once
    finished_at = models.DateTimeField(null=True, blank=True)
    # How much of the file the child has read (0–1), copied from its progress file by the worker;
    # None until the reader has said anything.
    progress = models.FloatField(null=True, blank=True)

    # A technical queue row: what the job changes is recorded by the job itself.
    trail_ignore = True

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.state})"

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)
