"""Flatten the knowledge base into answerable entries: one (condition, topic) statement each.

``ask`` searches these entries and returns them verbatim: it never writes a sentence of its own. Every
entry's text comes from the curated YAML (sometimes joined with its heading, e.g. "Riluzole: ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dosewise.knowledge import kb
from dosewise.knowledge.schema import ConditionGuide, EvidenceItem, Fact, Treatment
from dosewise.model.vocab import label

UNVERIFIED = " (unverified)"


@dataclass(frozen=True)
class Entry:
    """One answerable statement with its grade (evidence only) and citations."""

    condition: str | None
    topic: str
    text: str
    citations: tuple[str, ...]
    grade: str | None = None
    agent: str | None = None
    kind: str = "fact"
    keywords: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    verified: bool = True


def _fact(condition: str | None, topic: str, fact: Fact, *, agent: str | None = None, prefix: str = "") -> Entry:
    text = prefix + fact.text + ("" if fact.verified else UNVERIFIED)
    return Entry(
        condition, fact.topic or topic, text, fact.refs, agent=agent, keywords=fact.keywords, verified=fact.verified
    )


def evidence_text(item: EvidenceItem) -> str:
    """Return an evidence item as text: outcome, grade, summary and each key study's numbers."""
    studies = " ".join(f"{s.name}: {s.result}" for s in item.studies)
    return f"{item.outcome} (grade: {item.grade}). {item.summary}" + (f" Key studies - {studies}" if studies else "")


def _evidence_entry(condition: str | None, item: EvidenceItem) -> Entry:
    keywords = (item.outcome, *item.keywords)
    return Entry(
        condition, "evidence", evidence_text(item), item.refs, grade=item.grade, kind="evidence", keywords=keywords
    )


def _guide_entries(guide: ConditionGuide) -> list[Entry]:
    cid = guide.id
    out: list[Entry] = []
    for topic, facts in (
        ("what-it-is", guide.what_it_is),
        ("causes", guide.causes),
        ("symptoms", guide.symptoms),
        ("mechanism", guide.mechanism_notes),
        ("dosing", guide.practical),
        ("red-flags", guide.seek_advice),
    ):
        out.extend(_fact(cid, topic, f) for f in facts)
    for t in guide.treatments:
        if isinstance(t, Treatment):
            text = f"{t.name}: {t.text}" + ("" if t.verified else UNVERIFIED)
            out.append(Entry(cid, "treatments", text, t.refs, keywords=(t.name, *t.keywords), verified=t.verified))
        else:
            out.append(_fact(cid, "treatments", t))
    out.extend(_evidence_entry(cid, item) for item in guide.evidence)
    for myth in guide.myths:
        text = f'The claim "{myth.claim}" - what the evidence shows: {myth.answer}'
        out.append(Entry(cid, myth.topic, text, myth.refs, grade=myth.grade, kind="myth", keywords=myth.keywords))
    for rule in kb.red_flags_for(cid):
        if "all" not in rule.applies_to:
            out.append(_rule_entry(rule, cid))
    return out


def _rule_entry(rule: kb.RedFlagRule, condition: str | None) -> Entry:
    text = f"{label(rule.level, 'alert_level')} - {rule.title}: {rule.message}" + ("" if rule.verified else UNVERIFIED)
    return Entry(
        condition, "red-flags", text, rule.refs, kind="red-flag", keywords=(rule.title,), verified=rule.verified
    )


def _agent_entries() -> list[Entry]:
    data = kb.load_cannabinoids()
    out: list[Entry] = []
    for agent in data.agents:
        head = f"{agent.name}: "
        for topic, facts in (
            ("what-it-is", agent.what_it_is),
            ("dosing", agent.dosing),
            ("side-effects", agent.side_effects),
            ("side-effects", agent.avoid),
        ):
            out.extend(_fact(None, topic, f, agent=agent.id, prefix=head) for f in facts)
    out.extend(_fact(None, "dosing", f) for f in data.general_dosing)
    for inter in data.interactions:
        text = inter.text + ("" if inter.verified else UNVERIFIED)
        out.append(
            Entry(
                None,
                "interactions",
                text,
                inter.refs,
                kind="interaction",
                drugs=inter.drugs,
                keywords=inter.drugs,
                verified=inter.verified,
            )
        )
    return out


def _general_entries() -> list[Entry]:
    out = [_fact(None, "product-quality", f) for f in kb.load_product_quality()]
    general = kb.load_general()
    out += [_evidence_entry(None, item) for item in general.evidence]
    out += [_fact(None, "what-it-is", f) for f in general.facts]
    for m in kb.load_mechanisms().values():
        levels = ", ".join(m.level)
        text = f"{m.target} (evidence level: {levels}; not proof of benefit in people): {m.text}" + (
            "" if m.verified else UNVERIFIED
        )
        out.append(Entry(None, "mechanism", text, m.refs, kind="mechanism", keywords=m.keywords, verified=m.verified))
    out.extend(_rule_entry(r, None) for r in kb.load_red_flags() if "all" in r.applies_to)
    return out


@lru_cache(maxsize=1)
def all_entries() -> tuple[Entry, ...]:
    """Return every answerable entry in the knowledge base (built once per process)."""
    out: list[Entry] = []
    for guide in kb.load_conditions().values():
        out.extend(_guide_entries(guide))
    out.extend(_agent_entries())
    out.extend(_general_entries())
    return tuple(out)
