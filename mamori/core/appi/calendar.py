"""Counting the reporting days (GL 3-5-3-4 ※2; 行政機関の休日に関する法律 1条・2条).

The day the business became aware is day 1. Weekends and holidays count, but a deadline that
falls on a Saturday, Sunday, national holiday or 12/29–1/3 moves to the next day that is none of
these. National holidays come from ``jpholiday`` (it follows the Cabinet Office list).
"""

from __future__ import annotations

import datetime as dt

import jpholiday


def is_closed(day: dt.date) -> bool:
    """A day the administrative organs are closed (行政機関の休日に関する法律1条1項)."""
    if day.weekday() >= 5:
        return True
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return True
    return jpholiday.is_holiday(day)


def closed_reason(day: dt.date) -> str | None:
    if day.weekday() == 5:
        return "土曜日"
    if day.weekday() == 6:
        return "日曜日"
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return "年末年始（12月29日〜1月3日）"
    name = jpholiday.is_holiday_name(day)
    return f"国民の祝日等（{name}）" if name else None


def day_n(aware: dt.date, n: int) -> dt.date:
    """Day n of the clock, the aware date being day 1."""
    return aware + dt.timedelta(days=n - 1)


def roll_forward(day: dt.date) -> dt.date:
    while is_closed(day):
        day += dt.timedelta(days=1)
    return day


def final_report_due(aware: dt.date, days: int) -> dt.date:
    """確報: day 30 (or 60), moved past closed days (規則8条2項, GL 3-5-3-4 ※2)."""
    return roll_forward(day_n(aware, days))


def preliminary_window(aware: dt.date) -> tuple[dt.date, dt.date]:
    """速報: 'promptly'; the guideline's guide is about 3–5 days from knowing (GL 3-5-3-3).

    Not a legal day count and the guideline states no holiday roll-forward for it (U), so the
    window is the plain calendar days aware+3 … aware+5.
    """
    return aware + dt.timedelta(days=3), aware + dt.timedelta(days=5)
