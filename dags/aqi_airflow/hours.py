"""Hours of a data interval, which of them are missing, and how to name them in a message. Pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

HOUR = timedelta(hours=1)


def utc_hour(moment: datetime) -> datetime:
    """The whole UTC hour `moment` is; refuses a moment inside an hour (intervals here are whole hours)."""
    utc = moment.astimezone(timezone.utc)
    if utc.minute or utc.second or utc.microsecond:
        raise ValueError(f"{moment.isoformat()} is not on the hour")
    return utc


def interval_hours(start: datetime, end: datetime) -> list[datetime]:
    """Every hour that starts in [start, end): the hours a data interval covers, oldest first."""
    first, stop = utc_hour(start), utc_hour(end)
    hours: list[datetime] = []
    while first < stop:
        hours.append(first)
        first += HOUR
    return hours


def missing_hours(
    locations: Iterable[str], hours: list[datetime], present: set[tuple[str, datetime]]
) -> dict[str, list[datetime]]:
    """
    Per location, the hours without a row: the quality check's completeness rule for a window that has ended
    (every location has every hour of the window). Locations with nothing missing are left out.
    """
    missing: dict[str, list[datetime]] = {}
    for location in sorted(set(locations)):
        gaps = [hour for hour in hours if (location, hour) not in present]
        if gaps:
            missing[location] = gaps
    return missing


def hour_label(moment: datetime) -> str:
    """`2024-03-05T03:00Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def _runs(hours: list[datetime]) -> list[list[datetime]]:
    runs: list[list[datetime]] = []
    for hour in sorted(hours):
        if runs and hour - runs[-1][-1] == HOUR:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    return runs


def describe_missing(missing: dict[str, list[datetime]], what: str = "missing") -> str:
    """
    `lyon: 2024-03-05T03:00Z, 2024-03-05T04:00Z missing; paris: 2024-03-05T00:00Z..2024-03-05T23:00Z (24 h)
    missing`: every missing hour named, three or more in a row as a range so a missing day stays one line.
    """
    parts = []
    for location, hours in sorted(missing.items()):
        named = []
        for run in _runs(hours):
            if len(run) >= 3:
                named.append(f"{hour_label(run[0])}..{hour_label(run[-1])} ({len(run)} h)")
            else:
                named.extend(hour_label(hour) for hour in run)
        parts.append(f"{location}: {', '.join(named)} {what}")
    return "; ".join(parts)
