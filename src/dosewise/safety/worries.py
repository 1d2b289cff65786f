"""The red flags a person can report in one tap ("Something worrying?" on Today).

A worry is a symptom, or a side effect at a severity, that by itself raises a red-flag alert
(knowledge/data/red_flags.yaml) for the person's conditions and current medicines: rules whose trigger is a
single event without a second required group (``with_any``). Pure: condition and drug ids in, worries out.
"""

from __future__ import annotations

from dataclasses import dataclass

from dosewise.model.vocab import AlertLevel
from dosewise.safety.alerts import rules_for


@dataclass(frozen=True)
class Worry:
    kind: str  # symptom | side_effect
    item: str  # symptom or side-effect id (symptoms.yaml / side_effects.yaml)
    level: str  # the most urgent level of the rules it raises: urgent | soon | info
    severity: str | None = None  # side effects: the least severity that raises the alert


def worries(conditions: frozenset[str] | set[str], drug_ids: frozenset[str] | set[str] = frozenset()) -> list[Worry]:
    """Return the person's one-tap red flags, most urgent first, then in the order of the rules."""
    found: dict[tuple[str, str], Worry] = {}
    for rule in rules_for(conditions):
        trigger = rule.trigger
        needs = set(rule.requires_medicine)
        if trigger.kind != "event" or trigger.with_any is not None or (needs and not needs & set(drug_ids)):
            continue
        items: list[tuple[str, str, str | None]] = [("symptom", s, None) for s in trigger.symptoms]
        severity = trigger.min_severity.value
        items += [("side_effect", e, severity) for e in trigger.side_effects if e != "*"]
        for kind, item, sev in items:
            before = found.get((kind, item))
            if before is None or rule.level.rank < AlertLevel(before.level).rank:
                found[(kind, item)] = Worry(kind, item, rule.level.value, sev)
    return sorted(found.values(), key=lambda w: AlertLevel(w.level).rank)
