"""Has the source published these hours? The Open-Meteo question and how to read its answer. Pure functions.

The platform's ingest takes the source's newest complete hour from Open-Meteo's `current` answer (the live
API's present, or the replay server's clock) and the hours themselves from `hourly`. An hour counts as
published for a location when both agree: it is not after the source's current hour, and the hourly answer
has a value for it. The live API also answers forecast hours, which is why `current` is part of the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from aqi_airflow.hours import hour_label

# The pollutants of the European AQI: an hour with none of them is not usable by the platform.
SOURCE_VARIABLES = ("pm10", "pm2_5", "nitrogen_dioxide", "ozone")


@dataclass(frozen=True)
class Place:
    id: str
    latitude: float
    longitude: float


def _minute(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")


def source_params(places: list[Place], hours: list[datetime]) -> dict[str, str]:
    """`GET /v1/air-quality` parameters asking for the hours and the source's current hour, in one call."""
    if not places or not hours:
        raise ValueError("ask the source for at least one place and one hour")
    return {
        "latitude": ",".join(str(p.latitude) for p in places),
        "longitude": ",".join(str(p.longitude) for p in places),
        "hourly": ",".join(SOURCE_VARIABLES),
        "current": SOURCE_VARIABLES[0],
        "start_hour": _minute(min(hours)),
        "end_hour": _minute(max(hours)),
        "timezone": "GMT",
    }


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def unpublished_hours(
    answer: Any, places: list[Place], hours: list[datetime]
) -> tuple[dict[str, list[datetime]], str]:
    """
    Per location, the hours the source has not published yet, and a note on where the source stands (its
    current hour, or the reason it refused the question). The answer is Open-Meteo's JSON: one object per
    place, in the order asked (a single object for one place), or `{"error": true, "reason": …}`.
    """
    every = {place.id: list(hours) for place in places}
    if isinstance(answer, dict) and answer.get("error"):
        return every, f"the source refused: {answer.get('reason', 'no reason given')}"
    answers = answer if isinstance(answer, list) else [answer]
    if len(answers) != len(places):
        return every, f"the source answered {len(answers)} place(s) for {len(places)} asked"
    missing: dict[str, list[datetime]] = {}
    currents: list[datetime] = []
    for place, one in zip(places, answers):
        current = _time(one["current"]["time"])
        currents.append(current)
        hourly = one.get("hourly", {})
        columns = [hourly.get(name) or [] for name in SOURCE_VARIABLES]
        valued = {
            _time(time)
            for i, time in enumerate(hourly.get("time", []))
            if any(i < len(column) and column[i] is not None for column in columns)
        }
        gaps = [hour for hour in hours if hour > current or hour not in valued]
        if gaps:
            missing[place.id] = gaps
    return missing, f"the source's current hour is {hour_label(min(currents))}"
