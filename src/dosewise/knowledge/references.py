"""Load the curated references (knowledge/data/references/*.yaml) and validate them.

Every clinical fact anywhere in ``knowledge/data`` points at one of these ids; a test fails on a
dangling id. Files are split by area so that each area owns its own list; a duplicate id with
different content is an error.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from dosewise.knowledge.files import load_yaml, parse_yaml, read_yaml_file


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


__all__ = ["Reference", "load_references", "load_yaml", "missing_references", "parse_yaml"]


@lru_cache(maxsize=1)
def load_references() -> dict[str, Reference]:
    """Return every reference by id, merged from all files in knowledge/data/references/."""
    folder = resources.files("dosewise.knowledge").joinpath("data", "references")
    refs: dict[str, Reference] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        for raw in read_yaml_file(Path(str(entry))) or []:
            ref = Reference.model_validate(raw)
            if ref.id in refs and refs[ref.id] != ref:
                raise ValueError(f"reference id {ref.id} is defined twice with different content")
            refs[ref.id] = ref
    return refs


def missing_references(ids: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """Return the ids in ``ids`` that do not resolve to a reference."""
    refs = load_references()
    return sorted(i for i in set(ids) if i not in refs)
