"""A product's whole label read at once: THC, CBD, their acid forms and the spectrum claim -> mg per basis.

Rules (units: mg per ml / unit / spray / g; % is w/w):
- Total = neutral + 0.877 x acid (see model/label.py for the source).
- A "THC-free", "broad spectrum" or "isolate" claim with THC left unknown counts as 0 mg THC *as claimed*
  (shown as not confirmed without a certificate of analysis); "full spectrum" with THC unknown stays unknown.
- A maximum ("< 0.3 %") is used as the amount: plans then assume the most THC the label allows.
- Percentages of one product cannot add up to more than 100 %.
Numbers stay exact (fractions) until they are shown; shown mg are rounded by ``format_mg``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from dosewise.errors import InvalidInput
from dosewise.model.label import (
    ACID_FACTOR,
    SPECTRUMS,
    LabelAmount,
    basis_of_label,
    parse_label_amount,
    parse_spectrum,
    per_basis,
)
from dosewise.model.products import BASES_OF_FORM, MAX_CONTENT_MG, Basis, Form, format_mg, parse_basis

THC_FREE_CLAIMS = ("thc-free", "broad", "isolate")


@dataclass(frozen=True)
class LabelEntry:
    """The label as entered and what it means per basis (``thc_mg``/``cbd_mg`` are totals, exact)."""

    form: Form
    basis: Basis
    thc: LabelAmount
    cbd: LabelAmount
    thca: LabelAmount
    cbda: LabelAmount
    spectrum: str | None
    drop_ml: float
    density_g_ml: float | None
    thc_mg: Fraction | None
    cbd_mg: Fraction | None

    @property
    def thc_from_claim(self) -> bool:
        """THC was not stated; the 0 comes from a THC-free / broad-spectrum / isolate claim."""
        return not self.thc.known and self.spectrum in THC_FREE_CLAIMS

    @property
    def thc_maximum(self) -> bool:
        return self.thc.maximum or self.thca.maximum


def read_label(
    *,
    form: Form,
    per: str | None,
    thc: str | None,
    cbd: str | None,
    thca: str | None = None,
    cbda: str | None = None,
    spectrum: str | None = None,
    drop_ml: float,
    density_g_ml: float | None = None,
) -> LabelEntry:
    """Read the label's texts for a product of ``form``; raise InvalidInput naming the field to fix."""
    amounts = {
        "thc": parse_label_amount(thc, field="thc"),
        "cbd": parse_label_amount(cbd, field="cbd"),
        "thca": parse_label_amount(thca, field="thca"),
        "cbda": parse_label_amount(cbda, field="cbda"),
    }
    if density_g_ml is not None and not 0.5 <= density_g_ml <= 1.5:
        raise InvalidInput("A density must be between 0.5 and 1.5 g/ml (oils are about 0.9).", field="density")
    claim = parse_spectrum(spectrum)
    basis = parse_basis(per) if per else basis_of_label(list(amounts.values()), BASES_OF_FORM[form])
    amounts = {k: _settle(a, basis) for k, a in amounts.items()}
    _check_percent_sum(amounts)
    mg = {k: per_basis(a, basis, drop_ml=drop_ml, density_g_ml=density_g_ml, field=k) for k, a in amounts.items()}
    for neutral, acid in (("thc", "thca"), ("cbd", "cbda")):
        if mg[acid] and mg[neutral] is None:
            raise InvalidInput(
                f"The label gives {acid.upper()} but not {neutral.upper()}: enter {neutral.upper()} as printed "
                "(0 if the label shows none), so the total can be worked out.",
                field=neutral,
            )
    thc_total = _total(mg["thc"], mg["thca"])
    if thc_total is None and claim in THC_FREE_CLAIMS:
        thc_total = Fraction(0)
    entry = LabelEntry(
        form=form,
        basis=basis,
        spectrum=claim,
        drop_ml=drop_ml,
        density_g_ml=density_g_ml,
        thc_mg=thc_total,
        cbd_mg=_total(mg["cbd"], mg["cbda"]),
        **amounts,
    )
    _check_possible(entry)
    return entry


def _settle(amount: LabelAmount, basis: Basis) -> LabelAmount:
    """A bare number is mg per the product's basis: say so in its text."""
    if amount.per != "basis":
        return amount
    return replace(amount, per=basis.value, text=f"{amount.text} per {basis.value}")


def _total(neutral: Fraction | None, acid: Fraction | None) -> Fraction | None:
    return None if neutral is None else neutral + ACID_FACTOR * (acid or 0)


def _check_percent_sum(amounts: dict[str, LabelAmount]) -> None:
    pct = [a.mg for a in amounts.values() if a.per == "%" and a.mg is not None]
    if sum(pct, Fraction(0)) > 100:
        raise InvalidInput("The percentages add up to more than 100 %: check the label.", field="thc")


def _check_possible(entry: LabelEntry) -> None:
    for name, value in (("THC", entry.thc_mg), ("CBD", entry.cbd_mg)):
        if value is not None and value > MAX_CONTENT_MG:
            raise InvalidInput(
                f"{name} would be {format_mg(value)} mg per {entry.basis.value}, which is impossible (pure "
                "cannabinoid is 1,000 mg per g). Check the label, and the volume or count you entered.",
                field=name.lower(),
            )
    if entry.thc_mg == 0 and entry.cbd_mg == 0:
        raise InvalidInput("THC and CBD are both 0: check the label.", field="cbd")


def describe_entry(entry: LabelEntry) -> list[str]:
    """Say in words what one measured amount of the product contains, one line per cannabinoid."""
    lines = [_line("CBD", entry.cbd, entry.cbda, entry.cbd_mg, entry)]
    if entry.thc_from_claim:
        claim = SPECTRUMS[entry.spectrum or ""]
        lines.append(
            f"THC: none stated; the label says '{claim}', so Dosewise counts 0 mg THC. That is the seller's claim, "
            "not a measurement: a certificate of analysis can confirm it."
        )
    else:
        lines.append(_line("THC", entry.thc, entry.thca, entry.thc_mg, entry))
    if entry.spectrum and not entry.thc_from_claim:
        lines.append(f"Label claim: {SPECTRUMS[entry.spectrum]}.")
    return lines


def _line(name: str, neutral: LabelAmount, acid: LabelAmount, mg: Fraction | None, entry: LabelEntry) -> str:
    if mg is None:
        if name == "THC":
            return (
                "THC: not known. A plan needs it: Dosewise will ask for the THC the label or its certificate "
                "of analysis states (for example '0.2 mg per ml', 'THC-free' or '< 0.3 %')."
            )
        return "CBD: not known."
    if mg == 0:
        return f"{name}: none."
    stated = neutral.text + (f" + 0.877 x {acid.text} {name}A" if acid.known and acid.mg else "")
    limit = " at most" if neutral.maximum or acid.maximum else ""
    words = _in_words(mg, entry)
    said = f"{name}: {words}" if words.startswith(stated) else f"{name}: {stated} ={limit} {words}"
    return f"{said}." + (" The label gives only a maximum; plans assume the maximum." if limit else "")


def _in_words(mg: Fraction, entry: LabelEntry) -> str:
    basis = entry.basis
    text = f"{format_mg(mg)} mg per {basis.value}"
    if entry.form is Form.OIL and basis is Basis.ML:
        text += f", about {format_mg(mg * Fraction(str(entry.drop_ml)))} mg per drop ({entry.drop_ml:g} ml)"
    elif basis is Basis.UNIT:
        text = f"{format_mg(mg)} mg per {'capsule' if entry.form is Form.CAPSULE else 'piece'}"
    return text
