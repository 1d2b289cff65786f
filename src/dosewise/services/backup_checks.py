"""Every row of a backup is checked like a new entry before a restore writes anything.

A hand-edited backup can pass its checksum (the checksum is recomputed) and still hold nonsense: a rating
of 40 on a 0-10 scale, a dose of a product that is not in the file, a plan body that is a string, a plan
day above its own ceiling. The same validators as for new entries (model/, safety/) answer here; each
problem names the table, the row and what is wrong. Units: mg, points on each scale's own range.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from dosewise.errors import DosewiseError
from dosewise.model.journal import ENTERED_BY, validate_note
from dosewise.model.people import Person, parse_condition, validate_person
from dosewise.model.products import Basis, Product, parse_form, validate_product
from dosewise.model.scales import get_scale, validate_items
from dosewise.model.units import Unit
from dosewise.model.vocab import AlertLevel
from dosewise.safety.plan_body import PlanBody
from dosewise.services import entries
from dosewise.services.runtime import zone

MAX_PROBLEMS = 20
Row = dict[str, Any]


class _Arm(BaseModel):
    product: str
    amount: str


class TrialDesign(BaseModel):
    """What the trial code reads from a stored design (services/trials.py, services/insights.py)."""

    active: _Arm
    control: _Arm | None = None
    blocks: int = Field(ge=1, le=100)
    period_days: int = Field(ge=1, le=365)
    washout_days: int = Field(ge=0, le=365)


class _Problem(Exception):
    """One thing wrong with one row (collected, then reported together)."""


def _person(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    zone(row["timezone"])
    flags = row["flags"] if isinstance(row["flags"], list) else _fail("flags is not a list")
    validate_person(
        Person(
            name=row["name"], flags=tuple(map(str, flags)), weight_kg=row["weight_kg"], birth_year=row["birth_year"]
        ),
        today=date(9999, 12, 31),
    )
    get_scale(row["primary_scale"])
    if not isinstance(row["settings"], dict):
        _fail("settings is not an object")


def _product(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    validate_product(
        Product(
            name=row["name"],
            form=parse_form(row["form"]),
            basis=Basis(row["basis"]) if row["basis"] in {b.value for b in Basis} else _fail("unknown basis"),
            thc_mg=row["thc_mg"],
            cbd_mg=row["cbd_mg"],
            drop_ml=row["drop_ml"],
            potency_source=row["potency_source"],
        )
    )


def _journal(row: Row) -> None:
    if row["entered_by"] not in ENTERED_BY:
        _fail(f"entered_by is '{row['entered_by']}' (use person, caregiver or clinician)")


def _dose(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    product = ids["product"].get(row["product_id"])
    if product is None:
        _fail(f"it is a dose of product {row['product_id']}, which is not in the backup")
    if row["unit"] not in {u.value for u in Unit}:
        _fail(f"unknown unit '{row['unit']}'")
    for name in ("amount", "thc_mg", "cbd_mg"):
        if not math.isfinite(row[name]) or row[name] < 0 or (name == "amount" and row[name] == 0):
            _fail(f"{name} is {row[name]}, not a positive amount")
    if row["note"] is not None:
        validate_note(row["note"])


def _rating(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    entries.rating_row(scale=get_scale(row["scale_id"]), **_fields(row, "value"))
    if row["assessment_id"] is not None and row["assessment_id"] not in ids["assessment"]:
        _fail(f"it belongs to assessment {row['assessment_id']}, which is not in the backup")


def _assessment(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    items = row["items"] if isinstance(row["items"], list) else _fail("items is not a list")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in items):
        _fail("items are not all numbers")
    validate_items(get_scale(row["scale_id"]), [float(v) for v in items])


# The journal's own row builders (services/entries.py) check these entries, as for the CLI, the web and CSV.


def _side_effect(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    entries.side_effect_row(**_fields(row, "effect", "severity", "note"))


def _note(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    entries.note_row(**_fields(row, "text"))


def _symptom(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    entries.symptom_row(**_fields(row, "symptom", "note"))


def _measurement(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    _journal(row)
    entries.measurement_row(**_fields(row, "kind", "value"))


def _fields(row: Row, *names: str) -> dict[str, Any]:
    """The row's values as a row builder's keywords (its person, time and who entered it, and ``names``)."""
    return {"person_id": row["person_id"], "at": row["at"], "entered_by": row["entered_by"]} | {
        n: row[n] for n in names
    }


def _diagnosis(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    parse_condition(row["condition_id"])


def _plan(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    if row["product_id"] not in ids["product"]:
        _fail(f"it is a plan for product {row['product_id']}, which is not in the backup")
    body = row["body"] if isinstance(row["body"], dict) else _fail("its body is not a plan (not an object)")
    try:
        plan = PlanBody.model_validate(body)
    except (ValidationError, TypeError) as exc:
        _fail(f"its body is not a plan Dosewise can read ({_first(exc)})")
    ceiling = plan.ceiling
    for day in plan.days:
        if day.thc_mg_per_day > ceiling.thc_mg_per_day + 1e-9 or day.cbd_mg_per_day > ceiling.cbd_mg_per_day + 1e-9:
            _fail(f"its day {day.date} is above the plan's own daily ceiling")


def _trial(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    get_scale(row["scale_id"])
    if not isinstance(row["design"], dict):
        _fail("its design is not an object")
    try:
        TrialDesign.model_validate(row["design"])
    except ValidationError as exc:
        _fail(f"its design is not a trial Dosewise can read ({_first(exc)})")
    periods = row["schedule"] if isinstance(row["schedule"], list) else _fail("its schedule is not a list")
    for p in periods:
        try:
            int(p["block"]), date.fromisoformat(p["start"]), date.fromisoformat(p["end"]), int(p["washout_days"])
            str(p["arm"])
        except (TypeError, KeyError, ValueError):
            _fail("its schedule has a period Dosewise cannot read")


def _alert(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    if row["level"] not in {level.value for level in AlertLevel}:
        _fail(f"unknown alert level '{row['level']}'")


def _dose_ceiling(row: Row, ids: dict[str, dict[int, Row]]) -> None:
    values = [row[n] for n in ("thc_mg_per_day", "cbd_mg_per_day") if row[n] is not None]
    if not values:
        _fail("it is a ceiling of nothing (no mg THC nor mg CBD a day)")
    if any(not isinstance(v, int | float) or not math.isfinite(v) or v <= 0 for v in values):
        _fail("its mg a day are not positive numbers")
    if not str(row["set_by"]).strip():
        _fail("it does not say who set it")


CHECKS: dict[str, Callable[[Row, dict[str, dict[int, Row]]], None]] = {
    "person": _person,
    "dose_ceiling": _dose_ceiling,
    "diagnosis": _diagnosis,
    "product": _product,
    "dose": _dose,
    "rating": _rating,
    "assessment": _assessment,
    "side_effect": _side_effect,
    "note": _note,
    "symptom": _symptom,
    "measurement": _measurement,
    "plan": _plan,
    "trial": _trial,
    "alert": _alert,
}


OPTIONAL_PERSON = frozenset({"account", "audit_event"})  # a caregiver's account has no person of its own


def problems_in(tables: dict[str, list[Row]]) -> list[str]:
    """Return what is wrong with the rows (at most MAX_PROBLEMS), every table checked like new input."""
    ids = {name: {r["id"]: r for r in rows if "id" in r} for name, rows in tables.items()}
    people = ids.get("person", {})
    problems: list[str] = []
    for name, rows in tables.items():
        check = CHECKS.get(name)
        for n, row in enumerate(rows, start=1):
            try:
                optional = name in OPTIONAL_PERSON and row.get("person_id") is None  # an account of no person
                if "person_id" in row and not optional and row["person_id"] not in people:
                    _fail(f"it belongs to person {row['person_id']}, who is not in the backup")
                if check is not None:
                    check(row, ids)
            except (_Problem, DosewiseError) as exc:
                problems.append(f"Row {n} of table '{name}' (id {row.get('id')}): {_text(exc)}")
                if len(problems) >= MAX_PROBLEMS:
                    return problems
    return problems


def _fail(message: str) -> Any:
    raise _Problem(message)


def _first(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
    return str(exc)


def _text(exc: Exception) -> str:
    return exc.message if isinstance(exc, DosewiseError) else str(exc)
