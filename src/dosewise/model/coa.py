"""A certificate of analysis (COA): lab, batch, date, units, per-analyte results with LOQ / ND, panels.

Units of a COA's potency table: '%' (w/w), 'mg/g', 'mg/ml' or 'mg/unit' (per capsule, gummy or spray).
1 % = 10 mg/g; mg/ml = mg/g x density (g/ml). Total THC = THC + 0.877 x THCA (model/label.py gives the
source); a result reported as ND or below the LOQ counts as 0 in a total. Contaminant panels follow the
COA contents listed in COMAR 10.62.23.04 (knowledge/data/coa_review.yaml).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from dosewise.errors import InvalidInput
from dosewise.model.label import ACID_FACTOR
from dosewise.model.products import Basis

ANALYTES: dict[str, str] = {
    "thc": "Δ9-THC",
    "thca": "THCA",
    "cbd": "CBD",
    "cbda": "CBDA",
    "d8thc": "Δ8-THC",
    "cbg": "CBG",
    "cbga": "CBGA",
    "cbn": "CBN",
    "cbc": "CBC",
    "thcv": "THCV",
    "cbdv": "CBDV",
    "total_thc": "Total THC",
    "total_cbd": "Total CBD",
}
TOTALS = ("total_thc", "total_cbd")
PANELS: dict[str, str] = {
    "residual_solvents": "residual solvents",
    "microbials": "microbes (bacteria, yeast and mould)",
    "mycotoxins": "mycotoxins (aflatoxins, ochratoxin A)",
    "pesticides": "pesticides",
    "heavy_metals": "heavy metals (lead, cadmium, arsenic, mercury)",
}
PANEL_RESULTS = ("pass", "fail", "tested")
UNITS = ("%", "mg/g", "mg/ml", "mg/unit")
ND, BELOW_LOQ = "ND", "<LOQ"
MAX_COA_PDF_BYTES = 20 * 1024 * 1024  # a COA is a few pages; larger files are refused before reading


@dataclass(frozen=True)
class AnalyteResult:
    """One row of the potency table, in the COA's unit; ``value`` None when ND or below the LOQ."""

    analyte: str
    value: float | None
    qualifier: str | None = None  # ND | <LOQ | None (a number)
    loq: float | None = None

    @property
    def as_number(self) -> float:
        """The value for arithmetic: ND and < LOQ count as 0."""
        return self.value or 0.0

    @property
    def above_loq(self) -> bool:
        return self.value is not None and self.value > 0 and (self.loq is None or self.value >= self.loq)

    def shown(self, unit: str) -> str:
        if self.qualifier == ND:
            return "not detected"
        if self.qualifier == BELOW_LOQ:
            return "below the limit of quantitation" + (f" ({self.loq:g} {unit})" if self.loq else "")
        return f"{self.value:g} {unit}"


@dataclass(frozen=True)
class Coa:
    """A certificate of analysis as entered or read from a PDF."""

    lab: str
    batch: str | None
    tested_on: date | None
    unit: str
    results: tuple[AnalyteResult, ...]
    panels: dict[str, str] = field(default_factory=dict)  # panel -> pass | fail | tested; absent = not on the COA
    density_g_ml: float | None = None
    accredited: bool | None = None  # ISO/IEC 17025 stated on the COA
    source: str = "form"  # form | pdf

    def result(self, analyte: str) -> AnalyteResult | None:
        return next((r for r in self.results if r.analyte == analyte), None)

    def computed_total(self, neutral: str) -> float | None:
        """THC + 0.877 x THCA (or CBD + 0.877 x CBDA) from the rows; None if the neutral row is missing."""
        n, a = self.result(neutral), self.result(neutral + "a")
        if n is None:
            return None
        return n.as_number + float(ACID_FACTOR) * (a.as_number if a else 0.0)

    def total(self, neutral: str) -> float | None:
        """The total to dose by: the larger of the reported and the computed total (the cautious one)."""
        reported = self.result(f"total_{neutral}")
        values = [v for v in (self.computed_total(neutral), reported.as_number if reported else None) if v is not None]
        return max(values) if values else None


_QUALIFIERS = {
    "nd": ND,
    "n.d.": ND,
    "n/d": ND,
    "not detected": ND,
    "none detected": ND,
    "<loq": BELOW_LOQ,
    "< loq": BELOW_LOQ,
    "bloq": BELOW_LOQ,
    "<lod": ND,
    "< lod": ND,
}
_BELOW = re.compile(r"^<\s*(\d+(?:[.,]\d+)?)$")


def parse_result(text: str, *, analyte: str, loq: float | None = None) -> AnalyteResult | None:
    """Read one result cell ('3.41', 'ND', '<LOQ', '< 0.05'); None for a blank; InvalidInput otherwise."""
    raw = " ".join((text or "").strip().split())
    if not raw:
        return None
    low = raw.lower()
    if low in _QUALIFIERS:
        return AnalyteResult(analyte, None, _QUALIFIERS[low], loq)
    if m := _BELOW.match(raw):
        return AnalyteResult(analyte, None, BELOW_LOQ, float(m.group(1).replace(",", ".")))
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise InvalidInput(
            f"{ANALYTES[analyte]}: '{raw}' is not a result. Write a number, 'ND' or '<LOQ'.", field=analyte
        ) from None
    if not math.isfinite(value) or value < 0:
        raise InvalidInput(f"{ANALYTES[analyte]}: a result cannot be negative.", field=analyte)
    return AnalyteResult(analyte, value, None, loq)


def validate_coa(coa: Coa, *, today: date) -> Coa:
    """Check a COA's fields; raise InvalidInput naming the field to fix. Nothing is saved on failure."""
    if not coa.lab.strip():
        raise InvalidInput("Which laboratory did the analysis? Its name is at the top of the certificate.", field="lab")
    if len(coa.lab) > 120 or len(coa.batch or "") > 60:
        raise InvalidInput("The lab name (120) or batch (60 characters) is too long.", field="lab")
    if coa.unit not in UNITS:
        raise InvalidInput(f"Unknown unit '{coa.unit}'. Use one of: {', '.join(UNITS)}.", field="unit")
    if coa.tested_on is not None and coa.tested_on > today:
        raise InvalidInput("The analysis date is in the future: check the certificate.", field="tested_on")
    if coa.density_g_ml is not None and not 0.5 <= coa.density_g_ml <= 1.5:
        raise InvalidInput("A density must be between 0.5 and 1.5 g/ml.", field="density")
    if not any(r.analyte in ("thc", "cbd", "total_thc", "total_cbd") for r in coa.results):
        raise InvalidInput("A certificate needs at least a THC or CBD result (a number, ND or <LOQ).", field="cbd")
    top = {"%": 100.0, "mg/g": 1000.0, "mg/ml": 1000.0, "mg/unit": 1000.0}[coa.unit]
    for r in coa.results:
        for what, v in (("result", r.value), ("LOQ", r.loq)):
            if v is not None and (not math.isfinite(v) or v < 0 or v > top):
                raise InvalidInput(
                    f"{ANALYTES[r.analyte]}: a {what} of {v:g} {coa.unit} is impossible (0 to {top:g}).",
                    field=r.analyte,
                )
    parts = sum(r.as_number for r in coa.results if r.analyte not in TOTALS)
    if coa.unit in ("%", "mg/g") and parts > top:
        raise InvalidInput(
            f"The cannabinoids add up to {parts:g} {coa.unit}, more than the whole sample ({top:g} {coa.unit}): "
            "check the numbers and the unit.",
            field="unit",
        )
    for status in coa.panels.values():
        if status not in PANEL_RESULTS:
            raise InvalidInput(f"A panel result must be pass, fail or tested, not '{status}'.", field="panels")
    return coa


def measured_per_basis(coa: Coa, neutral: str, basis: Basis) -> tuple[float | None, str | None]:
    """mg of total THC or CBD per ml / unit / spray / g, or (None, why it cannot be worked out)."""
    total = coa.total(neutral)
    if total is None:
        return None, f"the certificate gives no {neutral.upper()} result"
    mg_per_g = total * 10 if coa.unit == "%" else total if coa.unit == "mg/g" else None
    if basis is Basis.G and mg_per_g is not None:
        return mg_per_g, None
    if basis is Basis.ML:
        if coa.unit == "mg/ml":
            return total, None
        if mg_per_g is not None:
            if coa.density_g_ml is None:
                return None, "it reports by weight and states no density, so mg per ml cannot be worked out"
            return mg_per_g * coa.density_g_ml, None
    if basis in (Basis.UNIT, Basis.SPRAY) and coa.unit == "mg/unit":
        return total, None
    return None, f"it reports in {coa.unit}, which does not convert to mg per {basis.value} without more information"
