"""The dates on a COA's text: which one is the analysis date, and how to read it (part of model.coa_text).

Labels are ranked: tested / analysed first, then completed, then reported or issued; 'received', 'collected',
'sampled' and 'produced' are never the analysis date. Dates are read as 2026-09-14, 14 Sep 2026, Sep 14, 2026,
14.09.2026 or 09/14/2026; a numeric date that could be day/month or month/day is read the way the certificate's
other, unambiguous dates are written, or left blank with a note - never guessed.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}


def looks_like_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text))


# labels of the analysis date, best first; 'received', 'collected', 'sampled', 'produced' are never it
_DATE_LABELS = (
    r"date\s+(?:tested|of\s+(?:analysis|test(?:ing)?)|analy[sz]ed)|tested(?:\s+on)?|analy[sz]ed(?:\s+on)?|"
    r"analysis\s+date|test\s+date|date\s+of\s+analysis",
    r"(?:date\s+)?completed|completion\s+date",
    r"date\s+(?:reported|of\s+report|issued)|report(?:ed)?\s+date|reported|issued|date\s+of\s+issue",
)
_DATE_TEXT = (
    r"\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?[\s-]+[A-Za-z]{3,9}\.?,?[\s-]+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)
_ANY_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")


def tested_on(lines: list[str], notes: list[str]) -> date | None:
    """The analysis date: the best-ranked label followed by a date; two different dates under it: none."""
    order = _numeric_date_order(lines)
    for labels in _DATE_LABELS:
        pattern = re.compile(rf"(?i)(?<![\w-])(?:{labels})\b\s*[:\-–]?\s*(?P<d>{_DATE_TEXT})")
        found = {d for ln in lines for m in pattern.finditer(ln) if (d := parse_date(m.group("d"), notes, order))}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            notes.append("The certificate gives more than one analysis date: enter the right one yourself.")
            return None
    return None


def _numeric_date_order(lines: list[str]) -> str | None:
    """'dm' or 'md' when every numeric date on the certificate that can only be read one way is read that way
    (13/09/2026 says day first, 08/27/2026 month first); None when there is no such date or they disagree."""
    orders = set()
    for ln in lines:
        for m in _ANY_DATE.finditer(ln):
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 >= b:
                orders.add("dm")
            elif b > 12 >= a:
                orders.add("md")
    return orders.pop() if len(orders) == 1 else None


def parse_date(text: str, notes: list[str], order: str | None = None) -> date | None:
    text = text.strip()
    if m := re.match(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text):
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := re.match(r"(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})", text):
        return _date(int(m.group(3)), _month(m.group(2)), int(m.group(1)))
    if m := re.match(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", text):
        return _date(int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    if m := re.match(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _date(y, b, a)
        if b > 12 >= a:
            return _date(y, a, b)
        if a == b:
            return _date(y, a, b)
        if order is not None:  # the certificate's other dates show how it writes them
            return _date(y, a, b) if order == "md" else _date(y, b, a)
        notes.append(f"The date '{m.group(0)}' could be day/month or month/day: enter it yourself.")
    return None


def _month(word: str) -> int:
    """A month's number from its name or three-letter abbreviation (0: not a month)."""
    low = word.lower()
    n = _MONTHS.get(low[:3], 0)
    names = "january february march april may june july august september october november december".split()
    return n if n and (len(low) == 3 or (low == "sept") or names[n - 1].startswith(low)) else 0


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None
