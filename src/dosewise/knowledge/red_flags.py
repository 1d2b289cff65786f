"""The red-flag rules (knowledge/data/red_flags.yaml), validated by their schema when first loaded.

The safety engine (``dosewise.safety.alerts``) evaluates them on every journal write; each condition guide
shows the rules that apply to it. Kept apart from ``kb`` (the guides) so that a quick ``dosewise log`` loads only
these few classes, not the fuzzy matcher or the references. Units: look-backs in hours or days, measurement floors
in the measurement's unit (kg, mmHg, degrees C).

The schema is frozen dataclasses that pydantic validates (unknown keys refused: ``__pydantic_config__``) only
when the YAML file or this schema changed; the validated rules are kept pickled (``files.load_validated``), so
evaluating them on a write loads no pydantic at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal

from dosewise.knowledge.files import load_validated
from dosewise.model.vocab import AlertLevel, Severity

_STRICT_KEYS: dict[str, Any] = {"extra": "forbid"}  # pydantic's config for these dataclasses: no unknown keys


@dataclass(frozen=True, kw_only=True)
class MeasureFloor:
    """A measurement that counts as a hit at ``min`` or above (units of the measurement kind, e.g. degrees C)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS

    min: float


@dataclass(frozen=True, kw_only=True)
class EventGroup:
    """Journal entries that count as a hit: any of these symptoms, side effects (at ``min_severity`` or worse;
    "*" = any effect) or measurements at their floor."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS

    symptoms: tuple[str, ...] = ()
    side_effects: tuple[str, ...] = ()
    min_severity: Severity = Severity.MILD
    measures: dict[str, MeasureFloor] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class RedFlagTrigger(EventGroup):
    """When a red-flag rule fires (see the header of red_flags.yaml). Look-back in hours or days."""

    kind: Literal["event", "measure_rise", "measure_drop", "worsening", "above_ceiling", "above_set_ceiling"]
    with_any: EventGroup | None = None  # event: a second group that must also be in the window
    within_hours: float | None = None
    within_days: float | None = None
    measure: str | None = None  # measure_rise / measure_drop: the measurement kind (weight_kg, systolic_bp)
    above_baseline: float | None = None  # measure_rise: units of the measurement over the median
    baseline_days: float | None = None  # measure_rise: days of earlier readings for the median
    percent: float | None = None  # measure_drop: % fall from the highest reading
    min_days: int | None = None  # worsening: different journal days with rising severity

    def window(self) -> timedelta:
        """Return the rule's look-back window (hours, else days; 3 days if the data gives neither)."""
        if self.within_hours is not None:
            return timedelta(hours=self.within_hours)
        return timedelta(days=self.within_days if self.within_days is not None else 3)


@dataclass(frozen=True, kw_only=True)
class RedFlagRule:
    """A red-flag rule (knowledge/data/red_flags.yaml): the shared part the guides show, and the engine's
    trigger (evaluated by dosewise.safety.alerts)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS

    id: str
    level: AlertLevel
    applies_to: tuple[str, ...]
    title: str
    message: str
    refs: tuple[str, ...] = ()
    verified: bool = True
    trigger: RedFlagTrigger
    requires_medicine: tuple[str, ...] = ()  # drug ids (drugs.yaml): the rule applies only to people taking one
    superseded_by: tuple[str, ...] = ()  # skip this rule when one of these (more specific) rules fires
    basis: str | None = None  # why the threshold is what it is, when it is a Dosewise setting

    def applies(self, condition_id: str) -> bool:
        """Return True if the rule applies to ``condition_id`` (or to everyone)."""
        return "all" in self.applies_to or condition_id in self.applies_to


@lru_cache(maxsize=1)
def load_red_flags() -> tuple[RedFlagRule, ...]:
    """Return the red-flag rules, or () while red_flags.yaml does not exist yet."""
    path = resources.files("dosewise.knowledge").joinpath("data", "red_flags.yaml")
    if not path.is_file():
        return ()
    # Validated once per version of the file and of this schema, then read back already validated (a quick
    # ``dosewise log`` evaluates these rules but need not build their validators).
    return load_validated("red_flags.yaml", _validate, Path(__file__))


def _validate(raw: list[dict[str, object]] | None) -> tuple[RedFlagRule, ...]:
    from pydantic import TypeAdapter  # only when the file or this schema changed

    return TypeAdapter(tuple[RedFlagRule, ...]).validate_python(raw or [])
