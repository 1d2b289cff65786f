"""The safety data files are internally consistent: known ids, allowed values, resolving references."""

from dosewise.knowledge.references import load_yaml, missing_references
from dosewise.safety.drugs import all_drugs
from dosewise.safety.protocols import get_protocol, protocol_data, protocol_ids, side_effect_rules

SEVERITIES = {"serious", "monitor", "theoretical", "low"}
EVIDENCE = {"documented", "theoretical"}
PROPERTIES = {
    "cns_depressant",
    "respiratory_depressant",
    "hepatotoxic",
    "anticholinergic",
    "tachycardia",
    "lowers_bp",
    "narrow_therapeutic_index",
    "qt_prolonging",
    "sympathomimetic",
    "motor_worsening",
}


def test_drug_entries_use_known_properties_and_unique_names():
    names: dict[str, str] = {}
    for d in all_drugs().values():
        assert set(d.properties) <= PROPERTIES, d.id
        assert d.rxnorm is None or d.rxnorm.isdigit(), d.id  # never a guessed code
        for n in (d.name, *d.brands):
            key = n.casefold()
            assert names.get(key, d.id) == d.id, f"{n} names two drugs"
            names[key] = d.id


def test_pairs_and_warnings_name_curated_drugs_with_allowed_values():
    data = load_yaml("interactions.yaml")
    drugs = all_drugs()
    for entry in data["pairs"] + data["drug_warnings"]:
        assert entry["drug"] in drugs, entry["drug"]
        assert entry["severity"] in SEVERITIES and entry["evidence"] in EVIDENCE
        assert entry["direction"] and entry["monitor"] and entry["ask_prescriber"] and entry["refs"]
        assert entry.get("cannabinoid", "any") in {"cbd", "thc", "smoke", "any"}
    pairs = [(p["drug"], p["cannabinoid"]) for p in data["pairs"]]
    assert len(pairs) == len(set(pairs)), "a drug-cannabinoid pair is listed twice"
    for m in data["mechanisms"]:
        assert m["severity"] in SEVERITIES and m["evidence"] == "theoretical" and m["refs"]


def test_protocols_have_references_and_thc_ceilings_at_most_30_mg():
    for pid in protocol_ids():
        p = get_protocol(pid)
        assert p.refs and missing_references(p.refs) == []
        assert 0 < p.ceiling_thc_mg_day <= 30
        assert p.basis
    assert protocol_data()["default_thc_ceiling_mg_day"] == 30
    assert missing_references(protocol_data()["review_refs"]) == []


def test_side_effect_rules_are_cited():
    for rule in side_effect_rules():
        assert rule["action"] in {"hold", "step_back", "pause", "stop", "resume", "stay", "titrate"}
        assert missing_references(rule["refs"]) == []
