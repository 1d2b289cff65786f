"""Cannabinoid content as a label prints it, read exactly and turned into mg per the product's basis.

Accepted forms (one cannabinoid per text): "1000 mg in 30 ml" (a bottle), "33.3 mg/ml", "1000/30 mg per ml",
"10 mg per capsule", "300 mg in 30 gummies", "2.7 mg per spray" ("puff" = spray), "0.5 mg per drop",
"100 mg/g", "18 %" (w/w: 1 % = 10 mg per g), "< 0.3 %" or "up to 2 mg/ml" (a maximum), "0" / "none",
"unknown". Numbers are kept as exact fractions, so 1000 mg in 30 ml is 100/3 mg per ml (never 33.3 x 30 =
999). A per-ml content from a % or mg/g needs the density in g/ml (stated on the certificate of analysis).
Total THC = THC + 0.877 x THCA (ratio of molar masses 314.5/358.5; hc-cannabis-regs-s97, comar-10-62-23-04);
the same factor for CBDA -> CBD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from dosewise.errors import InvalidInput
from dosewise.model.products import Basis

ACID_FACTOR = Fraction(877, 1000)  # neutral = 0.877 x acid (decarboxylation loses CO2)
MAX_PERCENT = Fraction(100)

# Label words for what the amount is per; "drop" converts through the drop volume.
_PER_WORDS: dict[str, str] = {
    "ml": "ml",
    "millilitre": "ml",
    "milliliter": "ml",
    "cc": "ml",
    "g": "g",
    "gram": "g",
    "gm": "g",
    "drop": "drop",
    "gtt": "drop",
    "spray": "spray",
    "puff": "spray",
    "pump": "spray",
    "actuation": "spray",
    "spritz": "spray",
    "capsule": "unit",
    "cap": "unit",
    "softgel": "unit",
    "gummy": "unit",
    "gummie": "unit",
    "gummies": "unit",
    "piece": "unit",
    "chew": "unit",
    "tablet": "unit",
    "pill": "unit",
    "square": "unit",
    "lozenge": "unit",
    "pastille": "unit",
    "unit": "unit",
    "serving": "serving",
    "bottle": "container",
    "pack": "container",
    "container": "container",
    "jar": "container",
    "tin": "container",
    "pot": "container",
    "box": "container",
}
_UNKNOWN = {"unknown", "not known", "?", "n/a", "na", "not stated", "not given", "don't know", "dont know"}
_ZERO = {"0", "none", "no", "nil", "zero", "0 mg", "0 %", "0%", "free", "thc-free", "thc free", "cbd-free"}
_NUM = r"\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?"
_MAX_PREFIX = re.compile(r"^(?:<=?|≤|up to|less than|under|max(?:imum)?\.?|at most|below)\s*", re.I)
_PERCENT = re.compile(rf"^(?P<num>{_NUM})\s*%(?:\s*(?:w/w|by weight))?$", re.I)
_AMOUNT = re.compile(
    rf"^(?P<num>{_NUM})\s*(?:mg|milligrams?)\s*(?:(?:/|per|in|in a|in each|in every|each|a|every)\s*"
    rf"(?P<qty>{_NUM})?\s*(?P<word>[a-z]+?)?)?\.?$",
    re.I,
)

SPECTRUMS = {
    "thc-free": "THC-free",
    "broad": "broad spectrum",
    "full": "full spectrum",
    "isolate": "isolate",
}
_SPECTRUM_WORDS = {
    "thc-free": "thc-free",
    "thc free": "thc-free",
    "zero thc": "thc-free",
    "0% thc": "thc-free",
    "no thc": "thc-free",
    "broad": "broad",
    "broad spectrum": "broad",
    "broad-spectrum": "broad",
    "full": "full",
    "full spectrum": "full",
    "full-spectrum": "full",
    "whole plant": "full",
    "isolate": "isolate",
    "cbd isolate": "isolate",
    "pure cbd": "isolate",
}


@dataclass(frozen=True)
class LabelAmount:
    """One cannabinoid as the label states it: ``mg`` in ``qty`` of ``per`` (ml, g, drop, spray, unit, %)."""

    text: str  # normalised, as shown back to the person
    mg: Fraction | None  # None = not known; for per == "%" this is the percent
    qty: Fraction = Fraction(1)
    per: str = "ml"
    maximum: bool = False  # "< 0.3 %", "up to 2 mg/ml": the label gives only an upper limit

    @property
    def known(self) -> bool:
        return self.mg is not None


def parse_spectrum(text: str | None) -> str | None:
    """Return 'thc-free', 'broad', 'full', 'isolate' or None for a blank; raise InvalidInput otherwise."""
    key = " ".join((text or "").strip().lower().split())
    if not key or key in ("none", "not stated", "unknown", "—", "-"):
        return None
    if key in _SPECTRUM_WORDS:
        return _SPECTRUM_WORDS[key]
    raise InvalidInput(
        f"Unknown label claim '{text}'. Use THC-free, broad spectrum, full spectrum or isolate (or leave it empty).",
        field="spectrum",
    )


def _number(raw: str, field: str) -> Fraction:
    """An exact non-negative number from '33.3', '33,3' or '1000/30'."""
    parts = [p.strip().replace(",", ".") for p in raw.split("/")]
    try:
        values = [Fraction(p) for p in parts]
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(f"'{raw}' is not a number.", field=field) from None
    if len(values) == 2:
        if values[1] == 0:
            raise InvalidInput(f"'{raw}' divides by zero.", field=field)
        return values[0] / values[1]
    return values[0]


def _per_word(word: str | None, text: str, field: str) -> str:
    if not word:
        raise InvalidInput(
            f"'{text}': mg per what? If it is the whole bottle, add its volume, for example '1000 mg in 30 ml'; "
            "otherwise say 'per ml', 'per capsule', 'per spray' or 'per drop'.",
            field=field,
        )
    w = word.lower()
    found = _PER_WORDS.get(w) or _PER_WORDS.get(w.rstrip("s")) or _PER_WORDS.get(w[:-2] if w.endswith("es") else w)
    if found is None:
        raise InvalidInput(
            f"'{text}': unknown unit '{word}'. Use ml, g, drop, spray (or puff), capsule, gummy or piece.", field=field
        )
    if found == "container":
        raise InvalidInput(
            f"'{text}' gives mg per {w} without its size. Add the volume or count, for example "
            "'1000 mg in 30 ml' or '300 mg in 30 capsules'.",
            field=field,
        )
    if found == "serving":
        raise InvalidInput(
            f"'{text}': a serving differs between labels. Give mg per ml, per drop, per capsule or per spray "
            "(the label usually says how much one serving is).",
            field=field,
        )
    return found


def parse_label_amount(text: str | None, *, field: str = "cbd") -> LabelAmount:
    """Read one cannabinoid's content as printed; raise InvalidInput (naming ``field``) if it cannot be read."""
    raw = " ".join((text or "").strip().split())
    low = raw.lower()
    if not raw or low in _UNKNOWN:
        return LabelAmount(text="unknown", mg=None)
    if low in _ZERO:
        return LabelAmount(text="none", mg=Fraction(0))
    if raw.startswith("-"):
        raise InvalidInput(f"'{raw}': content cannot be negative.", field=field)
    if re.fullmatch(_NUM, raw):  # a bare number is mg per the product's basis (the older way of entering)
        return LabelAmount(text=f"{_fmt(_number(raw, field))} mg", mg=_number(raw, field), per="basis")
    prefix = _MAX_PREFIX.match(raw)
    body = raw[prefix.end() :] if prefix else raw
    maximum = prefix is not None
    if m := _PERCENT.match(body):
        pct = _number(m.group("num"), field)
        if pct > MAX_PERCENT:
            raise InvalidInput(f"'{raw}': a percentage cannot be more than 100.", field=field)
        shown = f"{'< ' if maximum else ''}{_fmt(pct)} %"
        return LabelAmount(text=shown, mg=pct, per="%", maximum=maximum)
    m = _AMOUNT.match(body)
    if not m:
        raise InvalidInput(
            f"Could not read '{raw}'. Write it as on the label, for example '1000 mg in 30 ml', '10 mg per "
            "capsule', '2.7 mg per spray', '18 %' or 'unknown'.",
            field=field,
        )
    mg = _number(m.group("num"), field)
    per = _per_word(m.group("word"), raw, field)
    qty = _number(m.group("qty"), field) if m.group("qty") else Fraction(1)
    if qty <= 0:
        raise InvalidInput(f"'{raw}': the amount it is per must be more than 0.", field=field)
    unit = {"unit": "unit", "spray": "spray", "drop": "drop"}.get(per, per)
    plural = "s" if qty != 1 and per in ("unit", "spray", "drop") else ""
    shown = f"{'up to ' if maximum else ''}{_fmt(mg)} mg " + (
        f"in {_fmt(qty)} {unit}{plural}" if qty != 1 else f"per {unit}"
    )
    return LabelAmount(text=shown, mg=mg, qty=qty, per=per, maximum=maximum)


def _fmt(x: Fraction) -> str:
    return f"{float(x):.6g}"


def per_basis(
    amount: LabelAmount, basis: Basis, *, drop_ml: float, density_g_ml: float | None, field: str
) -> Fraction | None:
    """Return the mg per ``basis`` (ml, unit, spray, g) the label amount means; None when not known."""
    if amount.mg is None:
        return None
    if amount.mg == 0:
        return Fraction(0)
    mg = amount.mg / amount.qty
    per = basis.value if amount.per == "basis" else amount.per
    if per == "%":
        mg, per = amount.mg * 10, "g"  # 1 % w/w = 10 mg per g
    if per == basis.value:
        return mg
    if per == "drop" and basis is Basis.ML:
        return mg / Fraction(str(drop_ml))
    if per == "g" and basis is Basis.ML:
        if density_g_ml is None:
            raise InvalidInput(
                f"'{amount.text}' is by weight; to turn it into mg per ml Dosewise needs the product's density "
                "in g/ml (on the certificate of analysis), or enter mg per ml from the label.",
                field=field,
            )
        return mg * Fraction(str(density_g_ml))
    if per == "ml" and basis is Basis.G and density_g_ml is not None:
        return mg / Fraction(str(density_g_ml))
    raise InvalidInput(
        f"'{amount.text}' does not fit a product whose content is per {basis.value}. "
        + (
            "Spray volumes differ by product: give mg per spray (mg per ml x ml per spray; Sativex: 0.1 ml)."
            if basis is Basis.SPRAY
            else f"Give it per {basis.value}, as the label does."
        ),
        field=field,
    )


def basis_of_label(amounts: list[LabelAmount], allowed: tuple[Basis, ...]) -> Basis:
    """The basis a label's amounts point to, among those the form allows (the form's usual one otherwise)."""
    for a in amounts:
        if a.mg is None or a.mg == 0:
            continue
        per = "g" if a.per == "%" else "ml" if a.per == "drop" else a.per
        for b in allowed:
            if b.value == per:
                return b
    return allowed[0]
