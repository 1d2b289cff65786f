"""The one clock: every "now" in Dosewise comes from :func:`now`.

Real time by default. Tests, demos and benchmarks set it (:func:`set_now`, or the ``DOSEWISE_NOW``
environment variable holding an ISO 8601 time with an offset, e.g. ``2026-11-21T12:00:00+00:00``) so nothing
depends on the day a command happens to run. A set clock stands still until it is set or advanced again.
All times are timezone-aware UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

_fixed: datetime | None = None


def now() -> datetime:
    """Return the current time in UTC: the set time if there is one, else the machine's clock."""
    if _fixed is not None:
        return _fixed
    env = os.environ.get("DOSEWISE_NOW")
    if env:
        return _parse(env)
    return datetime.now(UTC)


def set_now(when: datetime | None) -> None:
    """Stand the clock still at ``when`` (aware), or give it back to the machine with ``None``."""
    global _fixed
    if when is not None and when.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    _fixed = None if when is None else when.astimezone(UTC)


def advance(delta: timedelta) -> datetime:
    """Move a set clock forward by ``delta`` and return the new time."""
    set_now(now() + delta)
    return now()


def _parse(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"DOSEWISE_NOW must be an ISO 8601 time with an offset, not {text!r}") from None
    if value.tzinfo is None:
        raise ValueError(f"DOSEWISE_NOW needs an offset (e.g. +00:00): {text!r}")
    return value.astimezone(UTC)
