"""Built-in symptom scales (defined in knowledge/data/scales.yaml) and score validation."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from functools import lru_cache

from dosewise.errors import InvalidRating
from dosewise.knowledge.files import load_yaml


@dataclass(frozen=True)
class Mcid:
    """Minimal clinically important difference: ``points`` or ``percent`` of baseline, whichever is larger."""

    points: float
    percent: float | None
    refs: tuple[str, ...]

    def threshold(self, baseline: float | None) -> float:
        """Return the MCID in scale points for a given baseline level (points on the scale)."""
        if self.percent is None or baseline is None or not math.isfinite(baseline):
            return self.points
        return max(self.points, abs(baseline) * self.percent / 100.0)


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    short: str
    min: float
    max: float
    integer: bool
    lower_is_better: bool
    anchors: dict[float, str]
    mcid: Mcid
    refs: tuple[str, ...]
    items: tuple[str, ...] = ()
    item_min: int = 0
    item_max: int = 0

    @property
    def multi_item(self) -> bool:
        return bool(self.items)


@lru_cache(maxsize=1)
def all_scales() -> dict[str, Scale]:
    """Return the built-in scales by id."""
    out: dict[str, Scale] = {}
    for raw in load_yaml("scales.yaml"):
        mcid = raw["mcid"]
        out[raw["id"]] = Scale(
            id=raw["id"],
            name=raw["name"],
            short=raw["short"],
            min=raw["min"],
            max=raw["max"],
            integer=raw["integer"],
            lower_is_better=raw["lower_is_better"],
            anchors={float(k): v for k, v in raw.get("anchors", {}).items()},
            mcid=Mcid(points=mcid["points"], percent=mcid.get("percent"), refs=tuple(mcid.get("refs", []))),
            refs=tuple(raw.get("refs", [])),
            items=tuple(raw.get("items", [])),
            item_min=raw.get("item_min", 0),
            item_max=raw.get("item_max", 0),
        )
    return out


def get_scale(scale_id: str) -> Scale:
    """Return the scale named ``scale_id``; raise InvalidRating with the choices if unknown."""
    scales = all_scales()
    key = scale_id.strip().lower().replace("_", "-").replace(" ", "-")
    if key in scales:
        return scales[key]
    close = difflib.get_close_matches(key, list(scales), n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InvalidRating(f"Unknown scale '{scale_id}'.{hint} Scales: {', '.join(scales)}.", field="scale")


def validate_score(scale: Scale, value: float) -> float:
    """Return ``value`` if it is a valid score on ``scale``; raise InvalidRating saying what is allowed."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidRating(f"A {scale.short} score must be a number, not '{value}'.", field="value")
    if not scale.min <= value <= scale.max:
        raise InvalidRating(
            f"{scale.short} is scored {scale.min:g} to {scale.max:g}; {value:g} is outside the scale.",
            field="value",
        )
    if scale.integer and value != int(value):
        raise InvalidRating(f"{scale.short} is scored in whole numbers; {value:g} is not one.", field="value")
    return float(value)


def validate_items(scale: Scale, items: list[float]) -> float:
    """Check the item scores of a multi-item scale and return the total."""
    if len(items) != len(scale.items):
        raise InvalidRating(
            f"{scale.short} has {len(scale.items)} items ({', '.join(scale.items)}); got {len(items)} scores.",
            field="items",
        )
    for name, v in zip(scale.items, items, strict=True):
        if (
            not isinstance(v, (int, float))
            or not math.isfinite(v)
            or v != int(v)
            or not scale.item_min <= v <= scale.item_max
        ):
            raise InvalidRating(
                f"{scale.short} item '{name}' is scored {scale.item_min}-{scale.item_max} in whole numbers; got {v}.",
                field="items",
            )
    return float(sum(items))
