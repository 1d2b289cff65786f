"""`ask` answers only from curated entries, understands how people ask, and says when it cannot answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dosewise.knowledge.answers import medicine_answers
from dosewise.knowledge.ask import ask
from dosewise.knowledge.entries import all_entries

QUESTIONS = yaml.safe_load((Path(__file__).parents[2] / "data" / "questions.yaml").read_text(encoding="utf-8"))


def _top(question: str) -> tuple[str | None, str]:
    result = ask(question)
    assert result.confident, f"{question!r} should be answered confidently: {result.message}"
    return result.answers[0].condition, result.answers[0].topic


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("does weed help ALS cramps", ("als", "evidence")),
        ("is cbd oil good for dystonia", ("dystonia", "evidence")),
        ("can sativex help my ms stiffness", ("ms-spasticity", "evidence")),
        ("what happens if I take cbd with my blood thinner", (None, "interactions")),
        ("how much cbd should I start with", (None, "dosing")),
        ("is my cbd oil what the label says", (None, "product-quality")),
    ],
)
def test_the_way_people_actually_ask(question, expected):
    assert _top(question) == expected


def test_als_cramps_answer_is_the_negative_trial_with_its_grade():
    best = ask("does weed help ALS cramps").answers[0]
    assert best.grade == "evidence-of-no-effect"
    assert "dronabinol" in best.text and "weber2010-dronabinol-als" in best.citations


def test_blood_thinner_answer_names_warfarin_and_the_inr():
    best = ask("what happens if I take cbd with my blood thinner").answers[0]
    assert "warfarin" in best.text and "INR" in best.text and best.citations


@pytest.mark.parametrize(
    ("claim", "condition", "must_say"),
    [
        ("CBD can be used as a monotherapy for ALS", "als", "Not supported"),
        ("riluzole restores muscle strength", "als", "does not restore strength"),
        ("CBD oil has demonstrated efficacy for dystonia", "dystonia", "cannot show efficacy"),
    ],
)
def test_false_claims_from_articles_get_what_the_evidence_shows(claim, condition, must_say):
    best = ask(claim).answers[0]
    assert best.condition == condition
    assert must_say in best.text and "what the evidence shows" in best.text
    assert best.citations


@pytest.mark.parametrize(
    "question",
    [
        "does cbd help parkinsons",
        "is cbd good for epilepsy seizures",
        "can cannabis help anxiety",
        "does kratom help muscle cramps",
    ],
)
def test_uncovered_subjects_are_never_answered_with_another_conditions_evidence(question):
    result = ask(question)
    assert not result.confident
    assert "no guide" in result.message
    assert all(a.condition is None for a in result.answers)
    assert all(a.topic != "evidence" for a in result.answers)


@pytest.mark.parametrize(
    "question", ["how much does sativex cost", "is cannabis legal in my state", "tell me a joke", "does it help"]
)
def test_unanswerable_questions_say_so(question):
    result = ask(question)
    assert not result.confident
    assert result.message


def test_condition_names_survive_typos_in_questions():
    assert _top("distonia treatment") == ("dystonia", "treatments")
    assert _top("fibromialgia cbd") == ("fibromyalgia", "evidence")
    assert _top("what is lou gehrig's disease") == ("als", "what-it-is")


def test_answers_are_curated_text_never_composed():
    """Every answer is a curated entry, or a named medicine's cited finding from the interaction checker."""
    texts = {e.text for e in all_entries()}
    for q in QUESTIONS:
        result = ask(q["q"])
        u = result.understood
        checked = {a.text for a in medicine_answers(u.drugs, u.agents)} if u.drugs else set()
        for answer in result.answers:
            assert answer.text in texts or answer.text in checked
            assert answer.citations or "not known" in answer.text, f"uncited answer to {q['q']!r}"
            assert answer.short and len(answer.short) <= 240, f"no short answer for {q['q']!r}"


def test_accuracy_on_the_evaluation_questions_meets_the_target():
    assert len(QUESTIONS) >= 80
    correct = 0
    for q in QUESTIONS:
        result = ask(q["q"])
        if q.get("confident") is False:
            correct += not result.confident
            continue
        expected = [(q["condition"], q["topic"]), *(tuple(a) for a in q.get("also", []))]
        got = (result.answers[0].condition, result.answers[0].topic) if result.answers else None
        correct += result.confident and got in expected
    assert correct / len(QUESTIONS) >= 0.90


WORDS = [
    "cbd",
    "thc",
    "als",
    "ms",
    "dystonia",
    "parkinsons",
    "help",
    "dose",
    "with",
    "warfarin",
    "label",
    "does",
    "weed",
    "cramps",
    "how",
    "much",
    "what",
    "is",
    "sativex",
    "stroke",
    "epilepsy",
    "price",
    "?",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join) | st.text(max_size=60))
def test_any_question_gets_only_curated_cited_entries(question):
    texts = {e.text for e in all_entries()}
    result = ask(question)
    u = result.understood
    checked = {a.text for a in medicine_answers(u.drugs, u.agents)} if u.drugs else set()
    assert len(result.answers) <= 3
    assert all(a.text in texts or a.text in checked for a in result.answers)
    if result.confident:
        assert result.answers
    if result.understood.uncovered and not result.understood.conditions:
        assert not result.confident and all(a.condition is None for a in result.answers)
    named = set(result.understood.conditions)
    if named:
        assert all(a.condition in named | {None} for a in result.answers), "never another condition's entries"
