"""'Something worrying?' offers exactly the person's own red flags: what, logged alone, raises an alert."""

from dosewise.model.journal import side_effects, symptoms
from dosewise.safety.worries import worries


def _items(*args):
    return [w.item for w in worries(*args)]


def test_als_red_flags_include_the_breathing_and_swallowing_signs_with_breathing_first_and_urgent():
    found = {w.item: w for w in worries({"als"})}
    for item in ("breathless", "breathless-lying-down", "weak-cough", "choking", "morning-headache"):
        assert item in found, item
    assert found["breathless-lying-down"].level == "urgent" and found["choking"].level == "soon"
    levels = [w.level for w in worries({"als"})]
    assert levels == sorted(levels, key=("urgent", "soon", "info").index)


def test_condition_specific_red_flags_belong_to_that_condition_only():
    ms = _items({"ms-spasticity"})
    assert "weak-cough" not in ms and "choking" not in ms and "pounding-headache" not in ms
    assert "pounding-headache" in _items({"sci-spasticity"})
    assert "chest-pain" in ms and "hallucinations" in ms  # rules for everyone


def test_a_medicine_specific_red_flag_needs_the_medicine():
    assert "fever" not in _items({"als"})
    assert "fever" in _items({"als"}, {"riluzole"})


def test_a_side_effect_red_flag_carries_the_least_severity_that_raises_it():
    found = {w.item: w for w in worries({"ms-spasticity"})}
    assert found["hallucinations"].severity == "mild" and found["palpitations"].severity == "moderate"
    assert found["vomiting"].severity == "severe"


def test_a_red_flag_that_needs_a_second_sign_is_not_offered_alone():
    assert "spasms-worse" not in _items({"ms-spasticity"})  # spasms need fever or new weakness too


def test_every_red_flag_offered_can_be_logged():
    vocabulary = {"symptom": symptoms(), "side_effect": side_effects()}
    for conditions in ({"als"}, {"ms-spasticity"}, {"sci-spasticity"}, {"dystonia"}):
        for w in worries(conditions, {"riluzole", "baclofen", "tofersen"}):
            assert w.item in vocabulary[w.kind], w
