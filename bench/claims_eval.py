"""Score the claim checker against the evaluation set in tests/data/claims/ (used by bench and tests).

A reported claim matches an expected one when its sentence starts with (or contains) the expected text,
compared on normalised words. Detection: recall = expected claims found / expected; precision = reported
claims that are expected / reported. Verdict agreement: found claims with the expected verdict / found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dosewise.knowledge.claims import check_article, read_document
from dosewise.knowledge.claims.data import normalise

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "claims"


@dataclass
class Score:
    expected: int = 0
    reported: int = 0
    found: int = 0
    agreed: int = 0
    false_supported: list[str] = field(default_factory=list)  # 'supported' where the expected verdict is not
    misses: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    flags_expected: int = 0
    flags_agreed: int = 0
    omitted_agreed: int = 0
    selling_agreed: int = 0
    articles: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.reported if self.reported else 1.0

    @property
    def agreement(self) -> float:
        return self.agreed / self.found if self.found else 1.0


def load_expected(name: str = "expected.yaml") -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def article_text(file: str) -> str:
    path = DATA / "articles" / file
    return read_document(path.read_bytes(), path.name)


def _matches(sentence: str, expected: str) -> bool:
    return normalise(expected).strip() in normalise(sentence)


def score(expected: list[dict] | None = None) -> Score:
    """Run the checker on every article and compare with the expected claims, verdicts and flags."""
    s = Score()
    for article in expected or load_expected():
        result = check_article(article_text(article["file"]))
        s.articles += 1
        s.expected += len(article["claims"])
        s.reported += len(result.claims)
        used: set[int] = set()
        for exp in article["claims"]:
            hit = next((c for c in result.claims if c.number not in used and _matches(c.sentence, exp["text"])), None)
            if hit is None:
                s.misses.append(f"{article['file']}: {exp['text']}")
                continue
            used.add(hit.number)
            s.found += 1
            if hit.verdict == exp["verdict"]:
                s.agreed += 1
            else:
                s.disagreements.append(
                    f'{article["file"]}: "{exp["text"]}" expected {exp["verdict"]}, got {hit.verdict}'
                )
            if hit.verdict == "supported" and exp["verdict"] != "supported":
                s.false_supported.append(f"{article['file']}: {exp['text']}")
            wanted = set(exp.get("flags", []))
            got = set(hit.flags) - {"selling"}
            s.flags_expected += 1
            s.flags_agreed += wanted == got
        s.extra += [f"{article['file']}: {c.sentence}" for c in result.claims if c.number not in used]
        s.omitted_agreed += set(result.omitted) == set(article.get("omitted", []))
        s.selling_agreed += result.selling == article.get("selling", False)
    return s
