"""The synthetic extract's calendar: one fixed reference date, and cheap ordinal-day arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime

#: Every store is an extract taken on this day (end of the 2024/25 financial year).
REFERENCE_DATE = date(2025, 3, 31)
REFERENCE_DAY = REFERENCE_DATE.toordinal()
DAYS_PER_YEAR = 365.2425

_UNIX_EPOCH_DAY = date(1970, 1, 1).toordinal()


def day(ordinal: int) -> date:
    """The date of an ordinal day number."""
    return date.fromordinal(ordinal)


def moment(ordinal: int, second_of_day: int) -> datetime:
    """A UTC timestamp on an ordinal day."""
    return datetime.fromtimestamp((ordinal - _UNIX_EPOCH_DAY) * 86_400 + second_of_day, UTC)


def years(n: float) -> int:
    """A span of ``n`` years in days."""
    return int(n * DAYS_PER_YEAR)
