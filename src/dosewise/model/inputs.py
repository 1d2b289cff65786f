"""The checks every edge applies to raw input, one way everywhere: numbers, ids, text, JSON.

- Whole numbers and ids are ASCII digits only (``str.isdigit`` also accepts '²' and '١', which ``int``
  then refuses or misreads) and bounded: an id fits a signed 64-bit column (SQLite and PostgreSQL).
- Decimal numbers: ASCII digits, one optional decimal point or comma, an optional exponent; finite.
- Text never holds a NUL character (PostgreSQL cannot store one; SQLite would) and one-line text
  (names) holds no line break or other control character.
- JSON is bounded in nesting depth (Python's parser would otherwise recurse until it crashes).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from dosewise.errors import InvalidInput

MAX_ID = 2**31 - 1  # the largest id both databases hold (a PostgreSQL INTEGER; SQLite's would hold 2**63 - 1)
MAX_JSON_DEPTH = 64  # nesting levels; a backup needs 6, a request body 2
_WHOLE = re.compile(r"[0-9]{1,19}", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,3})?", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def parse_whole(raw: str, *, what: str, lo: int, hi: int, field: str | None = None) -> int:
    """Return ``raw`` as a whole number from ``lo`` to ``hi``; raise InvalidInput saying what to type."""
    text = raw.strip()
    if not _WHOLE.fullmatch(text) or not lo <= int(text) <= hi:
        raise InvalidInput(f"{what} must be a whole number from {lo} to {hi} (not '{shown(raw)}').", field=field)
    return int(text)


def is_id(value: object) -> bool:
    """True when ``value`` can be a row id (a whole number from 1 to MAX_ID)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_decimal(raw: str, *, what: str) -> float:
    """Return a finite number from ``raw`` (ASCII digits, decimal point or comma); raise InvalidInput."""
    text = raw.strip()
    if not _DECIMAL.fullmatch(text) and text.lower().lstrip("+-") not in ("nan", "inf", "infinity"):
        raise InvalidInput(f"The {what} '{shown(raw)}' is not a number.")
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise InvalidInput(f"The {what} must be a real number, not '{shown(raw)}'.")
    return value


def check_text(value: str, *, field: str | None = None, one_line: bool = False) -> str:
    """Return ``value`` unless it holds a NUL character (or, for one-line text, any line break or control)."""
    if "\x00" in value:
        raise InvalidInput(
            f"The {field or 'text'} holds a NUL character (\\0), which cannot be stored. Remove it and try again.",
            field=field,
        )
    if one_line and _CONTROL.search(value):
        raise InvalidInput(
            f"The {field or 'text'} must be one line: remove line breaks, tabs and other control characters.",
            field=field,
        )
    return value


def one_line(text: str) -> str:
    """Return ``text`` with every line break and control character replaced by a space."""
    return _CONTROL.sub(" ", text)


def load_json(data: bytes | str, *, what: str = "The request body") -> Any:
    """Parse JSON text; raise InvalidInput (never RecursionError) when it is unreadable or nested too deeply."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise InvalidInput(f"{what} is nested too deeply (more than {MAX_JSON_DEPTH} levels).") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at character {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InvalidInput(f"{what} is not valid JSON{where}.") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise InvalidInput(f"{what} is nested too deeply (more than {MAX_JSON_DEPTH} levels).")
    return value


def json_depth(value: Any) -> int:
    """Return the nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_JSON_DEPTH:
            return deepest
    return deepest


def nul_in(value: Any) -> bool:
    """True when any string inside a parsed JSON value (keys included) holds a NUL character."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def shown(raw: str) -> str:
    """A short, printable echo of what the person typed."""
    text = _CONTROL.sub("?", raw)
    return text if len(text) <= 40 else text[:37] + "..."
