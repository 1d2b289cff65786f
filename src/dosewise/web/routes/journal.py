"""Journal: entries by journal day; add, edit, delete (with undo) any entry; who entered it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import InvalidInput
from dosewise.services import csv_io, journal, products, today
from dosewise.services.choices import MAX_ID, all_scales, parse_whole, side_effects, symptoms
from dosewise.services.journal import MEASUREMENT_LABELS, MEASUREMENTS
from dosewise.services.schemas import EntryOut, JournalOut, LoggedOut, ProductOut
from dosewise.web.api_docs import WHEN_WHO, fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db, who_is_entering
from dosewise.web.rendering import done, expect_form, form_input, optional, respond

router = APIRouter(tags=["journal"])
MAX_DAYS = journal.MAX_DAYS
KINDS = ("dose", "rating", "side_effect", "note", "symptom", "measurement")


class Choice(BaseModel):
    id: str
    label: str
    example: str | None = None  # a typical value (measurements), for the form's example


class ItemScaleOut(BaseModel):
    """A multi-item scale (ALSFRS-R) for its form: item names and the score range of each item."""

    id: str
    name: str
    short: str
    items: list[str]
    item_choices: list[int]
    higher_is_better: bool


class JournalPage(BaseModel):
    frame: FrameOut
    journal: JournalOut
    days: int
    products: list[ProductOut]
    choices: dict[str, list[Choice]]
    item_scales: list[ItemScaleOut]
    entered_by: str  # the default of "Entered by" (set on the Today page for this browser)
    saved: str | None
    deleted: EntryOut | None


def _days(request: Request) -> int:
    return parse_whole(request.query_params.get("days", "7"), what="'days'", lo=1, hi=MAX_DAYS, field="days")


def build_journal(request: Request) -> JournalPage:
    db, days = get_db(request), _days(request)
    deleted = None
    if (ref := request.query_params.get("deleted")) and ":" in ref:
        kind, _, num = ref.partition(":")
        if kind in KINDS:
            deleted = today.get_entry(
                db, kind=kind, entry_id=parse_whole(num, what="The entry", lo=1, hi=MAX_ID), include_deleted=True
            )
    return JournalPage(
        frame=frame(db),
        journal=journal.read_journal(db, days=days),
        days=days,
        products=products.list_products(db),
        choices=choices(),
        item_scales=item_scales(),
        entered_by=who_is_entering(request),
        saved=request.query_params.get("saved"),
        deleted=deleted,
    )


def item_scales() -> list[ItemScaleOut]:
    return [
        ItemScaleOut(
            id=s.id,
            name=s.name,
            short=s.short,
            items=list(s.items),
            item_choices=list(range(s.item_min, s.item_max + 1)),
            higher_is_better=not s.lower_is_better,
        )
        for s in all_scales().values()
        if s.multi_item
    ]


def choices() -> dict[str, list[Choice]]:
    """The pick-lists of the entry forms: scales, side effects, symptoms, measurements."""
    return {
        "scale": [Choice(id=s.id, label=s.name) for s in all_scales().values() if not s.multi_item],
        "effect": [Choice(id=k, label=v["label"]) for k, v in side_effects().items()],
        "symptom": [Choice(id=k, label=v["label"]) for k, v in symptoms().items()],
        "measure": [
            Choice(id=k, label=f"{MEASUREMENT_LABELS[k][0]} ({v[2]})", example=MEASUREMENT_LABELS[k][1])
            for k, v in MEASUREMENTS.items()
        ],
    }


# Service field names that differ from the form's (so the message lands next to the right box).
FIELD_ALIASES = {
    "measurement": {"kind": "measure"},
    "dose": {"text": "note"},
    "side_effect": {"text": "note"},
    "symptom": {"text": "note", "item": "symptom"},
}

RECORDERS: dict[str, Callable[..., LoggedOut]] = {
    "dose": journal.record_dose,
    "rating": journal.record_rating,
    "side_effect": journal.record_side_effect,
    "note": journal.record_note,
    "symptom": journal.record_symptom,
    "measurement": journal.record_measurement,
    "assessment": journal.record_assessment,
}


def _items(d: dict[str, str]) -> list[str]:
    """The item scores of a multi-item scale, from fields item_0, item_1, ... (in order)."""
    return [d[f"item_{i}"] for i in range(len(d)) if f"item_{i}" in d]


def entry_fields(kind: str, d: dict[str, str]) -> dict[str, object]:
    """Return the keyword arguments of ``record_<kind>`` from form fields (validated by the service)."""
    common: dict[str, object] = {"at": optional(d, "at"), "entered_by": d.get("entered_by") or "person"}
    by_kind: dict[str, dict[str, object]] = {
        "dose": {
            "product": d.get("product", ""),
            "amount": d.get("amount", ""),
            "note": optional(d, "note"),
            "confirm_unusual": d.get("confirm_unusual") == "yes",
            "confirm_repeat": d.get("confirm_repeat") == "yes",
        },
        "rating": {"scale": d.get("scale", ""), "value": d.get("value", "")},
        "side_effect": {
            "effect": d.get("effect", ""),
            "severity": d.get("severity") or "mild",
            "note": optional(d, "note"),
        },
        "note": {"text": d.get("text", "")},
        "symptom": {"symptom": d.get("symptom", ""), "note": optional(d, "note")},
        "measurement": {"kind": d.get("measure", ""), "value": d.get("value", "")},
        "assessment": {"scale": d.get("scale", ""), "items": _items(d)},
    }
    if kind not in by_kind:
        raise InvalidInput(f"Unknown entry kind '{kind}'. Use one of: {', '.join(KINDS)}.", field="kind")
    return common | by_kind[kind]


@router.get("/journal", response_model=JournalPage)
def journal_page(request: Request) -> Response:
    """Entries by journal day, newest first (``?days=7``)."""
    return respond(request, "journal.html", build_journal(request))


@router.get("/journal.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def journal_csv(db: DbDep) -> Response:
    """The whole journal as CSV (the format of docs/formats.md), for a spreadsheet or a backup."""
    return Response(
        csv_io.export_csv(db),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="dosewise-journal.csv"'},
    )


@router.post(
    "/journal/import",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary", "description": "The journal CSV."},
                            "allow_duplicates": {
                                "type": "string",
                                "description": "'yes' imports lines that repeat another line or a journal entry.",
                            },
                            "csrf_token": {"type": "string", "description": "The token from the page's form."},
                        },
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
async def import_journal(request: Request, db: DbDep) -> Response:
    """Import a journal CSV (field ``file``); one bad line rejects the whole file and nothing is imported."""
    form = await request.form()
    request.app.state.csrf.check(request.state.session, str(form.get("csrf_token") or ""))
    expect_form(request, "import", "journal.html", build_journal, {})
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput("Choose a CSV file to import.", field="file")
    data = await upload.read(csv_io.MAX_IMPORT_BYTES + 1)
    repeated = form.get("allow_duplicates") in ("yes", "true", "1")  # the person confirmed repeated lines
    out = await run_in_threadpool(lambda: csv_io.import_csv(db, data, allow_duplicates=repeated))
    return done(request, out, f"/journal?saved=imported&count={out.imported}")


@router.post(
    "/journal/{kind}",
    status_code=201,
    openapi_extra=fields(
        optional={
            "product": "dose",
            "amount": "dose",
            "note": "dose, side_effect, symptom",
            "scale": "rating, assessment",
            "value": "rating, measurement",
            "effect": "side_effect",
            "severity": "side_effect",
            "text": "note",
            "symptom": "symptom",
            "measure": "measurement",
            "item_0": "assessment items item_0, item_1, ...",
            **WHEN_WHO,
        }
    ),
)
async def add_entry(kind: str, request: Request, db: DbDep) -> Response:
    """Add an entry of ``kind`` (dose, rating, side_effect, note, symptom, measurement)."""
    data = await form_input(request)
    expect_form(request, kind, "journal.html", build_journal, data, aliases=FIELD_ALIASES.get(kind))
    fields = entry_fields(kind, data)
    if getattr(request.state, "role", None) == "caregiver":
        fields["entered_by"] = "caregiver"  # a caregiver's account always enters as the caregiver
    out = await run_in_threadpool(lambda: RECORDERS[kind](db, **fields))
    return done(request, out, f"/journal?saved={kind}")


@router.post("/journal/{kind}/{entry_id}/delete")
async def delete_entry(kind: str, entry_id: int, request: Request, db: DbDep) -> Response:
    """Delete an entry; the journal page then offers Undo."""
    await form_input(request)
    out = await run_in_threadpool(journal.delete_entry, db, kind=kind, entry_id=entry_id)
    return done(request, out, f"/journal?deleted={kind}:{entry_id}", status=200)


@router.post("/journal/{kind}/{entry_id}/restore")
async def restore_entry(kind: str, entry_id: int, request: Request, db: DbDep) -> Response:
    """Undo a delete."""
    await form_input(request)
    out = await run_in_threadpool(journal.restore_entry, db, kind=kind, entry_id=entry_id)
    return done(request, out, "/journal?saved=restored", status=200)
