"""Read a COA's text (extracted from a text-based PDF) into a draft: lab, batch, date, unit, results, panels.

The potency table is found by its header (a line naming LOD / LOQ / Result columns with units such as
'%', 'mg/g', 'mg/ml', 'mg/unit') and its rows by cannabinoid names (Δ9-THC, THCA, CBD, ...). Values are
numbers, 'ND' or '<LOQ'. When a table gives both % and mg/g, they must agree (1 % = 10 mg/g) or the
units conflict and nothing is read. What could not be read is listed in ``notes``, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dosewise.errors import InvalidInput
from dosewise.model.coa import PANELS, AnalyteResult, parse_result

_ANALYTE_NAMES: tuple[tuple[str, str], ...] = (
    ("total_thc", r"total\s*(?:Δ9-?|d9-?)?\s*thc|thc\s*,?\s*total|total\s+(?:Δ9-?)?tetrahydrocannabinol"),
    ("total_cbd", r"total\s*cbd|cbd\s*,?\s*total|total\s+cannabidiol"),
    ("thca", r"(?:Δ9-?)?thc-?a\b|tetrahydrocannabinolic\s+acid"),
    ("d8thc", r"Δ8-?thc|Δ8-?tetrahydrocannabinol"),
    ("thcv", r"thcv\b|tetrahydrocannabivarin"),
    ("thc", r"Δ9-?thc|Δ9-?tetrahydrocannabinol|^thc\b|tetrahydrocannabinol"),
    ("cbda", r"cbd-?a\b|cannabidiolic\s+acid"),
    ("cbdv", r"cbdv\b|cannabidivarin"),
    ("cbga", r"cbg-?a\b|cannabigerolic\s+acid"),
    ("cbd", r"cbd\b|cannabidiol"),
    ("cbg", r"cbg\b|cannabigerol"),
    ("cbn", r"cbn\b|cannabinol"),
    ("cbc", r"cbc\b|cannabichromene"),
)
_NAME_RES = [(a, re.compile(p, re.I)) for a, p in _ANALYTE_NAMES]
_VALUE = re.compile(r"^(?:\d+(?:[.,]\d+)?|nd|n\.d\.|n/d|<loq|bloq|<lod|<\d+(?:[.,]\d+)?)$", re.I)
_COLUMN = re.compile(
    r"\b(?P<lim>LOD|LOQ|Limit|Action\s+Level)\b(?:\s*\((?P<limunit>[^)]*)\))?"
    r"|\(\s*(?P<unit>%|mg/g|mg/ml|mg/unit|mg/serving|mg/capsule|mg/gummy|mg/piece)\s*\)"
    r"|(?<![\w/])(?P<bare>%|mg/g|mg/ml|mg/unit|mg/serving)(?![\w/])"
    r"|\b(?P<status>Pass/Fail|Status)\b"
    r"|\b(?P<result>Result|Amount|Concentration|Value)s?\b(?!\s*\()",
    re.I,
)
_UNIT_WORDS = {"%": "%", "mg/g": "mg/g", "mg/ml": "mg/ml"}
_PER_UNIT = ("mg/unit", "mg/serving", "mg/capsule", "mg/gummy", "mg/piece")
_PANEL_WORDS: dict[str, tuple[str, ...]] = {
    "residual_solvents": ("residual solvent",),
    "microbials": ("microbial", "microbiolog", "e. coli", "salmonella", "yeast and mo", "tamc"),
    "mycotoxins": ("mycotoxin", "aflatoxin", "ochratoxin"),
    "pesticides": ("pesticide",),
    "heavy_metals": ("heavy metal", "metals"),
}
_MONTHS = {
    m: i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}


@dataclass
class CoaDraft:
    """What was read from a COA's text; the person checks it in the form before it is saved."""

    lab: str | None = None
    batch: str | None = None
    tested_on: date | None = None
    unit: str | None = None
    density_g_ml: float | None = None
    accredited: bool | None = None
    results: list[AnalyteResult] = field(default_factory=list)
    panels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _same_length(pattern: str, repl: str, line: str, flags: int = re.I) -> str:
    """Replace keeping the line's length, so columns stay where the PDF put them."""
    return re.sub(pattern, lambda m: m.expand(repl).ljust(len(m.group(0))), line, flags=flags)


def _normalise(line: str) -> str:
    line = _same_length(r"\b(?:delta|d)[\s-]?(8|9)\b[\s-]?", r"Δ\1-", line)
    line = _same_length(r"Δ\s*(8|9)\s*-?\s*", r"Δ\1-", line)
    line = _same_length(r"<\s+(LOQ|LOD|\d+(?:[.,]\d+)?)\b", r"<\1", line)
    return _same_length(r"\bnot detected\b", "ND", line)


def read_coa_text(text: str) -> CoaDraft:
    """Read a COA's text; raise InvalidInput when it has no cannabinoid table or its units conflict."""
    raw_lines = [_normalise(raw.rstrip()) for raw in text.splitlines() if raw.strip()]
    lines = [" ".join(ln.split()) for ln in raw_lines]
    draft = CoaDraft(
        lab=_lab(lines),
        batch=_after_label(lines, r"(?:batch|lot)\s*(?:#|no\.?|number|id)?"),
        density_g_ml=_density(lines),
        accredited=True if any("17025" in ln for ln in lines) else None,
    )
    draft.tested_on = _tested_on(lines, draft.notes)
    _read_table(raw_lines, draft)
    draft.panels = _panels(lines)
    if not any(r.analyte in ("thc", "cbd", "total_thc", "total_cbd") for r in draft.results):
        if draft.notes:
            raise InvalidInput(
                "Dosewise found cannabinoid rows in this PDF but could not tell which number is the result. "
                "Enter the numbers from the certificate in the form instead.",
                field="file",
            )
        raise InvalidInput(
            "This PDF does not look like a certificate of analysis: no THC or CBD results were found in it. "
            "Enter the numbers in the form instead.",
            field="file",
        )
    return draft


def _lab(lines: list[str]) -> str | None:
    found = _after_label(lines, r"(?:testing\s+)?(?:laboratory|lab)(?:\s+name)?|tested\s+by|analy[sz]ed\s+by")
    if found:
        return found
    for ln in lines[:8]:
        if re.search(r"(?i)\b(laborator|labs?\b|analytical|analytics|testing)", ln) and len(ln) <= 80:
            return ln.strip()
    return None


def _after_label(lines: list[str], label: str) -> str | None:
    pattern = re.compile(rf"(?i)\b(?:{label})\s*[:#]\s*(?P<v>[^\s].*?)(?:\s{{2,}}|\s+(?=[A-Z][a-z]+\s*[a-z]*\s*:)|$)")
    for ln in lines:
        if m := pattern.search(ln):
            return m.group("v").strip().rstrip(",;")[:120]
    return None


def _density(lines: list[str]) -> float | None:
    for ln in lines:
        if m := re.search(r"(?i)density\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*g\s*/\s*(?:ml|cm3|cc)", ln):
            return float(m.group(1).replace(",", "."))
    return None


_DATE_LABEL = re.compile(
    r"(?i)(?:date\s+(?:tested|of\s+analysis|analy[sz]ed|completed|reported|of\s+report)|tested\s+on|"
    r"analysis\s+date|report\s+date|date\s+reported|completed)\s*[:]?\s*(?P<d>.+)$"
)


def _tested_on(lines: list[str], notes: list[str]) -> date | None:
    for ln in lines:
        if m := _DATE_LABEL.search(ln):
            found = _parse_date(m.group("d"), notes)
            if found is not None:
                return found
    return None


def _parse_date(text: str, notes: list[str]) -> date | None:
    text = text.strip()
    if m := re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := re.match(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})", text):
        return _date(int(m.group(3)), _MONTHS.get(m.group(2).lower(), 0), int(m.group(1)))
    if m := re.match(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", text):
        return _date(int(m.group(3)), _MONTHS.get(m.group(1).lower(), 0), int(m.group(2)))
    if m := re.match(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _date(y, b, a)
        if b > 12 >= a:
            return _date(y, a, b)
        if a == b:
            return _date(y, a, b)
        notes.append(f"The date '{m.group(0)}' could be day/month or month/day: enter it yourself.")
    return None


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _columns(header: str) -> list[tuple[str, str | None, int]]:
    """The value columns of a table header, left to right: (kind, unit, start offset in the line)."""
    cols: list[tuple[str, str | None, int]] = []
    for m in _COLUMN.finditer(header):
        start = m.start()
        if m.group("lim"):
            lim = m.group("lim").upper()
            kind = "lod" if lim == "LOD" else "loq" if lim == "LOQ" else "limit"
            cols.append((kind, (m.group("limunit") or "").lower() or None, start))
        elif m.group("unit") or m.group("bare"):
            unit = (m.group("unit") or m.group("bare")).lower()
            if word := re.search(r"(?i)\b(?:Result|Amount|Concentration|Value)s?\s*$", header[:start]):
                start = word.start()
            cols.append(("value", "mg/unit" if unit in _PER_UNIT else _UNIT_WORDS.get(unit, unit), start))
        elif m.group("status"):
            cols.append(("status", None, start))
        else:
            cols.append(("value", None, start))
    return cols


def _analyte_of(name: str) -> str | None:
    if re.search(r"(?i)total\s+cannabinoids|sum\s+of", name):
        return None
    for analyte, pattern in _NAME_RES:
        if pattern.search(name.strip()):
            return analyte
    return None


def _split_row(line: str) -> tuple[str, list[tuple[str, int]]]:
    """The row's name and its value cells with the offset of each cell's middle."""
    tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    for i, (tok, _, _) in enumerate(tokens):
        if i > 0 and _VALUE.match(tok):
            name = " ".join(t for t, _, _ in tokens[:i])
            return name, [(t, (a + b) // 2) for t, a, b in tokens[i:] if _VALUE.match(t)]
    return line, []


def _read_table(lines: list[str], draft: CoaDraft) -> None:
    cols: list[tuple[str, str | None, int]] = []
    rows: dict[str, dict[str, str]] = {}
    doc_unit = _document_unit(lines)
    found: list[tuple[str, list[tuple[str, int]], list[tuple[str, str | None, int]]]] = []
    for ln in lines:
        name, cells = _split_row(ln)
        analyte = _analyte_of(re.sub(r"Δ(8|9)-\s*", r"Δ\1-", " ".join(name.split()))) if cells else None
        if analyte is None:
            header = _columns(ln)
            if any(k == "value" for k, _, _ in header) and not cells:
                cols = header
            continue
        if analyte not in (a for a, _, _ in found):
            found.append((analyte, cells, cols or [("value", None, 0)]))
    aligned = _header_aligned(found)
    for analyte, cells, columns in found:
        rows[analyte] = _cells_by_column(cells, columns, doc_unit, aligned=aligned)
        if not rows[analyte]:
            del rows[analyte]
            draft.notes.append(
                f"The {analyte.upper()} row has more numbers than the table has named columns; it was not read. "
                "Enter it yourself."
            )
    if not rows:
        return
    units = sorted({u for row in rows.values() for u in row if u not in _NOT_VALUES})
    draft.unit = _primary(units)
    if draft.unit is None:
        draft.notes.append("The table does not say its unit (%, mg/g, mg/ml or mg per unit): choose it yourself.")
    _check_agreement(rows, draft.density_g_ml)
    for analyte, row in rows.items():
        raw = row.get(draft.unit or "?") or next((v for k, v in row.items() if k not in _NOT_VALUES), "")
        loq = _convert(_float(row.get("loq")), row.get("loq_unit") or draft.unit, draft.unit)
        result = _result(raw, analyte, loq)
        if result is not None:
            draft.results.append(result)


_NOT_VALUES = ("loq", "lod", "loq_unit")


def _convert(value: float | None, unit: str | None, to: str | None) -> float | None:
    """An LOQ in the table's unit: 1 % = 10 mg/g; other pairs are not converted (None)."""
    if value is None or unit == to:
        return value
    factor = {("%", "mg/g"): 10.0, ("mg/g", "%"): 0.1}.get((unit or "", to or ""))
    return None if factor is None else round(value * factor, 10)


def _document_unit(lines: list[str]) -> str | None:
    for ln in lines:
        if m := re.search(
            r"(?i)(?:units?|results?\s+(?:are\s+)?(?:expressed\s+|reported\s+)?in)\s*:?\s*(%|mg/g|mg/ml)", ln
        ):
            return m.group(1).lower()
    return None


def _header_aligned(found: list[tuple[str, list[tuple[str, int]], list[tuple[str, str | None, int]]]]) -> bool:
    """Does the header sit over its columns? Checked on the rows that fill every column."""
    full = [(cells, cols) for _, cells, cols in found if len(cells) == len(_numeric(cols)) > 1]
    if not full:
        return True
    agree = sum(
        all(_column_at(mid, _numeric(cols)) == col for (_, mid), col in zip(cells, _numeric(cols), strict=True))
        for cells, cols in full
    )
    return agree * 2 > len(full)


def _numeric(cols: list[tuple[str, str | None, int]]) -> list[tuple[str, str | None, int]]:
    return [c for c in cols if c[0] != "status"]


def _cells_by_column(
    cells: list[tuple[str, int]], cols: list[tuple[str, str | None, int]], doc_unit: str | None, *, aligned: bool
) -> dict[str, str]:
    """Cells by column: in order when every column has one; else where each sits under an aligned header,
    or filling the last columns (blank cells are usually the limits, left of the results)."""
    numeric_cols = _numeric(cols)
    if len(cells) == len(cols) > len(numeric_cols):  # a status column holding 'ND' as a word
        pairs = list(zip(cols, (c for c, _ in cells), strict=True))
    elif len(cells) == len(numeric_cols):
        pairs = list(zip(numeric_cols, (c for c, _ in cells), strict=True))
    elif len(cells) > len(numeric_cols):  # columns the header does not name: only placement can tell
        pairs = [(_column_at(mid, numeric_cols), cell) for cell, mid in cells] if aligned else []
        if len({col for col, _ in pairs}) < len(pairs):  # two cells under one column: ambiguous, read nothing
            pairs = []
    elif aligned:
        pairs = [(_column_at(mid, numeric_cols), cell) for cell, mid in cells]
    else:
        pairs = list(zip(numeric_cols[len(numeric_cols) - len(cells) :], (c for c, _ in cells), strict=False))
    out: dict[str, str] = {}
    for (kind, unit, _), cell in pairs:
        if kind in ("loq", "lod"):
            out.setdefault(kind, cell)
            if unit and kind == "loq":
                out.setdefault("loq_unit", _UNIT_WORDS.get(unit, "mg/unit" if unit in _PER_UNIT else unit))
        elif kind == "value":
            out.setdefault(unit or doc_unit or "?", cell)
    return out


def _column_at(mid: int, cols: list[tuple[str, str | None, int]]) -> tuple[str, str | None, int]:
    """The last column starting at or before the cell's middle (the first column for cells left of all)."""
    found = cols[0]
    for col in cols:
        if col[2] <= mid:
            found = col
    return found


def _primary(units: list[str]) -> str | None:
    for unit in ("mg/ml", "mg/unit", "mg/g", "%"):
        if unit in units:
            return unit
    return None


def _float(text: str | None) -> float | None:
    try:
        return None if text is None else float(text.replace(",", "."))
    except ValueError:
        return None


def _result(raw: str, analyte: str, loq: float | None) -> AnalyteResult | None:
    try:
        return parse_result(raw, analyte=analyte, loq=loq)
    except InvalidInput:
        return None


def _check_agreement(rows: dict[str, dict[str, str]], density: float | None) -> None:
    """A table giving % and mg/g (or mg/ml with a density) must agree: 1 % = 10 mg/g."""
    for analyte, row in rows.items():
        pct, mg_g, mg_ml = _float(row.get("%")), _float(row.get("mg/g")), _float(row.get("mg/ml"))
        pairs = []
        if pct is not None and mg_g is not None:
            pairs.append((pct * 10, mg_g))
        if pct is not None and mg_ml is not None and density:
            pairs.append((pct * 10 * density, mg_ml))
        for expected, given in pairs:
            if abs(expected - given) > max(0.02 * max(expected, given), 0.06):
                raise InvalidInput(
                    f"The units on this certificate conflict: {analyte.upper()} is given as {row.get('%')} % and "
                    f"{given:g} mg, which do not match (1 % is 10 mg per g). Check the certificate with the lab.",
                    field="unit",
                )


def _panels(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ln in lines:
        low = ln.lower()
        for panel, words in _PANEL_WORDS.items():
            if panel in found or not any(w in low for w in words):
                continue
            if re.search(r"\b(not tested|n/t|not analy[sz]ed)\b", low):
                continue
            found[panel] = "fail" if re.search(r"\bfail", low) else "pass" if re.search(r"\bpass", low) else "tested"
    return {p: found[p] for p in PANELS if p in found}
