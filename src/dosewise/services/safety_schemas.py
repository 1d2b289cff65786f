"""Out models of the safety services (interaction checks, alerts, plans) for the CLI and the web app.

``AlertOut`` is a dataclass in journal_schemas (every journal write may return new alerts); it is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, model_validator

from dosewise.knowledge.references import load_references
from dosewise.model.vocab import PlanStatus
from dosewise.safety.plan_body import BodyCeiling, BodyDay, BodyDose, BodyReview
from dosewise.services.journal_schemas import AlertOut as AlertOut  # re-exported: the safety outputs in one place

if TYPE_CHECKING:
    from dosewise.safety.interactions import CheckResult


class SourceOut(BaseModel):
    """A citation as a person reads it: "Authors Year, Source", with a link when one is known."""

    citation: str
    link: str | None = None
    verified: bool = True


def sources_for(ids: list[str]) -> list[SourceOut]:
    """Return readable sources for reference ids (unknown ids are skipped; a test keeps none dangling)."""
    refs = load_references()
    return [SourceOut(citation=r.short(), link=r.link(), verified=r.verified) for i in ids if (r := refs.get(i))]


class FindingOut(BaseModel):
    """One drug x cannabinoid interaction finding.

    cannabinoid: cbd | thc | smoke | any (a warning about the drug itself). severity: serious | monitor |
    theoretical | low. evidence: documented | theoretical. verified: false = rests on unverified notes.
    """

    drug: str
    drug_id: str
    matched_as: str
    cannabinoid: str
    severity: str
    evidence: str
    direction: str
    monitor: str
    ask_prescriber: str
    citations: list[str]
    verified: bool = True
    rules: list[str] = []
    sources: list[SourceOut] = []  # the citations, readable and linked (filled from ``citations``)

    @model_validator(mode="after")
    def _readable_sources(self) -> FindingOut:
        if not self.sources and self.citations:
            self.sources = sources_for(self.citations)
        return self


class ClearedOut(BaseModel):
    """A known medicine with no finding. checked: true = "no known interaction (checked)"; false = its
    routes are not recorded, so the interaction is not known (never 'safe')."""

    drug: str
    matched_as: str
    checked: bool
    verified: bool = True


class CheckOut(BaseModel):
    """Result of an interaction check. ``unknown`` = names not checked (never 'no interaction'), with
    ``suggestions`` ("did you mean") per unknown name; ``cleared`` = known medicines with no finding."""

    findings: list[FindingOut]
    unknown: list[str]
    cleared: list[ClearedOut] = []
    suggestions: dict[str, list[str]] = {}
    cannabinoids: list[str]
    smoked: bool
    note: str | None = None

    @classmethod
    def of(cls, result: CheckResult, *, cannabinoids: Iterable[str], smoked: bool, note: str | None = None) -> CheckOut:
        """Return the safety engine's ``result`` for the edges (findings with their readable sources)."""
        return cls(
            findings=[FindingOut.model_validate(f, from_attributes=True) for f in result.findings],
            unknown=list(result.unknown),
            cleared=[ClearedOut.model_validate(c, from_attributes=True) for c in result.cleared],
            suggestions=dict(result.suggestions),
            cannabinoids=sorted(cannabinoids),
            smoked=smoked,
            note=note,
        )


# The plan as shown is the plan as stored (safety/plan_body.py): these Out models add no field of their own, so
# the stored body and the JSON API cannot drift apart. They exist under their own names (and without docstrings)
# so that the OpenAPI document keeps its schema names and text.
class PlanDoseOut(BodyDose):
    pass


class PlanDayOut(BodyDay):
    doses: list[PlanDoseOut]  # type: ignore[assignment]  # the same model, under the API's name
    action: str  # type: ignore[assignment]  # the PlanAction's word: the API has always said "string"


class PlanEventOut(BaseModel):
    """Something the person did to the plan: hold, continue or resume (with the clinician note), and when."""

    kind: str  # hold | continue | resume
    at: datetime
    day: date  # the journal day it counts from (the person's zone)
    note: str | None
    entered_by: str
    entered_by_account: str | None = None  # an account's email, "command line", "this computer"; None: not kept
    entered_by_words: str = ""  # "entered by maria@example.org (caregiver)"; "" for an event from before accounts


class CeilingOut(BodyCeiling):
    pass


class ReviewOut(BodyReview):
    pass


class PlanOut(BaseModel):
    """A titration plan as shown by ``plan show --json`` and the web app."""

    id: int
    status: PlanStatus  # today's: active | held | paused | stopped | ended
    status_since: date | None = None  # the day today's status began
    status_note: str | None = None  # why (the note of that day)
    hold: str | None = None  # while held: chosen | step_back | resumed
    events: list[PlanEventOut] = []
    protocol: str
    protocol_title: str
    product: str
    product_content: str
    content_source: str = "the label"  # where the mg per unit come from (plans made before COAs: the label)
    unit: str
    start: date
    ceiling: CeilingOut
    days: list[PlanDayOut]
    reviews: list[ReviewOut]
    cautions: list[str]
    notes: list[str]
    basis: str
    refs: list[str]
    timezone: str = "UTC"  # the person's IANA zone: dose times are local times in it
    today: PlanDayOut | None = None
    next_change: PlanDayOut | None = None


class ProtocolOut(BaseModel):
    """A titration protocol a plan can follow (ceilings in mg/day after Dosewise's 30 mg THC cap)."""

    id: str
    title: str
    basis: str
    refs: list[str]
    ceiling_thc_mg_per_day: float
    ceiling_cbd_mg_per_day: float
    product_form: str | None = None
