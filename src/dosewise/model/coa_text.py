"""Read a COA's text (extracted from a text-based PDF) into a draft: lab, batch, date, unit, results, panels.

The potency table is found by its header (a line naming LOD / LOQ / Result columns with units such as
'%', 'mg/g', 'mg/ml', mg per gummy / softgel / unit; units wrapped onto the next line are joined) and its rows
by their whole names (Δ9-THC, THCA, Cannabidiol (CBD), ...; a product line naming CBD is not a row). Values
are numbers, 'ND' or '<LOQ'; 'NT', 'N/A' and '-' hold a column's place. A unit printed after a value is its
unit; mg per serving is never read as mg per unit. Decimal commas are read when the certificate's own numbers
show them. When a table gives both % and mg/g, they must agree (1 % = 10 mg/g) or the units conflict and
nothing is read. What could not be read is listed in ``notes``, never guessed: a blank is safe, a wrong value
is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dosewise.errors import InvalidInput
from dosewise.model.coa import AnalyteResult, parse_result
from dosewise.model.coa_dates import looks_like_date, tested_on
from dosewise.model.coa_panels import panel_statuses

# Each pattern must match a row's whole name (after _name_core): 'CBD' and 'Cannabidiol' are CBD, but
# 'CBD Softgels 25 mg' (a product line), 'Δ9-THCV', 'THCVA', 'Δ10-THC' or 'Total Cannabinoids' are not.
_ANALYTE_NAMES: tuple[tuple[str, str], ...] = (
    ("total_thc", r"total\s+(?:Δ9-?)?(?:thc|tetrahydrocannabinol)|(?:Δ9-?)?thc\s*,?\s*total"),
    ("total_cbd", r"total\s+(?:cbd|cannabidiol)|cbd\s*,?\s*total"),
    ("thca", r"(?:Δ9-?)?(?:thc-?a(?:-a)?|tetrahydrocannabinolic\s+acid(?:\s*-?a)?)"),
    ("d8thc", r"Δ8-?(?:thc|tetrahydrocannabinol)"),
    ("thcv", r"(?:Δ9-?)?(?:thcv|tetrahydrocannabivarin)"),
    ("thc", r"(?:Δ9-?)?(?:thc|tetrahydrocannabinol)"),
    ("cbda", r"cbd-?a|cannabidiolic\s+acid"),
    ("cbdv", r"cbdv|cannabidivarin"),
    ("cbga", r"cbg-?a|cannabigerolic\s+acid"),
    ("cbd", r"cbd|cannabidiol"),
    ("cbg", r"cbg|cannabigerol"),
    ("cbn", r"cbn|cannabinol"),
    ("cbc", r"cbc|cannabichromene"),
)
_NAME_RES = [(a, re.compile(p, re.I)) for a, p in _ANALYTE_NAMES]
_NUM = r"\d+(?:[.,]\d+)*"
# a unit as printed: % (w/w, wt%), mg/g, mg/ml, or mg per something (per gummy, softgel, serving, ...)
_UNIT_RE = r"%\s*\(?w/w\)?|wt\.?\s*%|%|mg\s*/\s*[a-z]+"
_VALUE = re.compile(rf"^(?P<v>{_NUM}|nd|n\.d\.|n/d|<loq|bloq|<lod|<{_NUM})(?P<u>%|mg/[a-z]+)?$", re.I)
# a cell that holds a column's place but no result: not tested, not reported, not applicable, a dash
_PLACEHOLDER = re.compile(r"^(?:nt|n\.t\.?|n/t|nr|n\.r\.?|n/r|na|n/a|n\.a\.?|-|–|—)$", re.I)
_OPERATOR = re.compile(r"^[×x*+=−/]$|^[×*+=]")  # a formula's sign, alone or leading ('+Δ9-THC'); not 'THC*'
# a unit printed after a number; one that is not a potency unit ('mg' per package, ppm) is never read
_UNITISH = re.compile(rf"^(?:{_UNIT_RE}|mg|g|µg/g|ug/g|μg/g|ppm|ppb|cfu/g|aw)$", re.I)
_QUALIFIER = re.compile(r"^(?:nd|n\.d\.|n/d|<loq|bloq|<lod)$", re.I)  # the same in every unit
_COLUMN = re.compile(
    r"(?P<other>%\s*(?:of\s+)?(?:label\s+)?claim|%\s*LC\b|\bLabel\s+Claim|%?\s*RSD\b|\bRecovery"
    r"|\bDilution(?:\s+Factor)?\b|\bDF\b|\bRT\b|\bRetention\s+Time|\b(?:Peak\s+)?Area\b)"
    r"|\b(?P<lim>LOD|LOQ|Limit|Action\s+Level)\b(?:\s*\((?P<limunit>[^)]*)\))?"
    rf"|\(\s*(?P<unit>{_UNIT_RE})\s*\)"
    rf"|(?<![\w/])(?P<bare>{_UNIT_RE})(?![\w/])"
    r"|\b(?P<status>Pass/Fail|Status)\b"
    r"|\b(?P<result>Result|Amount|Concentration|Value|Content|Mass)s?\b(?!\s*\()",
    re.I,
)
_HEADER_MORE = re.compile(rf"^\(?(?:{_UNIT_RE}|w/w|mg/?|/?[a-z]{{1,10}}\))\)?$", re.I)
_PER_UNIT = tuple(
    "unit gummy gummie softgel capsule cap tablet tab piece pc each chew spray pouch lozenge stick pod".split()
)
_PER_SERVING_ONLY = "The results are given per serving only; enter them per unit, g or ml yourself."
SERVING = "mg/serving"  # per serving, dose or package: never read as per unit (a serving may be several units)


def unit_of(text: str) -> str | None:
    """A printed unit as the form's unit: '%', 'mg/g', 'mg/ml', 'mg/unit', SERVING, or None (not a potency unit)."""
    low = re.sub(r"[\s()]", "", text.lower())
    if low in ("%", "%w/w", "wt%", "wt.%"):
        return "%"
    if not (m := re.fullmatch(r"mg/([a-z]+)", low)):
        return None
    per = m.group(1)
    if per in ("g", "ml"):
        return f"mg/{per}"
    if per.rstrip("s") in _PER_UNIT or per in _PER_UNIT:
        return "mg/unit"
    if per in ("serving", "serv", "dose", "package", "pkg", "container", "bottle", "pack"):
        return SERVING
    return None


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
    """Δ9 / Δ8 spelled 'delta-9', 'Delta 9', 'd9-' before THC written one way; '< LOQ' joined; 'not detected' as ND.
    Only before THC / tetrahydro...: a batch 'CN-D8-0914' is left as it is."""
    line = _same_length(r"(?<![\w-])(?:delta|d)[\s-]?(8|9)[\s-]?(?=thc|tetrahydro)", r"Δ\1-", line)
    line = _same_length(r"Δ\s*(8|9)\s*-?\s*", r"Δ\1-", line)
    line = _same_length(r"<\s+(LOQ|LOD|\d+(?:[.,]\d+)?)\b", r"<\1", line)
    line = _same_length(r"\bnot\s+detected\b", "ND", line)
    return _same_length(r"\bnot\s+(?:tested|analy[sz]ed|requested)\b", "NT", line)


def read_coa_text(text: str) -> CoaDraft:
    """Read a COA's text; raise InvalidInput when it has no cannabinoid table or its units conflict."""
    originals = [raw.rstrip() for raw in text.splitlines() if raw.strip()]
    raw_lines = [_normalise(raw) for raw in originals]
    lines = [" ".join(ln.split()) for ln in raw_lines]
    plain = [" ".join(ln.split()) for ln in originals]
    draft = CoaDraft(
        lab=_lab(plain),
        batch=_batch(originals),
        density_g_ml=_density(lines),
        accredited=True if any("17025" in ln for ln in lines) else None,
    )
    draft.tested_on = tested_on(plain, draft.notes)
    _read_table(raw_lines, draft)
    draft.panels = panel_statuses(lines)
    if not any(r.analyte in ("thc", "cbd", "total_thc", "total_cbd") for r in draft.results):
        if _PER_SERVING_ONLY in draft.notes:
            raise InvalidInput(
                "This certificate gives its results per serving only (a serving may be several gummies or "
                "capsules), so Dosewise does not read them. Enter them per unit, g or ml in the form instead.",
                field="file",
            )
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
        if re.search(r"(?i)\b(laborator|labor\b|labs?\b|analytical|analytics|testing)", ln) and len(ln) <= 80:
            return ln.strip()
    return None


def _after_label(lines: list[str], label: str) -> str | None:
    pattern = re.compile(rf"(?i)\b(?:{label})\s*[:#]\s*(?P<v>[^\s].*?)(?:\s{{2,}}|\s+(?=[A-Z][a-z]+\s*[a-z]*\s*:)|$)")
    for ln in lines:
        if m := pattern.search(ln):
            return m.group("v").strip().rstrip(",;")[:120]
    return None


_BATCH = re.compile(
    r"(?i)(?<![\w-])(?:batch|lot)\s*(?:#|no\.?|number|id|code)?(?:\s*[:#]\s*|\s{2,})(?P<v>[A-Za-z0-9][\w\-/.#]*)"
)


_BATCH_HEAD = re.compile(r"(?i)(?<![\w-])(?:batch|lot)\s*(?:#|no\.?|number|id|code)?\s*:?(?=\s{2,}|$)")


def _batch(lines: list[str]) -> str | None:
    """The value after 'Batch', 'Lot #', 'Batch ID', 'Lot Number' (a colon, or a gap as in a table), or under it
    when the label heads a column: one token holding a digit, as printed (not the lab's 'Sample ID')."""
    for ln in lines:
        for m in _BATCH.finditer(ln):
            if _batch_like(value := m.group("v").rstrip(".,;")):
                return value[:60]
    for above, below in zip(lines, lines[1:], strict=False):
        for m in _BATCH_HEAD.finditer(above):
            under = [t for t in re.finditer(r"\S+", below) if t.start() < m.end() + 2 and t.end() > m.start() - 2]
            if len(under) == 1 and _batch_like(value := under[0].group(0).rstrip(".,;")):
                return value[:60]
    return None


def _batch_like(value: str) -> bool:
    return re.search(r"\d", value) is not None and not looks_like_date(value)


def _density(lines: list[str]) -> float | None:
    for ln in lines:
        if m := re.search(r"(?i)density(?:\s*\([^)]*\))?\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*g\s*/\s*(?:ml|cm3|cm³|cc)", ln):
            return float(m.group(1).replace(",", "."))
    return None


Column = tuple[str, str | None, int]  # (kind: value | lod | loq | limit | status, unit, start offset in the line)


def _columns(header: str, positions: list[int] | None = None) -> list[Column]:
    """The value columns of a table header, left to right. ``positions`` maps each character of a header
    merged from two lines back to its place on the page."""
    cols: list[Column] = []
    for m in _COLUMN.finditer(header):
        start = m.start()
        if m.group("lim"):
            lim = m.group("lim").upper()
            kind = "lod" if lim == "LOD" else "loq" if lim == "LOQ" else "limit"
            limunit = m.group("limunit")
            cols.append((kind, unit_of(limunit) if limunit else None, start))
        elif m.group("unit") or m.group("bare"):
            unit = unit_of(m.group("unit") or m.group("bare")) or "other"
            if word := re.search(r"(?i)\b(?:Result|Amount|Concentration|Value|Content|Mass)s?\s*$", header[:start]):
                start = word.start()
            cols.append(("value", unit, start))
        elif m.group("status"):
            cols.append(("status", None, start))
        elif m.group("other"):  # a named column that is not a result (dilution, retention time): holds a place
            cols.append(("other", None, start))
        else:
            cols.append(("value", None, start))
    if positions is not None:
        cols = [(k, u, positions[min(a, len(positions) - 1)]) for k, u, a in cols]
    return cols


def _merge_header(line: str, more: str) -> tuple[str, list[int]]:
    """A header whose units wrapped onto the next line ('Result (mg/' over 'g)', 'LOD' over '(%)'): each
    fragment joins the header word nearest above it."""
    words = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    extra: dict[int, list[str]] = {}
    for m in re.finditer(r"\S+", more):
        mid = (m.start() + m.end()) / 2
        near = list(range(len(words)))
        if ")" in m.group(0) and "(" not in m.group(0):  # 'g)' closes the '(mg/' above it
            near = [
                k for k in near if words[k][0].count("(") > words[k][0].count(")") and abs(words[k][2] - mid) < 15
            ] or near
        nearest = min(near, key=lambda k: (abs((words[k][1] + words[k][2]) / 2 - mid), -k))
        extra.setdefault(nearest, []).append(m.group(0))
    out: list[str] = []
    positions: list[int] = []
    end = 0
    for i, (word, a, b) in enumerate(words):
        out.append(line[end:a] + word)
        positions.extend(range(end, b))
        for frag in extra.get(i, []):
            joined = ("" if (out[-1].endswith("/") or frag.startswith("/")) else " ") + frag
            out.append(joined)
            positions.extend([a] * len(joined))
        end = b
    return "".join(out), positions


def _name_core(name: str) -> tuple[str, list[str]]:
    """A row name without footnote marks, dot leaders and its parentheses; and what the parentheses held."""
    name = re.sub(r"Δ(8|9)-\s*", r"Δ\1-", " ".join(name.split()))
    inner = re.findall(r"\(([^()]*)\)?", name)
    core = re.sub(r"\([^()]*\)?", " ", name)
    core = re.sub(r"\s*=.*[×*+].*$", "", core)  # 'Total THC = THCA × 0.877 + Δ9-THC': the formula is not the name
    core = re.sub(r"[\s.:*†‡¹²³]+$", "", re.sub(r"\.{2,}|…", " ", core)).strip()
    return " ".join(core.split()), [i.strip() for i in inner]


def _analyte_of(name: str) -> str | None:
    """The analyte a row names, its whole name matching: 'Cannabidiol (CBD)', 'Total THC (THCA × 0.877 + Δ9-THC)'.
    None when it names none, or its parentheses name another one."""
    core, inner = _name_core(name)
    first, *more = re.split(r"\s+[-–—/]\s+", core)  # 'CBD – Cannabidiol', 'THC / Δ9-THC': synonyms
    found = _match(first)
    if found is None:
        return None
    for text in inner + more:
        if re.search(r"[×*+=]|\bx\b", text):  # a formula, as in a totals row
            continue
        other = _match(re.sub(r"[\s.:*]+$", "", text))
        if other is not None and other != found:
            return None
    return found


def _match(name: str) -> str | None:
    for analyte, pattern in _NAME_RES:
        if pattern.fullmatch(name.strip()):
            return analyte
    return None


Cell = tuple[str, int, str | None]  # (text, offset of its middle, unit printed after it)


def _split_row(line: str) -> tuple[str, list[Cell]]:
    """The row's name and its cells: values, 'ND', '<LOQ', and place-holders ('NT', 'N/A', '-') that hold
    a column's place. A number inside a formula ('THCA × 0.877 + Δ9-THC') is not a cell."""
    tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]

    def in_formula(i: int) -> bool:
        return any(0 <= j < len(tokens) and _OPERATOR.search(tokens[j][0]) for j in (i - 1, i + 1))

    def is_cell(i: int) -> bool:
        tok = tokens[i][0]
        return bool(_PLACEHOLDER.match(tok) or (_VALUE.match(tok) and not in_formula(i)))

    # the first cell is a value or a worded place-holder: a dash right after the name ('CBD – Cannabidiol')
    # belongs to the name
    first = next((i for i in range(1, len(tokens)) if is_cell(i) and tokens[i][0] not in "-–—"), None)
    if first is None:
        return line, []
    cells: list[Cell] = []
    for i in range(first, len(tokens)):
        tok, a, b = tokens[i]
        if not is_cell(i):
            continue
        m = _VALUE.match(tok)
        unit = m.group("u") if m else None
        if m and unit is None and i + 1 < len(tokens) and _UNITISH.match(tokens[i + 1][0]):
            unit = tokens[i + 1][0]
        cells.append((m.group("v") if m else "", (a + b) // 2, (unit_of(unit) or "other") if unit else None))
    return " ".join(t for t, _, _ in tokens[:first]), cells


def _row_analyte(previous: str | None, name: str, notes: list[str]) -> str | None:
    """The analyte of a row whose name may have wrapped from the line above (which had no numbers)."""
    alone = _analyte_of(name)
    if previous is None:
        return alone
    glue = "" if previous.endswith("-") else " "
    joined = _analyte_of(previous + glue + name)
    continued = (
        previous.endswith("-") or previous.count("(") > previous.count(")") or re.match(r"^[()a-z]", name) is not None
    )
    if continued:
        return joined
    if joined is not None and alone is not None and joined != alone:  # 'Total' above 'THC 12.1': which is it?
        notes.append(f"The row '{name}' may continue the line above it; it was not read. Enter it yourself.")
        return None
    return alone


Found = tuple[str, list[Cell], list[Column]]


def _read_table(lines: list[str], draft: CoaDraft) -> None:
    cols: list[Column] = []
    doc_unit = _document_unit(lines)
    found: list[Found] = []
    previous: str | None = None
    skip = -1
    for n, ln in enumerate(lines):
        if n == skip:
            continue
        name, cells = _split_row(ln)
        analyte = _row_analyte(previous, name, draft.notes) if cells else None
        if analyte is None:
            header = _columns(ln)
            if any(k == "value" for k, _, _ in header) and not cells:
                if n + 1 < len(lines) and _header_continues(lines[n + 1]):
                    header = _columns(*_merge_header(ln, lines[n + 1]))
                    skip = n + 1
                cols = header
                previous = None
            else:
                previous = " ".join(ln.split()) if not cells else None
            continue
        previous = None
        found.append((analyte, cells, cols or [("value", None, 0)]))
    marks = _decimal_marks([c for _, cells, _ in found for c in cells])
    aligned = _header_aligned(found)
    rows: dict[str, dict[str, str]] = {}
    conflicting: set[str] = set()
    for analyte, cells, columns in found:
        numbers = [(_number(text, marks), mid, unit) for text, mid, unit in cells]
        if any(text is None for text, _, _ in numbers):
            draft.notes.append(
                f"A number in the {analyte.upper()} row could be read two ways (a decimal comma or a thousands "
                "separator); it was not read. Enter it yourself."
            )
            continue
        typed = [(t or "", m, u) for t, m, u in numbers]
        row = _cells_by_column(typed, columns, doc_unit, aligned=aligned)
        if not row:
            draft.notes.append(
                f"The {analyte.upper()} row has more numbers than the table has named columns; it was not read. "
                "Enter it yourself."
            )
            continue
        if analyte in rows:  # again (a summary, then the table): the same results, or none of them is read
            if any(rows[analyte].get(k) not in (None, v) for k, v in row.items() if k not in _NOT_VALUES):
                draft.notes.append(
                    f"{analyte.upper()} appears twice on the certificate with different results; it was not read."
                )
                conflicting.add(analyte)
            for k, v in row.items():
                rows[analyte].setdefault(k, v)
            continue
        rows[analyte] = row
    rows = {a: r for a, r in rows.items() if r and a not in conflicting}
    if not rows:
        return
    units = sorted({u for row in rows.values() for u in row if u not in _NOT_VALUES})
    draft.unit = _primary(units)
    if draft.unit is None:
        if SERVING in units:
            draft.notes.append(_PER_SERVING_ONLY)
            return
        draft.notes.append("The table does not say its unit (%, mg/g, mg/ml or mg per unit): choose it yourself.")
    _check_agreement(rows, draft.density_g_ml)
    for analyte, row in rows.items():
        raw = row.get(draft.unit) if draft.unit else row.get("?")
        if raw is None and _QUALIFIER.match(row.get("?", "")):  # 'ND' printed without a unit beside '0.2 mg/mL'
            raw = row["?"]
        if raw is None:
            continue
        loq = _convert(_float(row.get("loq")), row.get("loq_unit") or draft.unit, draft.unit)
        result = _result(raw, analyte, loq)
        if result is not None:
            draft.results.append(result)


_NOT_VALUES = ("loq", "lod", "loq_unit")


def _header_continues(line: str) -> bool:
    """A line holding only unit fragments ('(%)', 'g)', '(mg/ml)'): the rest of the header above it."""
    words = line.split()
    return bool(words) and all(_HEADER_MORE.match(w) for w in words)


def _decimal_marks(cells: list[Cell]) -> set[str]:
    """The decimal mark(s) the table's numbers use, from the numbers that can only be read one way:
    '0,214' or '90,37' (a comma), '0.62' or '143.1' (a point)."""
    marks = set()
    for text, _, _ in cells:
        digits = text.lstrip("<")
        if re.fullmatch(r"\d+[.,]\d+", digits) and not _could_group(digits):
            marks.add("," if "," in digits else ".")
    return marks


def _could_group(number: str) -> bool:
    """Could the mark be a thousands separator? '1,105' or '10.000' could; '0,5', '0.214' or '12.34' could not."""
    return re.fullmatch(r"[1-9]\d{0,2}(?:[.,]\d{3})+", number) is not None


def _number(text: str, marks: set[str]) -> str | None:
    """A cell with a point as its decimal mark: '0,168' -> '0.168' on a decimal-comma certificate; '1.234,5' ->
    '1234.5'. None when the mark could be either and the certificate does not show which."""
    m = re.fullmatch(r"(<?)(\d+(?:[.,]\d+)*)", text)
    if m is None:
        return text
    sign, digits = m.groups()
    if "," in digits and "." in digits:  # both: the last one is the decimal mark
        dec = "," if digits.rfind(",") > digits.rfind(".") else "."
        whole, _, frac = digits.rpartition(dec)
        whole = whole.replace("," if dec == "." else ".", "")
        return None if not re.fullmatch(r"\d+", whole) else f"{sign}{whole}.{frac}"
    mark = "," if "," in digits else "." if "." in digits else None
    if mark is None:
        return text
    if digits.count(mark) > 1 or _could_group(digits):
        if marks == {mark} and digits.count(mark) == 1:
            return f"{sign}{digits.replace(mark, '.')}"
        if marks and mark not in marks:  # a grouping mark: 1,234 on a point-decimal certificate
            return f"{sign}{digits.replace(mark, '')}" if _could_group(digits) else None
        return None
    return f"{sign}{digits.replace(mark, '.')}"


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


def _header_aligned(found: list[Found]) -> bool:
    """Does the header sit over its columns? Checked on the rows that fill every column."""
    full = [(cells, cols) for _, cells, cols in found if len(cells) == len(_numeric(cols)) > 1]
    if not full:
        return True
    agree = sum(
        all(_column_at(mid, _numeric(cols)) == col for (_, mid, _), col in zip(cells, _numeric(cols), strict=True))
        for cells, cols in full
    )
    return agree * 2 > len(full)


def _numeric(cols: list[Column]) -> list[Column]:
    return [c for c in cols if c[0] != "status"]


def _cells_by_column(cells: list[Cell], cols: list[Column], doc_unit: str | None, *, aligned: bool) -> dict[str, str]:
    """Cells by column: in order when every column has one. A row with fewer cells fills its columns from the
    right when only limits (LOD / LOQ) are left over at the left, or from the left when only limits are left
    over at the right; both possible and different, or neither: nothing is read (where a cell sits on the
    line is not trusted for this: pypdf's layout shifts rows by a column's width). A row with more cells than
    named columns is read by placement under an aligned header, one cell a column. A unit printed after a
    value names that value's unit; one that disagrees with its column's is not read."""
    numeric_cols = _numeric(cols)
    pairs: list[tuple[Column, Cell]]
    if len(cells) == len(cols) > len(numeric_cols):  # a status column holding 'ND' as a word
        pairs = list(zip(cols, cells, strict=True))
    elif len(cells) == len(numeric_cols):
        pairs = list(zip(numeric_cols, cells, strict=True))
    elif len(cells) > len(numeric_cols):  # columns the header does not name: only placement can tell
        pairs = [(_column_at(cell[1], numeric_cols), cell) for cell in cells] if aligned else []
        if len({col for col, _ in pairs}) < len(pairs):  # two cells under one column: ambiguous, read nothing
            pairs = []
    else:
        spare = len(numeric_cols) - len(cells)
        options = []
        if all(kind in _LIMITS for kind, _, _ in numeric_cols[:spare]):  # limits blank at the left (a totals row)
            options.append(list(zip(numeric_cols[spare:], cells, strict=True)))
        if all(kind in _LIMITS for kind, _, _ in numeric_cols[len(cells) :]):  # limits blank at the right
            options.append(list(zip(numeric_cols[: len(cells)], cells, strict=True)))
        pairs = options[0] if options and all(o == options[0] for o in options) else []
        if not _units_agree(pairs):
            pairs = []
    out: dict[str, str] = {}
    for (kind, unit, _), (text, _, printed) in pairs:
        if printed is not None and unit is not None and printed != unit:
            continue  # '12 %' under a 'mg/g' column: not read
        if not text:  # a place-holder: NT, N/A, -
            continue
        if kind in ("loq", "lod"):
            out.setdefault(kind, text)
            if kind == "loq" and (unit or printed):
                out.setdefault("loq_unit", unit or printed or "")
        elif kind == "value":
            out.setdefault(unit or printed or doc_unit or "?", text)
    return out


_LIMITS = ("lod", "loq", "limit")


def _units_agree(pairs: list[tuple[Column, Cell]]) -> bool:
    """A row's % and mg/g cells, when it has both, agree (1 % = 10 mg/g); a row that does not is not read."""
    by_unit = {unit: _float(text) for (kind, unit, _), (text, _, _) in pairs if kind == "value"}
    pct, mg_g = by_unit.get("%"), by_unit.get("mg/g")
    return pct is None or mg_g is None or abs(pct * 10 - mg_g) <= max(0.02 * max(pct * 10, mg_g), 0.06)


def _column_at(mid: int, cols: list[Column]) -> Column:
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
        return None if text is None else float(text)
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
