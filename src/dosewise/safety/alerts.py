"""Red-flag rules (knowledge/data/red_flags.yaml) evaluated against journal events. Pure: values in, hits out.

Event kinds: symptom (item = symptom id), side_effect (item = effect id, severity), measure (item = kind such
as weight_kg / systolic_bp / temperature_c, value in kg / mmHg / degrees C). Times are aware UTC.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dosewise.knowledge.red_flags import EventGroup, RedFlagRule, RedFlagTrigger, load_red_flags
from dosewise.model.journal import PersonDay
from dosewise.model.vocab import AlertLevel, Severity


@dataclass(frozen=True)
class Event:
    kind: str  # symptom | side_effect | measure | dose_total (item thc_mg / cbd_mg: a journal day's total, mg)
    item: str
    at: datetime
    severity: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class Context:
    """Who the rules are evaluated for: condition ids and curated drug ids of current medicines."""

    conditions: frozenset[str] = frozenset()
    drug_ids: frozenset[str] = frozenset()
    ceiling_mg_day: tuple[tuple[str, float], ...] = ()  # active plan's ceilings, e.g. (("thc_mg", 30.0),)
    # The daily ceiling set for the person by a clinician or themself (with or without a plan), and who set it.
    set_ceiling_mg_day: tuple[tuple[str, float], ...] = ()
    set_ceiling_by: str = ""  # in words: "by dr.silva@clinic.org (clinician) on 2 December 2026"
    day: PersonDay = PersonDay()  # the person's journal day: rules that count days count these
    # Optional: finds ``drug_ids`` only when a rule that requires a medicine fires (naming the person's
    # medicines means loading the drug vocabulary, which a rating or a note rarely needs).
    find_drug_ids: Callable[[], frozenset[str]] | None = None

    def takes_any(self, needs: Iterable[str]) -> bool:
        """Whether the person takes one of the drug ids ``needs`` (looked up once, when first asked)."""
        if self.find_drug_ids is not None and "_found" not in self.__dict__:
            self.__dict__["_found"] = self.drug_ids | self.find_drug_ids()
        found: frozenset[str] = self.__dict__.get("_found", self.drug_ids)
        return bool(set(needs) & found)


@dataclass(frozen=True)
class RuleHit:
    rule_id: str
    level: str
    title: str
    message: str
    why: str
    refs: tuple[str, ...]
    latest_at: datetime  # the newest entry that triggered it (defines the episode)
    verified: bool = True
    window: timedelta = timedelta(hours=72)  # the rule's look-back: entries further apart are new episodes


def rules() -> tuple[RedFlagRule, ...]:
    """Return the red-flag rules, in file order (validated by the knowledge schema)."""
    return load_red_flags()


def rules_for(conditions: frozenset[str] | set[str]) -> list[RedFlagRule]:
    """Return the rules that apply to a person with ``conditions`` (rules for 'all' always apply)."""
    return [r for r in rules() if "all" in r.applies_to or set(r.applies_to) & set(conditions)]


def evaluate(events: list[Event], ctx: Context, *, now: datetime) -> list[RuleHit]:
    """Return one hit per rule that fires now, most urgent first."""
    hits = []
    for rule in rules_for(ctx.conditions):
        found = _fire(rule, events, ctx, now)
        if found is None:
            continue
        if rule.requires_medicine and not ctx.takes_any(rule.requires_medicine):
            continue
        latest, evidence = found
        hits.append(_hit(rule, latest, evidence))
    fired = {h.rule_id for h in hits}
    hits = [h for h in hits if not set(_rule(h.rule_id).superseded_by) & fired]
    return sorted(hits, key=lambda h: AlertLevel(h.level).rank)


def _rule(rule_id: str) -> RedFlagRule:
    return next(r for r in rules() if r.id == rule_id)


def _fire(rule: RedFlagRule, events: list[Event], ctx: Context, now: datetime) -> tuple[datetime, str] | None:
    trig = rule.trigger
    kind = trig.kind
    if kind == "event":
        return _event_rule(trig, events, now)
    if kind == "measure_rise":
        return _measure_rise(trig, events, now)
    if kind == "measure_drop":
        return _measure_drop(trig, events, now)
    if kind == "worsening":
        return _worsening(trig, events, ctx.day, now)
    if kind == "above_ceiling":
        return _above_ceiling(trig, events, ctx.ceiling_mg_day, "the plan's ceiling", now)
    if kind == "above_set_ceiling":
        return _above_ceiling(trig, events, ctx.set_ceiling_mg_day, f"the ceiling set {ctx.set_ceiling_by}", now)
    raise ValueError(f"red-flag rule {rule.id}: unknown trigger kind {kind}")


def _matches(group: EventGroup, e: Event) -> bool:
    if e.kind == "symptom":
        return e.item in group.symptoms
    if e.kind == "side_effect":
        wanted = group.side_effects
        return ("*" in wanted or e.item in wanted) and Severity.rank_of(e.severity) >= group.min_severity.rank
    if e.kind == "measure":
        spec = group.measures.get(e.item)
        return spec is not None and e.value is not None and e.value >= spec.min
    return False


def _recent(events: list[Event], now: datetime, hours: float) -> list[Event]:
    since = now - timedelta(hours=hours)
    return [e for e in events if since <= e.at <= now + timedelta(minutes=5)]


def _event_rule(trig: RedFlagTrigger, events: list[Event], now: datetime) -> tuple[datetime, str] | None:
    window = _recent(events, now, _hours(trig))
    main = [e for e in window if _matches(trig, e)]
    if not main:
        return None
    if trig.with_any is not None:
        other = [e for e in window if _matches(trig.with_any, e)]
        if not other:
            return None
        main = main + other
    latest = max(main, key=lambda e: e.at)
    return latest.at, _describe(sorted(set(main), key=lambda e: e.at))


def _describe(events: list[Event]) -> str:
    """The entries behind an alert in words a person reads (names, not ids)."""
    from dosewise.model.journal import side_effects, symptoms

    names = {k: v["label"] for k, v in (symptoms() | side_effects()).items()}
    parts = []
    for e in events:
        name = names.get(e.item, e.item.replace("_", " ").replace("-", " "))
        if e.kind == "measure":
            parts.append(f"{name} {e.value:g}")
        elif e.kind == "side_effect":
            parts.append(f"{name} ({e.severity})")
        else:
            parts.append(name)
    return ", ".join(dict.fromkeys(parts))


def _measure_rise(trig: RedFlagTrigger, events: list[Event], now: datetime) -> tuple[datetime, str] | None:
    kind = trig.measure
    late = now + timedelta(minutes=5)
    series = sorted((e for e in events if e.kind == "measure" and e.item == kind and e.at <= late), key=lambda e: e.at)
    recent = [e for e in _recent(series, now, _hours(trig))]
    for e in reversed(recent):
        since = e.at - timedelta(days=_required(trig.baseline_days, "baseline_days"))
        earlier = [x.value for x in series if since <= x.at < e.at and x not in recent and x.value is not None]
        if not earlier or e.value is None:
            continue
        usual = statistics.median(earlier)
        if e.value >= usual + _required(trig.above_baseline, "above_baseline"):
            return e.at, f"{kind} {e.value:g} vs usual {usual:g}"
    return None


def _measure_drop(trig: RedFlagTrigger, events: list[Event], now: datetime) -> tuple[datetime, str] | None:
    kind = trig.measure
    recent = _recent(events, now, _hours(trig))
    window = [e for e in recent if e.kind == "measure" and e.item == kind]
    if len(window) < 2:
        return None
    window.sort(key=lambda e: e.at)
    latest = window[-1]
    top = max(e.value or 0.0 for e in window[:-1])
    if top > 0 and latest.value is not None and (top - latest.value) / top * 100 >= _required(trig.percent, "percent"):
        return latest.at, f"{kind} {top:g} -> {latest.value:g} ({(top - latest.value) / top * 100:.1f} % lower)"
    return None


def _worsening(trig: RedFlagTrigger, events: list[Event], day: PersonDay, now: datetime) -> tuple[datetime, str] | None:
    window = [e for e in _recent(events, now, _hours(trig)) if e.kind == "side_effect"]
    by_effect: dict[str, list[Event]] = {}
    for e in sorted(window, key=lambda e: e.at):
        by_effect.setdefault(e.item, []).append(e)
    for effect, items in by_effect.items():
        ranks_by_day: dict[date, int] = {}
        for e in items:
            d = day.of(e.at)  # the person's journal day, not the UTC date
            ranks_by_day[d] = max(ranks_by_day.get(d, 0), Severity.rank_of(e.severity))
        ranks = [ranks_by_day[d] for d in sorted(ranks_by_day)]
        rises = sum(1 for a, b in zip(ranks, ranks[1:], strict=False) if b > a)
        if (
            len(ranks) >= _required(trig.min_days, "min_days")
            and rises >= 1
            and ranks[-1] > ranks[0]
            and ranks[-1] >= 2
        ):
            return items[-1].at, f"{effect} worse over {len(ranks)} days ({' -> '.join(map(str, ranks))} of 3)"
    return None


def _above_ceiling(
    trig: RedFlagTrigger, events: list[Event], limits: tuple[tuple[str, float], ...], whose: str, now: datetime
) -> tuple[datetime, str] | None:
    ceilings = dict(limits)
    over = [
        e
        for e in _recent(events, now, _hours(trig))
        if e.kind == "dose_total" and e.item in ceilings and e.value is not None and e.value > ceilings[e.item] + 1e-9
    ]
    if not over:
        return None
    e = max(over, key=lambda x: x.at)
    name = e.item.removesuffix("_mg").upper()
    return e.at, f"{e.value:g} mg {name} in one day, above {whose.strip()} of {ceilings[e.item]:g} mg"


def _hit(rule: RedFlagRule, latest: datetime, evidence: str) -> RuleHit:
    from dosewise.knowledge.references import load_references  # only when a rule fires

    refs = load_references()
    sources = "; ".join(refs[r].short() for r in rule.refs if r in refs)
    why = f"Rule '{rule.title}' ({rule.id}): you logged {evidence}. Source: {sources}."
    if not rule.verified:
        why += " (Based on unverified notes.)"
    if rule.basis:
        why += " " + rule.basis
    return RuleHit(
        rule_id=rule.id,
        level=rule.level,
        title=rule.title,
        message=" ".join(rule.message.split()),
        why=why,
        refs=rule.refs,
        latest_at=latest,
        verified=rule.verified,
        window=rule.trigger.window(),
    )


def _hours(trig: RedFlagTrigger) -> float:
    """Return the look-back of ``trig`` in hours."""
    return trig.window() / timedelta(hours=1)


def _required(value: float | None, name: str) -> float:
    """Return a trigger setting its kind needs; a rule without it is a data error (caught by the rule tests)."""
    if value is None:
        raise ValueError(f"red-flag trigger is missing '{name}'")
    return value
