"""Load the curated references (knowledge/data/references/*.yaml) and validate them.

Every clinical fact anywhere in ``knowledge/data`` points at one of these ids; a test fails on a
dangling id. Files are split by area so that each area owns its own list; a duplicate id with
different content is an error.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, model_validator


class Reference(BaseModel):
    """One citable source: a paper, a label or an official page."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    authors: str
    year: int
    title: str
    source: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    verified: bool = True

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.pmid or self.doi or self.url or self.source):
            raise ValueError(f"reference {self.id} has no PMID, DOI, URL or source")
        return self

    def short(self) -> str:
        """Return 'Authors Year, Source' for a citation line."""
        first = self.authors.split(",")[0]
        return f"{first} {self.year}, {self.source}"

    def link(self) -> str | None:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url


# libyaml's loader when PyYAML was built with it (several times faster); the same safe subset of YAML
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader (no Python objects)."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def load_yaml(name: str) -> Any:
    """Return the parsed YAML file ``knowledge/data/<name>`` (packaged data)."""
    path = resources.files("dosewise.knowledge").joinpath("data", name)
    return parse_yaml(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_references() -> dict[str, Reference]:
    """Return every reference by id, merged from all files in knowledge/data/references/."""
    folder = resources.files("dosewise.knowledge").joinpath("data", "references")
    refs: dict[str, Reference] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        for raw in parse_yaml(entry.read_text(encoding="utf-8")) or []:
            ref = Reference.model_validate(raw)
            if ref.id in refs and refs[ref.id] != ref:
                raise ValueError(f"reference id {ref.id} is defined twice with different content")
            refs[ref.id] = ref
    return refs


def missing_references(ids: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """Return the ids in ``ids`` that do not resolve to a reference."""
    refs = load_references()
    return sorted(i for i in set(ids) if i not in refs)
