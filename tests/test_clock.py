"""The suite runs at one instant in Tokyo (tests/conftest.py), movable with MAMORI_TEST_TODAY."""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.conftest import DEFAULT_TEST_TODAY, suite_now

TOKYO = ZoneInfo("Asia/Tokyo")


def configured_day() -> dt.date:
    return dt.date.fromisoformat(os.environ.get("MAMORI_TEST_TODAY") or DEFAULT_TEST_TODAY)


def test_every_clock_reads_the_configured_day():
    day = configured_day()
    assert timezone.localdate() == day and dt.date.today() == day
    now = timezone.localtime()
    assert now.date() == day and (now.hour, now.minute) == (10, 0)
    assert dt.datetime.fromtimestamp(time.time(), TOKYO).date() == day


def test_each_test_starts_at_the_same_instant_and_the_clock_runs_on():
    start = suite_now()
    assert dt.timedelta(0) <= timezone.now() - start < dt.timedelta(seconds=30)
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > before  # tick=True: durations, throttles and ordering by time still work


def test_the_day_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAMORI_TEST_TODAY", "2027-11-25")
    assert suite_now() == dt.datetime(2027, 11, 25, 10, tzinfo=TOKYO)
    monkeypatch.delenv("MAMORI_TEST_TODAY")
    assert suite_now().date() == dt.date.fromisoformat(DEFAULT_TEST_TODAY)
