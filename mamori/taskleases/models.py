from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running worker, touched every few seconds; deleted when it stops cleanly."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    trail_ignore = True  # technical rows, like the task queue itself

    def __str__(self) -> str:
        return f"{self.worker_id} {self.host}:{self.pid}"
