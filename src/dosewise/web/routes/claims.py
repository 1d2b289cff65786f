"""Check an article: paste text or upload a .txt/.html/.pdf file; every health claim graded (nothing stored).

The form is multipart (a file may come with it), so this route reads it itself rather than through
rendering.form_input, whose 10,000-character field limit is for short form fields; the article's own limits
(knowledge/claims/documents.py) apply instead. JSON clients POST ``{"text": ...}`` to /api/v1/claims.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import InvalidInput
from dosewise.services import claims
from dosewise.services.choices import load_json
from dosewise.services.claims import MAX_FILE_BYTES, MAX_TEXT_CHARS, ClaimCheckOut
from dosewise.web.frame import FrameOut, frame, get_db
from dosewise.web.rendering import expect_form, respond
from dosewise.web.security import CSRF_FIELD

router = APIRouter(tags=["check an article"])


class ClaimsPage(BaseModel):
    frame: FrameOut
    max_chars: int = MAX_TEXT_CHARS
    max_file_mb: int = MAX_FILE_BYTES // 1_000_000
    result: ClaimCheckOut | None = None


def build_claims(request: Request) -> ClaimsPage:
    return ClaimsPage(frame=frame(get_db(request)))


async def _article(request: Request) -> tuple[str | None, bytes | None, str | None]:
    """Return (pasted text, file bytes, file name) from a JSON body or the (CSRF-checked) form."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = load_json(await request.body() or b"{}")
        text = body.get("text") if isinstance(body, dict) else None
        if text is not None and not isinstance(text, str):
            raise InvalidInput("'text' must be a string with the article.", field="text")
        return text, None, None
    form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_TEXT_CHARS * 4)
    token = form.get(CSRF_FIELD)
    request.app.state.csrf.check(request.state.session, token if isinstance(token, str) else None)
    text = form.get("text")
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return None, await upload.read(MAX_FILE_BYTES + 1), upload.filename
    return (text if isinstance(text, str) else None), None, None


@router.get("/claims", response_model=ClaimsPage)
def claims_page(request: Request) -> Response:
    """The form: paste an article or choose a file."""
    return respond(request, "claims.html", build_claims(request))


@router.post("/claims", response_model=ClaimsPage)
async def check_claims(request: Request) -> Response:
    """Grade the article's health claims; the person's own medicines are checked against it when set up."""
    expect_form(request, "claims", "claims.html", build_claims, {})
    text, data, filename = await _article(request)
    expect_form(request, "claims", "claims.html", build_claims, {"text": text or ""})
    db = get_db(request)
    result = await run_in_threadpool(claims.check_claims, text=text, data=data, filename=filename, db=db)
    page = await run_in_threadpool(build_claims, request)
    page.result = result
    return respond(request, "claims.html", page, values={"claims": {"text": text or ""}})
