"""`dosewise guide` and `dosewise ask` as a person uses them in the terminal, and their JSON twins."""

from __future__ import annotations

import json

import pytest

from dosewise.model.people import CONDITIONS

SECTION_ORDER = [
    "What it is",
    "Causes",
    "Symptoms",
    "Usual treatments",
    "What the evidence says about cannabinoids",
    "How they might work",
    "Practical considerations",
    "When to seek medical advice",
    "References",
]


def test_guide_lists_every_condition_with_its_grades(cli):
    r = cli("guide")
    assert r.code == 0
    for cid in CONDITIONS:
        assert cid in r.out
    assert "substantial" in r.out and "evidence-of-no-effect" in r.out


def test_guide_list_json(cli):
    rows = json.loads(cli("guide", "--json").out)
    assert [row["id"] for row in rows] == list(CONDITIONS)
    als = rows[0]
    assert als["snomed"] == {"code": "86044005", "term": "Amyotrophic lateral sclerosis"}
    assert {
        "outcome": "Muscle cramps",
        "grade": "evidence-of-no-effect",
        "grade_label": "Evidence of no effect",
    } in als["grades"]


@pytest.mark.parametrize("name", ["lou gehrig", "MND", "als"])
def test_guide_renders_every_section_in_order(cli, name):
    r = cli("guide", name)
    assert r.code == 0, r.err
    positions = [r.out.index(title) for title in SECTION_ORDER]
    assert positions == sorted(positions)
    assert "ALS / motor neurone disease" in r.out
    assert "about 3 months" in r.out  # riluzole's real effect size
    assert "CANALS" in r.out and "72% vs 13%" in r.out
    assert "Breathing problems with ALS/MND" in r.out  # the safety engine's red-flag rule
    assert "doi.org/10.1016/S1474-4422(18)30406-X" in r.out


def test_guide_citations_point_into_the_reference_list(cli):
    data = json.loads(cli("guide", "distonia", "--json").out)
    assert data["id"] == "dystonia"
    listed = {ref["id"] for ref in data["references"]}
    cited = {i for e in data["evidence"] for i in e["refs"]} | {i for f in data["treatments"] for i in f["refs"]}
    assert cited <= listed
    assert data["evidence"][0]["grade"] == "insufficient"
    assert any("demonstrated efficacy" in m["claim"] for m in data["myths"])


def test_guide_without_a_verified_code_says_not_known(cli):
    data = json.loads(cli("guide", "sci", "--json").out)
    assert data["snomed"] is None and "not known" in data["snomed_note"]
    assert any(r["id"] == "sci-autonomic-dysreflexia" and r["level"] == "urgent" for r in data["red_flags"])


def test_unknown_condition_is_one_clear_line(cli):
    r = cli("guide", "parkinson")
    assert r.code == 1
    assert "not a condition Dosewise has a guide for" in r.err and "als" in r.err
    assert "Traceback" not in r.output


def test_ask_json_shape(cli):
    r = cli("ask", "can sativex help my ms stiffness", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["question"] == "can sativex help my ms stiffness"
    assert data["confident"] is True
    first = data["answers"][0]
    assert set(first) >= {"condition", "topic", "grade", "text", "citations"}
    assert (first["condition"], first["topic"], first["grade"]) == ("ms-spasticity", "evidence", "substantial")
    assert {ref["id"] for ref in data["references"]} >= set(first["citations"])
    assert data["understood"]["conditions"] == ["ms-spasticity"]
    assert data["understood"]["products"] == ["nabiximols"]


def test_ask_renders_grade_and_sources(cli):
    r = cli("ask", "does weed help ALS cramps")
    assert r.code == 0
    assert "grade: evidence-of-no-effect" in r.out and "Sources: Weber M 2010" in r.out


def test_ask_says_when_it_cannot_answer(cli):
    data = json.loads(cli("ask", "does cbd help parkinsons", "--json").out)
    assert data["confident"] is False
    assert "no guide" in data["message"]
    assert all(a["condition"] is None for a in data["answers"])


def test_an_empty_question_is_rejected_plainly(cli):
    r = cli("ask", "   ")
    assert r.code == 1
    assert "question is empty" in r.err and "Traceback" not in r.output


@pytest.mark.parametrize("cid", list(CONDITIONS))
def test_every_guide_renders_and_numbers_its_references(cli, cid):
    r = cli("guide", cid)
    assert r.code == 0, r.err
    assert all(title in r.out for title in SECTION_ORDER)
    data = json.loads(cli("guide", cid, "--json").out)
    assert f"[{len(data['references'])}]" in r.out
    assert data["disclaimer"].startswith("General information")


def test_practical_considerations_cover_titration_side_effects_and_product_quality(cli):
    for cid in CONDITIONS:
        practical = json.loads(cli("guide", cid, "--json").out)["practical"]
        topics = {f["topic"] for f in practical}
        assert {"dosing", "side-effects", "product-quality"} <= topics, cid
        assert any(f["general"] and "Start low" in f["text"] for f in practical)


def test_words_need_no_quotes(cli):
    assert "ALS / motor neurone disease" in cli("guide", "lou", "gehrig").out
    data = json.loads(cli("ask", "is", "cbd", "oil", "good", "for", "dystonia", "--json").out)
    assert data["question"] == "is cbd oil good for dystonia"
    assert data["answers"][0]["condition"] == "dystonia"
