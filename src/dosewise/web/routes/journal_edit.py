"""Editing a journal entry: the form pre-filled with the entry; saving validates it like a new one."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.services import journal, products, today
from dosewise.services.schemas import EntryOut, ProductOut
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, respond
from dosewise.web.routes.journal import FIELD_ALIASES, Choice, choices, entry_fields

router = APIRouter(tags=["journal"])


class EditPage(BaseModel):
    frame: FrameOut
    entry: EntryOut
    prefill: dict[str, str]
    products: list[ProductOut]
    choices: dict[str, list[Choice]]


def _prefill(e: EntryOut) -> dict[str, str]:
    """Form fields for an entry, as the person would type them."""
    common = {"at": e.at.strftime("%Y-%m-%dT%H:%M"), "entered_by": e.entered_by, "note": e.note or ""}
    value = "" if e.value is None else f"{e.value:g}" if isinstance(e.value, float) else str(e.value)
    by_kind = {
        "dose": {"product": e.item, "amount": e.amount_text or ""},
        "rating": {"scale": e.item, "value": value},
        "side_effect": {"effect": e.item, "severity": e.severity or "mild"},
        "note": {"text": e.note or ""},
        "symptom": {"symptom": e.item},
        "measurement": {"measure": e.item, "value": value},
    }
    return common | by_kind.get(e.kind, {})


def build_edit(request: Request) -> EditPage:
    db = get_db(request)
    kind, entry_id = request.path_params["kind"], int(request.path_params["entry_id"])
    entry = today.get_entry(db, kind=kind, entry_id=entry_id)
    return EditPage(
        frame=frame(db), entry=entry, prefill=_prefill(entry), products=products.list_products(db), choices=choices()
    )


@router.get("/journal/{kind}/{entry_id}/edit", response_model=EditPage)
def edit_page(kind: str, entry_id: int, request: Request) -> Response:
    """The entry's form, pre-filled."""
    return respond(request, "entry_edit.html", build_edit(request))


@router.post("/journal/{kind}/{entry_id}/edit")
async def save_edit(kind: str, entry_id: int, request: Request, db: DbDep) -> Response:
    """Save the corrected entry (validated like a new one; a rejected edit changes nothing)."""
    data = await form_input(request)
    expect_form(request, kind, "entry_edit.html", build_edit, data, aliases=FIELD_ALIASES.get(kind))
    fields = entry_fields(kind, data)
    if fields["at"] is None:  # a cleared time keeps the entry's time rather than moving it to now
        before = await run_in_threadpool(today.get_entry, db, kind=kind, entry_id=entry_id)
        fields["at"] = before.at
    # ``fields`` are record_<kind>'s keywords as form values (object): update_entry checks them like a new entry
    out = await run_in_threadpool(lambda: journal.update_entry(db, entry_kind=kind, entry_id=entry_id, **fields))  # type: ignore[arg-type]
    return done(request, out, "/journal?saved=edited", status=200)
