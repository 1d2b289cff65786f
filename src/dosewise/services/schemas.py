"""Output models shared by the CLI and the web app (their JSON is the public API shape)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from dosewise.services.journal_schemas import EntryOut, JournalDayOut, JournalOut, LoggedOut

__all__ = ["EntryOut", "JournalDayOut", "JournalOut", "LoggedOut"]  # kept here too: one place to import outputs


class _Out(BaseModel):
    """Base of these models: each builds its validator when first used, not on import (a CLI command uses
    one or two of them, and building all of them would cost it tens of milliseconds)."""

    model_config = ConfigDict(defer_build=True)


class PersonOut(_Out):
    id: int
    name: str
    conditions: list[str]
    flags: list[str]
    weight_kg: float | None
    birth_year: int | None
    primary_scale: str
    timezone: str
    is_demo: bool
    mcid_points: dict[str, float] = {}  # per-scale MCID overrides (scale points); empty = the scale's default


class MedicineOut(_Out):
    id: int
    name: str
    drug_id: str | None
    dose_text: str | None
    started: date | None
    stopped: date | None


class ProductOut(_Out):
    id: int
    name: str
    form: str
    route: str
    per: str
    thc_mg: float | None
    cbd_mg: float | None
    drop_ml: float
    potency_source: str  # label | measured (certificate of analysis)
    content: str
    label: dict[str, str] = {}  # thc / cbd / thca / cbda exactly as entered ("1000 mg in 30 ml", "unknown")
    spectrum: str | None = None  # thc-free | broad | full | isolate
    density_g_ml: float | None = None
    batch: str | None = None
    label_thc_mg: float | None = None  # mg per basis by the label (kept for comparison with a COA)
    label_cbd_mg: float | None = None
    thc_maximum: bool = False  # THC is the label's upper limit; plans assume it
    in_words: list[str] = []  # what one ml / drop / spray / capsule contains, in words


class ProductPreview(_Out):
    """A product read from its label, shown back before it is saved."""

    name: str
    form: str
    per: str
    label: dict[str, str]
    spectrum: str | None
    content: str
    in_words: list[str]
    thc_known: bool


class ImportOut(_Out):
    imported: int
    by_kind: dict[str, int]


class CoaResultOut(_Out):
    """One analyte of a certificate of analysis, in the COA's unit (value None when ND or below the LOQ)."""

    analyte: str
    name: str
    value: float | None
    qualifier: str | None  # ND | <LOQ
    loq: float | None


class CoaFindingOut(_Out):
    check: str  # results | arithmetic | label | thc-free | batch | date | panels | threshold | conversion | lab
    text: str
    refs: list[str]
    attention: bool  # worth raising with the seller or the clinician


class CoaOut(_Out):
    """A stored COA with what it shows and does not show about the product (not a pass/fail badge)."""

    id: int
    product: ProductOut
    lab: str
    accredited: bool | None
    batch: str | None
    tested_on: date | None
    unit: str
    density_g_ml: float | None
    panels: dict[str, str]
    source: str  # form | pdf
    results: list[CoaResultOut]
    shows: list[CoaFindingOut]
    does_not_show: list[CoaFindingOut]
    measured_thc_mg: float | None  # mg per the product's basis, total THC
    measured_cbd_mg: float | None


class CoaDraftOut(_Out):
    """What was read from a COA PDF, to check in the form before saving (nothing is saved yet)."""

    lab: str | None
    batch: str | None
    tested_on: date | None
    unit: str | None
    density_g_ml: float | None
    accredited: bool | None
    results: dict[str, str]  # analyte -> '3.41' | 'ND' | '<LOQ'
    loqs: dict[str, float]
    panels: dict[str, str]
    notes: list[str]
