"""Hostile functions for tests/test_file_jobs.py, run in the isolated child: this module imports
nothing of Django (the child never sets it up)."""

from __future__ import annotations

import time


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke up"


def allocate(megabytes: int) -> int:
    blocks = [bytearray(2**20) for _ in range(megabytes)]
    return len(blocks)


def add(a: int, b: int) -> int:
    return a + b


def report_progress(on_progress) -> str:
    """Half read, a pause the parent's on_wait sees, then done."""
    on_progress(0.5)
    time.sleep(2.5)
    on_progress(1.0)
    return "read"
