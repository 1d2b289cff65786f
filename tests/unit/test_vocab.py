"""One vocabulary: every alert level and severity is worded and ranked once (dosewise.model.vocab), not per edge."""

import ast
import re
from pathlib import Path

import pytest

from dosewise.model.vocab import (
    AlertLevel,
    EntryKind,
    InteractionSeverity,
    PlanAction,
    Severity,
    Verdict,
    label,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "dosewise"
HOME = SRC / "model" / "vocab.py"
WORD_SETS = {
    "alert level": {v.value for v in AlertLevel},
    "severity": {v.value for v in Severity},
    "interaction severity": {v.value for v in InteractionSeverity},
    "verdict": {v.value for v in Verdict},
}
# Template comparisons that pick a label by hand (level == "urgent" ... else ...) instead of the label filter.
TEMPLATE_PICK = re.compile(
    r"""(level|verdict|severity)\s*==\s*["'](urgent|soon|info|mild|moderate|severe|likely_\w+)"""
)


def _literal_strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Dict):
        items = node.keys
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = node.elts
    else:
        return []
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def second_definitions(root: Path) -> list[str]:
    """Return where a label or rank of a vocabulary word is written outside model/vocab.py."""
    found = []
    labels = [lv.label for lv in AlertLevel] + [v.label for v in Verdict]
    for path in sorted(root.rglob("*")):
        if path == HOME or path.suffix not in (".py", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: the label '{lab}'" for lab in labels if lab.casefold() in text.casefold()]
        if path.suffix == ".html":
            found += [f"{path.name}: picks a label by hand ({m.group(0)})" for m in TEMPLATE_PICK.finditer(text)]
            continue
        for node in ast.walk(ast.parse(text)):
            words = set(_literal_strings(node))
            for name, vocabulary in WORD_SETS.items():
                if len(words & vocabulary) >= 2:
                    found.append(f"{path.name}:{node.lineno} lists {name} words (a second label or rank)")
    return found


def test_each_safety_word_is_defined_once_in_src():
    assert second_definitions(SRC) == []


def test_the_scan_catches_a_second_definition(tmp_path):
    (tmp_path / "cli.py").write_text('LABELS = {"urgent": "URGENT - get help", "soon": "Soon"}\n')
    (tmp_path / "rank.py").write_text('rank = {"mild": 0, "moderate": 1, "severe": 2}\n')
    (tmp_path / "page.html").write_text('{% if a.level == "urgent" %}Urgent — seek care now{% endif %}')
    found = second_definitions(tmp_path)
    assert any("cli.py" in f and "alert level" in f for f in found)
    assert any("rank.py" in f and "severity" in f for f in found)
    assert any("page.html" in f and "by hand" in f for f in found)
    assert any("page.html" in f and "seek care now" in f for f in found)


def test_alert_levels_rank_most_urgent_first():
    assert sorted(["info", "urgent", "soon"], key=lambda v: AlertLevel(v).rank) == ["urgent", "soon", "info"]
    assert AlertLevel.URGENT.label == "Urgent — seek care now"
    assert label("urgent", "alert_level", "word") == "Urgent"


def test_one_severity_rank_from_mild_to_severe():
    assert [s.rank for s in Severity] == [1, 2, 3]
    assert Severity.rank_of(None) == Severity.rank_of("mild") == 1
    assert Severity.rank_of("severe") > Severity.rank_of("moderate")
    serious, low, unknown = (InteractionSeverity.rank_of(s) for s in ("serious", "low", "?"))
    assert serious < low < unknown


@pytest.mark.parametrize("enum", [AlertLevel, Severity, InteractionSeverity, EntryKind, Verdict, PlanAction])
def test_every_word_has_a_label_a_person_can_read(enum):
    for word in enum:
        text = word.label
        assert text and "_" not in text and text[0].isupper(), word


def test_label_leaves_an_unknown_word_visible():
    assert label("not-a-level", "alert_level") == "not-a-level"
    assert label(None, "verdict") == ""
