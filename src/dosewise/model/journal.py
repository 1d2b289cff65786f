"""Journal entries: times, journal days, side effects, symptoms, notes and plausibility limits."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Protocol

from dosewise.errors import ImplausibleDose, InvalidInput, InvalidTime
from dosewise.knowledge.files import YamlRecord, load_yaml
from dosewise.model.vocab import Severity

EARLIEST_ENTRY = datetime(1970, 1, 1, tzinfo=UTC)  # a journal entry before this is a typo in the year
_TOO_EARLY = "That time is too far in the past (before 1970). Check the year."
FUTURE_TOLERANCE = timedelta(minutes=5)
# The same dose twice this close is a double press until confirmed: a safeguard of the app, not a dosing rule.
REPEAT_WINDOW = timedelta(minutes=2)
NOTE_MAX_CHARS = 4000  # documented in docs/formats.md
ENTERED_BY = ("person", "caregiver", "clinician")  # the role an entry was entered in

# Data-entry sanity limits for ONE dose entry (not dosing advice): anything above is almost
# certainly a typo (wrong unit or misplaced decimal) and must be confirmed to be stored.
MAX_THC_MG_PER_ENTRY = 100.0
MAX_CBD_MG_PER_ENTRY = 1500.0


@lru_cache(maxsize=1)
def side_effects() -> dict[str, YamlRecord]:
    """Return the side-effect vocabulary by id (from knowledge/data/side_effects.yaml)."""
    return {e["id"]: e for e in load_yaml("side_effects.yaml")}


@lru_cache(maxsize=1)
def symptoms() -> dict[str, YamlRecord]:
    """Return the loggable symptom/event vocabulary by id (knowledge/data/symptoms.yaml)."""
    return {e["id"]: e for e in load_yaml("symptoms.yaml")}


def _resolve(text: str, vocabulary: dict[str, YamlRecord], what: str) -> str:
    key = " ".join(text.strip().lower().replace("_", "-").split()).replace(" ", "-")
    if key in vocabulary:
        return key
    for vid, entry in vocabulary.items():
        if key in (s.replace(" ", "-") for s in entry.get("synonyms", [])):
            return vid
    names = list(vocabulary) + [s.replace(" ", "-") for e in vocabulary.values() for s in e.get("synonyms", [])]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.7)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InvalidInput(
        f"Unknown {what} '{text}'.{hint} Known: {', '.join(vocabulary)}. Use a note for anything else.",
        field="item",
    )


def parse_side_effect(text: str) -> str:
    """Return the side-effect id for ``text`` (id or synonym, e.g. 'sleepy' -> 'drowsiness')."""
    return _resolve(text, side_effects(), "side effect")


def parse_symptom(text: str) -> str:
    """Return the symptom id for ``text`` (id or synonym)."""
    return _resolve(text, symptoms(), "symptom")


@dataclass(frozen=True)
class Measurement:
    """A measurement a person can log: its id, the word people type, label, unit, example and entry limits."""

    id: str
    word: str
    label: str
    unit: str
    example: str
    min: float
    max: float


@lru_cache(maxsize=1)
def measurements() -> dict[str, Measurement]:
    """Return the loggable measurements by id (knowledge/data/measurements.yaml, data-entry limits only)."""
    return {
        m["id"]: Measurement(
            m["id"], m["word"], m["label"], m["unit"], str(m["example"]), float(m["min"]), float(m["max"])
        )
        for m in load_yaml("measurements.yaml")
    }


def find_measurement(kind: str) -> Measurement:
    """Return the measurement for a kind typed as its id ('weight_kg') or word ('weight')."""
    key = kind.strip().lower().replace("-", "_")
    by_word = {m.word: m.id for m in measurements().values()}
    m = measurements().get(by_word.get(key, key))
    if m is None:
        known = ", ".join(f"{x.word} ({x.unit})" for x in measurements().values())
        raise InvalidInput(f"Unknown measurement '{kind}'. Use one of: {known}.", field="kind")
    return m


def check_measurement(m: Measurement, value: float) -> float:
    """Return ``value`` if it is within the measurement's data-entry limits; refuse it with the limits if not."""
    if not m.min <= value <= m.max:
        raise InvalidInput(
            f"{m.label} must be between {m.min:g} and {m.max:g} {m.unit} (got {value:g}).", field="value"
        )
    return value


def parse_severity(text: str) -> Severity:
    try:
        return Severity(text.strip().lower())
    except ValueError:
        raise InvalidInput(f"Severity must be mild, moderate or severe (got '{text}').", field="severity") from None


def validate_note(text: str) -> str:
    """Return the note verbatim if it is non-empty and within NOTE_MAX_CHARS."""
    if not text or not text.strip():
        raise InvalidInput("A note cannot be empty.", field="text")
    if len(text) > NOTE_MAX_CHARS:
        raise InvalidInput(
            f"A note can be at most {NOTE_MAX_CHARS} characters (this one has {len(text)}).", field="text"
        )
    return text


def validate_entered_by(text: str) -> str:
    key = text.strip().lower()
    if key not in ENTERED_BY:
        raise InvalidInput("'entered by' must be 'person', 'caregiver' or 'clinician'.", field="entered_by")
    return key


def check_plausible(thc_mg: float, cbd_mg: float, *, confirm_unusual: bool) -> bool:
    """Return True if the dose is unusual (and confirmed); raise ImplausibleDose if not confirmed."""
    unusual = thc_mg > MAX_THC_MG_PER_ENTRY or cbd_mg > MAX_CBD_MG_PER_ENTRY
    if unusual and not confirm_unusual:
        raise ImplausibleDose(
            f"That is {thc_mg:.1f} mg THC and {cbd_mg:.1f} mg CBD in one dose, far above usual doses "
            f"(over {MAX_THC_MG_PER_ENTRY:g} mg THC or {MAX_CBD_MG_PER_ENTRY:g} mg CBD). Check the amount and "
            "unit; if it is right, log it again with --confirm-unusual.",
            field="amount",
        )
    return unusual


_TIME_ONLY = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_local_time(text: str, *, tz: tzinfo, now: datetime) -> datetime:
    """Parse a local date-time ("2026-11-20 21:00", ISO 8601, or "21:00" for today) to aware UTC."""
    raw = (text or "").strip()
    m = _TIME_ONLY.match(raw)
    try:
        if m:
            local_now = now.astimezone(tz)
            t = time(int(m.group(1)), int(m.group(2)))
            dt = datetime.combine(local_now.date(), t, tzinfo=tz)
        else:
            dt = datetime.fromisoformat(raw.replace("/", "-"))
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=tz)
    except ValueError:
        raise InvalidTime(
            f"Could not read the time '{text}'. Use 'YYYY-MM-DD HH:MM' (for example 2026-11-20 21:00) or 'HH:MM'.",
            field="at",
        ) from None
    return check_not_future(to_utc(dt), now=now)


def to_utc(at: datetime) -> datetime:
    """Return the aware ``at`` in UTC; a time too far in the past to convert (year 1) is an InvalidTime."""
    try:
        return at.astimezone(UTC)
    except OverflowError:
        raise InvalidTime(_TOO_EARLY, field="at") from None


def check_not_future(at: datetime, *, now: datetime) -> datetime:
    """Return ``at`` unless it is more than 5 minutes after ``now`` or before 1970 (surely a typo)."""
    if at - now > FUTURE_TOLERANCE:
        raise InvalidTime("That time is in the future. Entries can only be logged for now or the past.", field="at")
    if at < EARLIEST_ENTRY:
        raise InvalidTime(_TOO_EARLY, field="at")
    return at


@dataclass(frozen=True)
class PersonDay:
    """One person's calendar: their time zone and the local hour (0-23) at which their journal day starts."""

    tz: tzinfo = UTC
    start_hour: int = 0

    def of(self, at: datetime) -> date:
        """Return the journal day of ``at`` (an aware time)."""
        return journal_day(at, tz=self.tz, day_start_hour=self.start_hour)

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        """Return the UTC [start, end) of journal day ``day``."""
        return day_bounds(day, tz=self.tz, day_start_hour=self.start_hour)


class _Dose(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def thc_mg(self) -> float | None: ...
    @property
    def cbd_mg(self) -> float | None: ...


@dataclass
class DayMg:
    """What one journal day's doses add up to: mg THC, mg CBD, how many doses, and the time of the last."""

    thc_mg: float = 0.0
    cbd_mg: float = 0.0
    doses: int = 0
    last_at: datetime | None = None


def daily_mg(doses: Iterable[_Dose], day: PersonDay) -> dict[date, DayMg]:
    """Return the mg THC and mg CBD taken on each journal day (doses without mg, e.g. other entries, add 0)."""
    totals: dict[date, DayMg] = {}
    for d in doses:
        t = totals.setdefault(day.of(d.at), DayMg())
        t.thc_mg += d.thc_mg or 0.0
        t.cbd_mg += d.cbd_mg or 0.0
        t.doses += 1
        t.last_at = d.at if t.last_at is None else max(t.last_at, d.at)
    return totals


def journal_day(at: datetime, *, tz: tzinfo, day_start_hour: int) -> date:
    """Return the journal day of ``at``: the local date, where a day starts at ``day_start_hour``.

    With the default 04:00, an entry at 01:30 counts for the evening before.
    """
    return (at.astimezone(tz) - timedelta(hours=day_start_hour)).date()


def day_bounds(day: date, *, tz: tzinfo, day_start_hour: int) -> tuple[datetime, datetime]:
    """Return the UTC [start, end) of journal day ``day``."""
    start = datetime.combine(day, time(day_start_hour), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(day_start_hour), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)
