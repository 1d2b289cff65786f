"""The one place where errors a person can cause become a page (or JSON ``{"error": ...}``)."""

from __future__ import annotations

import logging

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from dosewise.errors import DosewiseError, InvalidAmount, InvalidRating, InvalidTime, NoPerson, UnknownProduct
from dosewise.web.frame import FrameOut, frame, get_db
from dosewise.web.rendering import FormState, respond, wants_json, web_words
from dosewise.web.security import secure_headers

logger = logging.getLogger(__name__)

# The form field an error belongs to when the service did not name one (the message goes next to it).
FIELD_OF_ERROR: tuple[tuple[type[DosewiseError], str], ...] = (
    (InvalidAmount, "amount"),
    (InvalidTime, "at"),
    (InvalidRating, "value"),
    (UnknownProduct, "product"),
)


def field_of(exc: DosewiseError) -> str:
    if exc.field:
        return exc.field
    return next((name for cls, name in FIELD_OF_ERROR if isinstance(exc, cls)), "")


class ErrorPage(BaseModel):
    frame: FrameOut
    error: str
    no_person: bool


def error_frame(request: Request) -> FrameOut:
    """The frame of an error page; empty when the request's person itself was the problem."""
    try:
        return frame(get_db(request))
    except DosewiseError:
        return FrameOut(person_name=None, is_demo=False, urgent_alerts=[])


async def dosewise_error(request: Request, exc: Exception) -> Response:
    """Re-render the failed form with the message next to its field; JSON clients get ``{"error": ...}``."""
    assert isinstance(exc, DosewiseError)
    if wants_json(request):
        body: dict[str, object] = {"error": exc.message, "field": field_of(exc) or None}
        problems = getattr(exc, "problems", None) or []
        if problems:
            body["problems"] = list(problems)
        return JSONResponse(body, status_code=exc.status_code)
    form: FormState | None = getattr(request.state, "form", None)
    page = None
    if form is not None and not isinstance(exc, NoPerson):
        try:
            page = await run_in_threadpool(form.build, request)
        except DosewiseError:  # the form's page itself is gone (editing an entry that does not exist)
            page = None
    if form is not None and page is not None:
        name = field_of(exc)
        message: dict[str, object] = {
            "field": form.aliases.get(name, name),
            "message": web_words(exc.message),
            "kind": type(exc).__name__,
            "problems": list(getattr(exc, "problems", []))[:20],
        }
        return respond(
            request,
            form.template,
            page,
            status=exc.status_code,
            errors={form.form_id: message},
            values={form.form_id: form.values},
        )
    error = ErrorPage(
        frame=await run_in_threadpool(error_frame, request),
        error=web_words(exc.message),
        no_person=isinstance(exc, NoPerson),
    )
    return respond(request, "error.html", error, status=exc.status_code)


async def http_error(request: Request, exc: Exception) -> Response:
    """Unknown pages and bad addresses: a plain page (or JSON ``{"error": ...}``), never a stack trace."""
    status = getattr(exc, "status_code", 422)
    message = {404: "There is no page at this address.", 405: "This address does not accept that kind of request."}
    text = message.get(status, "This address is not valid. Check it, or start again from Today.")
    if wants_json(request):
        return JSONResponse({"error": text}, status_code=status)
    page = ErrorPage(frame=await run_in_threadpool(error_frame, request), error=text, no_person=False)
    return respond(request, "error.html", page, status=status)


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug (never a person's input): a short page or JSON, nothing internal shown, headers as on any page."""
    logger.error("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    text = "Something went wrong inside Dosewise. If you were saving something, check whether it was saved."
    response: Response
    if wants_json(request):
        response = JSONResponse({"error": text}, status_code=500)
    else:
        response = PlainTextResponse(text, status_code=500)
    secure_headers(response.headers, request.url.path)
    return response
