"""analysis.yaml: every setting is sourced, clinical ones cite resolvable references, defaults load."""

from dosewise.analysis.settings import analysis_settings
from dosewise.knowledge.references import load_yaml, missing_references


def test_every_analysis_setting_has_a_kind_and_resolvable_references():
    raw = load_yaml("analysis.yaml")
    for key, entry in raw.items():
        assert entry["kind"] in {"method", "clinical"}, key
        assert entry["refs"], key
        assert missing_references(entry["refs"]) == [], key


def test_responder_rule_is_the_cited_20_and_30_percent_after_4_weeks():
    s = analysis_settings()
    assert s.responder_percent == (20.0, 30.0) and s.responder_weeks == 4
    assert load_yaml("analysis.yaml")["responder_percent"]["refs"] == ["sativex-smpc", "farrar2008"]
    assert s.verdict_probability == 0.8
