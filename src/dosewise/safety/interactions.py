"""Interaction checker: derives findings by mechanism and class; documented pairs override.

Inputs are plain values: medicine names, which cannabinoids ("cbd", "thc") and whether anything is smoked.
Data: knowledge/data/drugs.yaml, cannabinoid_profiles.yaml, interactions.yaml (all cited).
An unknown name is returned in ``unknown`` ("unknown - not checked"), never as "no interaction", with
"did you mean" suggestions. A known drug with no finding is returned in ``cleared``: "no known interaction
(checked)" only when its clearance routes are recorded, otherwise "interaction not known".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from dosewise.knowledge.files import YamlRecord, load_yaml
from dosewise.model.vocab import InteractionSeverity
from dosewise.safety.drugs import Drug, Resolved, _raw, did_you_mean, read_medicine

CANNABINOIDS = ("cbd", "thc")
AGENT_NAMES = {"cbd": "CBD", "thc": "THC", "smoke": "smoke"}


@dataclass(frozen=True)
class Finding:
    """One drug x cannabinoid finding. ``cannabinoid`` is cbd, thc, smoke or any (a drug's own warning)."""

    drug: str  # as the person wrote it
    drug_id: str
    matched_as: str
    cannabinoid: str
    severity: str  # serious | monitor | theoretical | low
    evidence: str  # documented | theoretical
    direction: str
    monitor: str
    ask_prescriber: str
    citations: tuple[str, ...]
    verified: bool = True
    rules: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Cleared:
    """A known drug for which no rule fired: "no known interaction (checked)" if its routes are recorded."""

    drug: str  # as the person wrote it
    matched_as: str
    checked: bool  # False = a known drug whose clearance routes are not recorded: "not known", never "safe"
    verified: bool = True


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    unknown: tuple[str, ...]
    cleared: tuple[Cleared, ...] = ()
    suggestions: dict[str, list[str]] = field(default_factory=dict)  # unknown name -> "did you mean"


@lru_cache(maxsize=1)
def profiles() -> dict[str, YamlRecord]:
    """Return the cannabinoid profiles (cbd, thc, smoke) from cannabinoid_profiles.yaml."""
    return load_yaml("cannabinoid_profiles.yaml")


def rank(severity: str) -> int:
    """Return 0 for the most serious severity, 3 for low."""
    return InteractionSeverity(severity).rank


def check(names: list[str], *, cannabinoids: set[str] | frozenset[str], smoked: bool = False) -> CheckResult:
    """Check medicine ``names`` against ``cannabinoids`` (subset of {cbd, thc}) and smoke if ``smoked``."""
    findings: list[Finding] = []
    unknown: list[str] = []
    cleared: list[Cleared] = []
    agents = [c for c in CANNABINOIDS if c in cannabinoids] + (["smoke"] if smoked else [])
    seen: set[str] = set()
    readings = [read_medicine(name) for name in names]
    unknown += list(dict.fromkeys(u for r in readings for u in r.unknown))
    for resolved in (part for r in readings for part in r.parts):
        if resolved.drug.id in seen:
            continue
        seen.add(resolved.drug.id)
        own = _drug_warnings(resolved) + [f for a in agents if (f := _for_agent(resolved, a)) is not None]
        findings += own
        if not own:
            drug = resolved.drug
            cleared.append(Cleared(resolved.query, resolved.matched_as, drug.routes_known, drug.verified))
    findings.sort(key=lambda f: (rank(f.severity), f.drug.casefold(), f.cannabinoid))
    suggestions = {n: did_you_mean(n) for n in unknown}
    return CheckResult(tuple(findings), tuple(unknown), tuple(cleared), {n: s for n, s in suggestions.items() if s})


def drug_ids_for(names: list[str]) -> set[str]:
    """Return the curated drug ids named in ``names`` (combination products give each part's id)."""
    return {part.drug.id for name in names for part in read_medicine(name).parts}


def _for_agent(resolved: Resolved, agent: str) -> Finding | None:
    pair = _pair(resolved.drug.id, agent)
    if pair is not None:  # documented (or curated) pair: its own evidence wins
        return _from_entry(resolved, agent, pair, rules=(f"pair:{resolved.drug.id}+{agent}",))
    derived = [_fill(m, resolved.drug, enzyme, agent) for m, enzyme in _mechanisms(resolved.drug, agent)]
    if not derived:
        return None
    derived.sort(key=lambda e: rank(e["severity"]))
    merged = {
        "severity": derived[0]["severity"],
        "evidence": "theoretical",
        "direction": "; ".join(dict.fromkeys(e["direction"] for e in derived)),
        "monitor": "; ".join(dict.fromkeys(e["monitor"] for e in derived)),
        "ask_prescriber": derived[0]["ask_prescriber"],
        "refs": list(dict.fromkeys(r for e in derived for r in e["refs"])) + list(resolved.drug.refs),
        "verified": resolved.drug.verified,  # derived from the drug's own (possibly unverified) data
    }
    return _from_entry(resolved, agent, merged, rules=tuple(e["id"] for e in derived))


def _from_entry(resolved: Resolved, agent: str, entry: YamlRecord, *, rules: tuple[str, ...]) -> Finding:
    refs = tuple(dict.fromkeys(entry.get("refs", [])))
    verified = entry.get("verified", True)  # pairs and warnings carry their own; derived ones the drug's
    return Finding(
        drug=resolved.query,
        drug_id=resolved.drug.id,
        matched_as=resolved.matched_as,
        cannabinoid=agent,
        severity=entry["severity"],
        evidence=entry["evidence"],
        direction=entry["direction"],
        monitor=entry["monitor"],
        ask_prescriber=entry["ask_prescriber"],
        citations=refs,
        verified=bool(verified),
        rules=rules,
    )


def _drug_warnings(resolved: Resolved) -> list[Finding]:
    return [
        _from_entry(resolved, "any", w, rules=(f"warning:{resolved.drug.id}",))
        for w in _raw().get("drug_warnings", [])
        if w["drug"] == resolved.drug.id
    ]


def _pair(drug_id: str, agent: str) -> YamlRecord | None:
    for p in _raw().get("pairs", []):
        if p["drug"] == drug_id and p["cannabinoid"] == agent:
            return p
    return None


def _mechanisms(drug: Drug, agent: str) -> list[tuple[YamlRecord, str | None]]:
    """Return (mechanism rule, enzyme) for each rule that applies to ``drug`` with ``agent``."""
    out: list[tuple[YamlRecord, str | None]] = []
    profile = profiles()[agent]
    for m in _raw().get("mechanisms", []):
        agents = m["cannabinoid"] if isinstance(m["cannabinoid"], list) else [m["cannabinoid"]]
        if agent not in agents:
            continue
        hit = _rule_hits(m["when"], drug, agent, profile)
        if hit:
            out.append((m, ", ".join(h for h in hit if h) or None))
    return out


def _rule_hits(when: YamlRecord, drug: Drug, agent: str, profile: YamlRecord) -> list[str | None]:
    """Return the enzymes (or [None] for a property or class rule) through which ``when`` applies."""
    if "clearance_inhibited_by" in when:
        return [e for e in drug.clearance if e in profile.get("inhibits", [])]
    if "clearance_induced_by" in when:
        return [e for e in drug.clearance if e in profile.get("induces", [])]
    if "inhibits_clearance_of" in when:  # the drug slows a route that clears the cannabinoid
        return [e for e in drug.inhibits if e in profile.get("clearance_affected_by", [])]
    if "induces_clearance_of" in when:
        return [e for e in drug.induces if e in profile.get("clearance_affected_by", [])]
    if "activation_inhibited_by" in when:
        return [drug.activated_by] if drug.activated_by in profile.get("inhibits", []) else []
    if "class_in" in when:
        return [None] if set(drug.classes) & set(when["class_in"]) else []
    return [None] if when["property"] in drug.properties and when["property"] in _agent_props(agent) else []


def _agent_props(agent: str) -> set[str]:
    """Pharmacodynamic properties a cannabinoid shares with drugs (a rule needs both sides)."""
    props = set(profiles()[agent].get("properties", []))
    if "anticholinergic_like" in props:
        props.add("anticholinergic")
    # Breathing depression is additive with sedation from either cannabinoid (Cesamet label).
    if "cns_depressant" in props:
        props.add("respiratory_depressant")
    return props


# Why a rise in a drug's level matters more (appended to a "levels may rise" finding).
LEVEL_SENSITIVE = {
    "narrow_therapeutic_index": "it has a narrow safe range",
    "qt_prolonging": "at high levels it can disturb the heart rhythm (QT prolongation)",
}


def _fill(m: YamlRecord, drug: Drug, enzyme: str | None, agent: str = "") -> YamlRecord:
    values = {
        "drug": drug.name if not drug.is_class else f"this {drug.name}",
        "enzyme": enzyme or "",
        "agent": AGENT_NAMES.get(agent, agent),
    }
    severity = m["severity"]
    direction = m["direction"].format(**values)
    why = [text for prop, text in LEVEL_SENSITIVE.items() if prop in drug.properties]
    if why and m.get("severity_if_narrow_index"):
        severity = m["severity_if_narrow_index"]
        direction += "; this matters because " + " and ".join(why)
    return {
        "id": m["id"],
        "severity": severity,
        "direction": direction,
        "monitor": m["monitor"].format(**values),
        "ask_prescriber": m["ask_prescriber"].format(**values),
        "refs": m["refs"],
    }


def all_reference_ids() -> set[str]:
    """Return every reference id used by the interaction data (for the dangling-reference test)."""
    from dosewise.safety.drugs import all_drugs

    ids = {r for p in profiles().values() for r in p.get("refs", [])}
    for section in ("mechanisms", "pairs", "drug_warnings"):
        ids |= {r for e in _raw().get(section, []) for r in e.get("refs", [])}
    ids |= {r for d in all_drugs().values() for r in d.refs}
    return ids


def dangling_references() -> list[str]:
    """Return reference ids used by interaction data that do not resolve."""
    from dosewise.knowledge.references import missing_references  # the references: only for this check

    return missing_references(all_reference_ids())
