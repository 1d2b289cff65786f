"""What a certificate of analysis shows and does not show about the person's product: no pass/fail badge.

Checks (limits and sources in knowledge/data/coa_review.yaml): the COA's own arithmetic (totals from the
acid forms, parts adding up), the measured content against the label (Canada's s.97 tolerance), THC above
the LOQ in a product sold as THC-free, the batch against the bottle's, the date, the contaminant panels
present, and results close to a legal limit. Units: the COA's own (%, mg/g, mg/ml, mg/unit); label and
measured content in mg per the product's basis (ml, unit, spray, g).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from dosewise.knowledge.files import YamlRecord, load_yaml
from dosewise.model.coa import ANALYTES, PANELS, Coa, measured_per_basis
from dosewise.model.products import Basis, Form, format_mg

THC_FREE_CLAIMS = ("thc-free", "broad", "isolate")
SETTING = " (a Dosewise setting, not a regulation)"


@dataclass(frozen=True)
class LabelFacts:
    """What the person's product says about itself (mg per ``basis``; None = not stated)."""

    name: str
    form: Form
    basis: Basis
    thc_mg: float | None
    cbd_mg: float | None
    spectrum: str | None
    batch: str | None


@dataclass(frozen=True)
class Finding:
    check: str  # arithmetic | label | thc-free | batch | date | panels | threshold | conversion
    text: str
    refs: tuple[str, ...] = ()
    attention: bool = False  # worth raising with the seller or the clinician


@dataclass
class CoaReview:
    shows: list[Finding] = field(default_factory=list)
    does_not_show: list[Finding] = field(default_factory=list)
    measured_thc_mg: float | None = None  # mg per basis, total THC
    measured_cbd_mg: float | None = None


@lru_cache(maxsize=1)
def settings() -> YamlRecord:
    """knowledge/data/coa_review.yaml (limits, settings and their references)."""
    return load_yaml("coa_review.yaml")


def review_coa(coa: Coa, label: LabelFacts, *, today: date) -> CoaReview:
    """Say what ``coa`` shows and does not show about the product ``label`` describes."""
    out = CoaReview()
    _results(coa, out)
    _arithmetic(coa, out)
    _measured(coa, label, out)
    _label_match(label, out)
    _thc_free(coa, label, out)
    _batch(coa, label, out)
    _dated(coa, today, out)
    _panels(coa, out)
    _thresholds(coa, out)
    return out


def _results(coa: Coa, out: CoaReview) -> None:
    lab = coa.lab + (" (states ISO/IEC 17025 accreditation)" if coa.accredited else "")
    rows = "; ".join(f"{ANALYTES[r.analyte]} {r.shown(coa.unit)}" for r in coa.results)
    out.shows.append(Finding("results", f"Analysed by {lab}: {rows}."))
    if not coa.accredited:
        out.does_not_show.append(
            Finding("lab", "It does not say the lab is ISO/IEC 17025 accredited.", ("comar-10-62-23-04",))
        )


def _arithmetic(coa: Coa, out: CoaReview) -> None:
    tol = settings()["arithmetic_tolerance_percent"]["value"]
    refs = tuple(settings()["total_factor"]["refs"])
    for neutral in ("thc", "cbd"):
        computed, reported = coa.computed_total(neutral), coa.result(f"total_{neutral}")
        if computed is None or reported is None or reported.value is None:
            continue
        name = neutral.upper()
        if abs(reported.value - computed) > max(reported.value, computed) * tol / 100 + 0.005:
            out.shows.append(
                Finding(
                    "arithmetic",
                    f"Its total {name} ({reported.value:g} {coa.unit}) does not match its own numbers: {name} + "
                    f"0.877 x {name}A = {computed:.3g} {coa.unit}. Dosewise uses the larger of the two.",
                    refs,
                    attention=True,
                )
            )
        else:
            out.shows.append(
                Finding("arithmetic", f"Its total {name} agrees with {name} + 0.877 x {name}A ({computed:.3g}).", refs)
            )


def _measured(coa: Coa, label: LabelFacts, out: CoaReview) -> None:
    for neutral in ("thc", "cbd"):
        mg, why = measured_per_basis(coa, neutral, label.basis)
        setattr(out, f"measured_{neutral}_mg", mg)
        if mg is None:
            out.does_not_show.append(
                Finding(
                    "conversion",
                    f"It does not give {neutral.upper()} in mg per {label.basis.value}: {why}. Doses keep using "
                    "the label for it.",
                )
            )


def _label_match(label: LabelFacts, out: CoaReview) -> None:
    raise_ = settings()["label_tolerance"]
    refs = tuple(raise_["refs"])
    for name, stated, measured in (
        ("CBD", label.cbd_mg, out.measured_cbd_mg),
        ("THC", label.thc_mg, out.measured_thc_mg),
    ):
        if measured is None or stated is None or (stated == 0 and name == "THC"):
            continue
        if stated == 0:
            continue
        low, high = _band(label, stated)
        ratio = measured / stated * 100
        words = (
            f"{name}: the label says {format_mg(stated)} mg per {label.basis.value}, the lab measured "
            f"{format_mg(measured)} ({ratio:.0f} % of the label)."
        )
        if low <= ratio <= high:
            out.shows.append(
                Finding(
                    "label", f"{words} That is within the {low}-{high} % that {raise_['source_name']} allows.", refs
                )
            )
        else:
            out.shows.append(
                Finding(
                    "label",
                    f"{words} That is outside the {low}-{high} % that {raise_['source_name']} allows.",
                    refs,
                    attention=True,
                )
            )


def _band(label: LabelFacts, stated: float) -> tuple[int, int]:
    tol = settings()["label_tolerance"]
    if label.form is Form.EDIBLE and label.basis is Basis.UNIT:
        band = next(b for b in tol["bands"] if stated > b["above_mg"])
        return band["low"], band["high"]
    return tol["extract_low"], tol["extract_high"]


def _thc_free(coa: Coa, label: LabelFacts, out: CoaReview) -> None:
    claim = label.spectrum if label.spectrum in THC_FREE_CLAIMS else "no THC" if label.thc_mg == 0 else None
    if claim is None:
        return
    thc = [r for r in coa.results if r.analyte in ("thc", "thca", "total_thc") and r.above_loq]
    facts = settings()["thc_in_cbd_products"]
    if thc:
        found = ", ".join(f"{ANALYTES[r.analyte]} {r.value:g} {coa.unit}" for r in thc)
        out.shows.append(
            Finding(
                "thc-free",
                f"The product is sold as '{claim}', but the lab measured THC above its limit of "
                f"quantitation ({found}). {facts['text'].strip()}",
                tuple(facts["refs"]),
                attention=True,
            )
        )
    else:
        out.shows.append(Finding("thc-free", "No THC was measured above the lab's limit of quantitation."))


def _batch(coa: Coa, label: LabelFacts, out: CoaReview) -> None:
    if not coa.batch:
        out.does_not_show.append(
            Finding("batch", "It names no batch, so it cannot be matched to your bottle.", (), True)
        )
    elif not label.batch:
        out.does_not_show.append(
            Finding(
                "batch",
                f"It is for batch {coa.batch}; add the batch number printed on your bottle to see if they match.",
            )
        )
    elif _same_batch(coa.batch, label.batch):
        out.shows.append(Finding("batch", f"It is for batch {coa.batch}, the batch on your bottle."))
    else:
        out.shows.append(
            Finding(
                "batch",
                f"It is for batch {coa.batch}, but your bottle says {label.batch}: it may not describe your bottle.",
                (),
                True,
            )
        )


def _same_batch(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return "".join(ch for ch in s.casefold() if ch.isalnum())

    return key(a) == key(b)


def _dated(coa: Coa, today: date, out: CoaReview) -> None:
    max_age = settings()["coa_max_age_days"]["value"]
    if coa.tested_on is None:
        out.does_not_show.append(Finding("date", "It has no analysis date, so its age is unknown.", (), True))
        return
    age = (today - coa.tested_on).days
    if age > max_age:
        out.shows.append(
            Finding(
                "date",
                f"It was analysed on {coa.tested_on.isoformat()}, {age // 30} months ago: older than "
                f"{max_age // 30} months{SETTING}; cannabinoids can degrade over time, so ask for a newer one.",
                (),
                True,
            )
        )
    else:
        out.shows.append(Finding("date", f"It was analysed on {coa.tested_on.isoformat()}."))


def _panels(coa: Coa, out: CoaReview) -> None:
    expected = settings()["expected_panels"]
    refs = tuple(expected["refs"])
    for panel in expected["panels"]:
        status = coa.panels.get(panel)
        if status is None:
            out.does_not_show.append(Finding("panels", f"It shows no test for {PANELS[panel]}.", refs))
        elif status == "fail":
            out.shows.append(Finding("panels", f"The {PANELS[panel]} test FAILED.", refs, attention=True))
        else:
            verdict = "passed" if status == "pass" else "was tested (no verdict stated)"
            out.shows.append(Finding("panels", f"The {PANELS[panel]} test {verdict}.", refs))


def _thresholds(coa: Coa, out: CoaReview) -> None:
    near = settings()["near_threshold_percent"]["value"]
    for t in settings()["thresholds"]:
        r = coa.result(t["analyte"])
        value = None if r is None or r.value is None else _in_unit(r.value, coa.unit, t["unit"])
        if value is None:
            continue
        if abs(value - t["value"]) <= t["value"] * near / 100:
            side = "just above" if value > t["value"] else "just below" if value < t["value"] else "exactly at"
            out.shows.append(
                Finding(
                    "threshold",
                    f"{ANALYTES[t['analyte']]} {value:g} % is {side} {t['text']} (within {near} %{SETTING}). "
                    "Every measurement has some uncertainty, so the true value could lie on either side.",
                    tuple(t["refs"]),
                    attention=value >= t["value"],
                )
            )


def _in_unit(value: float, unit: str, wanted: str) -> float | None:
    if unit == wanted:
        return value
    if unit == "mg/g" and wanted == "%":
        return value / 10
    return None
