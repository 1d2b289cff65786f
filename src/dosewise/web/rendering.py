"""One context object per route, answered as HTML (Jinja2) or JSON; form input; redirects after writes."""

from __future__ import annotations

import functools
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from dosewise.errors import InvalidInput
from dosewise.model.vocab import Severity
from dosewise.model.vocab import label as vocab_label
from dosewise.services.choices import check_text, load_json, parse_decimal, shown
from dosewise.services.passwords import chosen_by_words
from dosewise.web.frame import with_choices
from dosewise.web.security import CSRF_FIELD, REQUEST_ID_FIELD

MAX_FORM_FIELD = 10_000  # characters; longer fields are refused before any service sees them

templates = Jinja2Templates(directory=str(resources.files("dosewise.web").joinpath("templates")))


def _template_code_cache() -> None:
    """Keep compiled templates beside the byte code (keyed by each template's source), as Python keeps .pyc
    files: the server's first page then skips compiling its templates (tens of milliseconds each). A folder
    that cannot be written (a read-only install) only means compiling them again."""
    folder = Path(str(resources.files("dosewise.web"))) / "__pycache__" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if os.access(folder, os.W_OK):
        templates.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


_template_code_cache()


def _num(value: float | int | None, digits: int = 2) -> str:
    """Format a number without trailing zeros (8.325 -> '8.33', 10.0 -> '10'); None -> 'not known'."""
    if value is None:
        return "not known"
    return f"{round(float(value), digits):g}"


def _time(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def _day(value: date | datetime | None) -> str:
    return "" if value is None else f"{value:%A} {value.day} {value:%B %Y}"


def _signed(value: float | None) -> str:
    """Format a difference with its sign (-1.21 -> '−1.21', 0.5 -> '+0.5')."""
    if value is None:
        return "not known"
    text = _num(value)
    return text.replace("-", "−") if value < 0 else f"+{text}" if value > 0 else text


def _percent(p: float | None) -> str:
    """Format a probability (0-1) as a whole percent; tiny non-zero values show as '< 1 %'."""
    if p is None:
        return "not known"
    if 0 < p < 0.005:
        return "< 1 %"
    if 0.995 < p < 1:
        return "> 99 %"
    return f"{round(p * 100):d} %"


def _step_no(step: int) -> str:
    """Plan steps are counted from 0 by the plans service (-1 = paused); people count from 1."""
    return "paused" if step < 0 else str(step + 1)


def _label(value: str | None, vocabulary: str | None = None, form: str = "label") -> str:
    """Return the one label of ``value`` in a dosewise.model.vocab vocabulary, or else a key in words."""
    if vocabulary is not None:
        return vocab_label(value, vocabulary, form)
    return "" if not value else value.replace("_", " ").replace("-", " ").capitalize()


def _options(options: Any) -> list[tuple[str, str]]:
    """Return a select's (value, text) pairs from pairs, a {value: text} mapping, or objects with id and label.

    Anything else fails loudly: a pydantic object also iterates as two-element (field, value) pairs, which
    once put "('label', 'Short of breath')" into every option of the journal forms and refused every save.
    """
    items = options.items() if isinstance(options, Mapping) else options
    pairs: list[tuple[str, str]] = []
    for option in items:
        if isinstance(option, BaseModel):
            value, text = getattr(option, "id", None), getattr(option, "label", None)
        elif isinstance(option, tuple | list) and len(option) == 2:
            value, text = option
        else:
            value = text = None
        if not isinstance(value, str | int) or not isinstance(text, str | int):
            raise TypeError(f"A select option must be (value, text) or have id and label, not {option!r}")
        pairs.append((str(value), str(text)))
    return pairs


def _product_options(products: list[Any]) -> list[tuple[str, str]]:
    """A product select's options: the name is the value, the name and content the text."""
    return [(p.name, f"{p.name} ({p.content})") for p in products]


# A small amount a person could type for a product, by what its content is given per (form examples only).
_EXAMPLE_AMOUNT = {"ml": "0.1 ml", "spray": "1 spray", "unit": "1 unit", "g": "0.1 g"}


def _example_amount(product: Any) -> str:
    """Return an amount that fits ``product`` ("5 drops" of an oil), for a form's ``data-example``."""
    if product is None:
        return ""
    if product.form == "oil":
        return "5 drops" if product.per == "ml" else f"1 mg {'CBD' if product.cbd_mg else 'THC'}"
    if product.form == "capsule" and product.per == "unit":
        return "1 capsule"
    return _EXAMPLE_AMOUNT.get(product.per, "1 unit")


@functools.cache
def _names() -> dict[str, str]:
    """Internal ids a page may hold (conditions, scales, symptoms, side effects, measurements) -> their names."""
    from dosewise.services.choices import CONDITIONS, all_scales, side_effects, symptoms
    from dosewise.services.journal import MEASUREMENT_LABELS

    names = dict(CONDITIONS) | {s.id: s.short for s in all_scales().values()}
    names |= {k: v["label"] for k, v in (symptoms() | side_effects()).items()}
    return names | {k: v[0] for k, v in MEASUREMENT_LABELS.items()}


def _name(value: str | None) -> str:
    """The name a person reads for an internal id ('breathless-lying-down' -> 'Breathless when lying flat')."""
    return _names().get(value or "") or _label(value)


def _sources(ids: Any) -> Markup:
    """Reference ids as links a person can follow (PMID/DOI/URL), named 'Author Year, Source'."""
    from dosewise.services.choices import load_references

    refs = load_references()
    parts = []
    for i in ids or ():
        r = refs.get(i)
        if r is None:
            continue
        link = r.link()
        text = escape(r.short())
        parts.append(Markup(f'<a href="{escape(link)}" rel="noopener noreferrer">{text}</a>') if link else text)
    return Markup("; ").join(parts)


# CLI commands that services and analysis notes mention, and what a web page says instead.
_WEB_WORDS = (
    (re.compile(r":? ?'?dosewise trial new --help'?\.?"), ": see the Trial page."),
    (re.compile(r"\(?'dosewise med [^']*'\)?"), "the Medicines page"),
    (re.compile(r"\(?'dosewise product [^']*'\)?"), "the Products page"),
    (re.compile(r"\(?'?dosewise person set[^'.]*'?\)?"), "About you"),
    (re.compile(r"'dosewise [^']*'"), "the app"),
)


def web_words(text: str) -> str:
    """Say on a web page what a CLI message says with a command ('See dosewise med list' -> the page)."""
    for pattern, words in _WEB_WORDS:
        text = pattern.sub(words, text)
    return text


def new_request_id() -> str:
    """A fresh client token for one form (its hidden ``request_id``): a retried post of it writes once."""
    return secrets.token_urlsafe(18)


templates.env.filters.update(
    chosen_by=chosen_by_words,
    name=_name,
    sources=_sources,
    web_words=web_words,
    product_options=_product_options,
    example_amount=_example_amount,
    num=_num,
    time=_time,
    day=_day,
    label=_label,
    signed=_signed,
    percent=_percent,
    step_no=_step_no,
    options=_options,
)
templates.env.globals["severities"] = [(s.value, s.label) for s in Severity]
templates.env.globals["new_request_id"] = new_request_id


def wants_json(request: Request) -> bool:
    """True for /api/... paths, or when the client asks for JSON rather than HTML."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def respond(
    request: Request,
    template: str,
    page: BaseModel,
    *,
    status: int = 200,
    errors: dict[str, dict[str, object]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> Response:
    """Answer ``page`` as JSON, or render it with ``template`` (form errors and kept input for HTML)."""
    with_choices(request, page)
    if wants_json(request):
        return JSONResponse(page.model_dump(mode="json"), status_code=status)
    csrf = request.app.state.csrf.form_token(request.state.session)
    context = {
        "page": page,
        "csrf": csrf,
        "errors": errors or {},
        "values": values or {},
        "path": request.url.path,
        "query": dict(request.query_params),
        "account": getattr(request.state, "account", None),  # the signed-in account (header: sign out)
    }
    return templates.TemplateResponse(request, template, context, status_code=status)


async def form_input(request: Request) -> dict[str, str]:
    """Return the submitted fields (JSON body or form), after checking the CSRF token of a form."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = load_json(await request.body() or b"{}")
        if not isinstance(body, dict):
            raise InvalidInput("The request body must be a JSON object.")
        data = {str(k): "" if v is None else str(v) for k, v in body.items()}
        data.pop(REQUEST_ID_FIELD, None)  # the write's client token: used by web/idempotency.py, not a field
    else:
        form = await request.form()
        data = {k: v for k, v in form.items() if isinstance(v, str)}
        request.app.state.csrf.check(request.state.session, data.pop(CSRF_FIELD, None))
        data.pop(REQUEST_ID_FIELD, None)
    for key, value in data.items():
        if len(value) > MAX_FORM_FIELD:
            raise InvalidInput(f"The field '{key}' is too long.", field=key)
        check_text(key + value, field=key)
    return data


@dataclass
class FormState:
    """What the error handler needs to re-render a failed form: the page, its template, the input."""

    form_id: str
    template: str
    build: Callable[[Request], BaseModel]
    values: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # service field name -> form field name


def expect_form(
    request: Request,
    form_id: str,
    template: str,
    build: Callable[[Request], BaseModel],
    values: dict[str, str],
    aliases: dict[str, str] | None = None,
) -> None:
    """Remember which form is being handled, so a DosewiseError re-renders it with the input kept."""
    request.state.form = FormState(form_id, template, build, dict(values), aliases or {})


def done(request: Request, result: Any, to: str, *, status: int = 201) -> Response:
    """After a write: JSON gets the result; a browser is redirected (303) to ``to``."""
    if wants_json(request):
        body = result.model_dump(mode="json") if isinstance(result, BaseModel) else to_jsonable_python(result)
        return JSONResponse(body, status_code=status)
    return RedirectResponse(to, status_code=303)


def optional(data: dict[str, str], key: str) -> str | None:
    """Return a stripped field value, or None when it is missing or blank."""
    value = (data.get(key) or "").strip()
    return value or None


def number(data: dict[str, str], key: str, what: str) -> float | None:
    """Return a field as a float (None when blank); raise InvalidInput naming the field otherwise."""
    raw = optional(data, key)
    if raw is None:
        return None
    try:
        return parse_decimal(raw, what=what)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=key) from None


def date_value(data: dict[str, str], key: str) -> date | None:
    """Return a YYYY-MM-DD field as a date (None when blank); raise InvalidInput naming the field otherwise."""
    raw = optional(data, key)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"Could not read the date '{shown(raw)}'. Use YYYY-MM-DD.", field=key) from None
