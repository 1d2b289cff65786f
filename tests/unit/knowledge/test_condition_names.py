"""Condition names resolve through synonyms and typos; unknown names get an error that lists the choices."""

from __future__ import annotations

import pytest

from dosewise.errors import UnknownCondition
from dosewise.knowledge.kb import resolve_condition


@pytest.mark.parametrize(
    ("text", "cid"),
    [
        ("lou gehrig", "als"),
        ("Lou Gehrig's disease", "als"),
        ("MND", "als"),
        ("motor neurone disease", "als"),
        ("motor neuron disese", "als"),
        ("distonia", "dystonia"),
        ("torticollis", "dystonia"),
        ("MS", "ms-spasticity"),
        ("multiple sclerosis", "ms-spasticity"),
        ("spinal cord injury", "sci-spasticity"),
        ("paraplegia", "sci-spasticity"),
        ("charley horse", "muscle-cramps"),
        ("fibro", "fibromyalgia"),
        ("stroke", "stroke-spasticity"),
        ("ms-spasticity", "ms-spasticity"),
    ],
)
def test_names_synonyms_and_typos_resolve(text, cid):
    assert resolve_condition(text) == cid


@pytest.mark.parametrize("text", ["parkinson", "epilepsy", "xyz", "cancer"])
def test_uncovered_conditions_are_not_guessed(text):
    with pytest.raises(UnknownCondition, match="Choose one of: als, ms-spasticity"):
        resolve_condition(text)
