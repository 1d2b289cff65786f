"""Idempotent writes at the web edge: a retried write answers what the first one did (pure ASGI middleware).

Every form carries a hidden ``request_id`` (a fresh random token rendered with the form, see
``_forms.html``); a JSON client sends an ``Idempotency-Key`` header (or a ``request_id`` field). A write with
a token runs in one transaction with the token's record (services/idempotency.py): a retry after a lost
answer gets the first answer again (same redirect or JSON, header ``Idempotent-Replayed: true``) and writes
nothing; the same token with a different request is refused (422); two requests with one token at once
write once. Only successful answers (below 400) are kept: a refused request may be corrected and sent again.
A write without a token is still accepted (older clients), without this protection.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from dosewise.errors import DosewiseError, InvalidInput
from dosewise.services import idempotency
from dosewise.services.choices import load_json
from dosewise.services.runtime import open_database
from dosewise.web.security import CSRF_FIELD, REQUEST_ID_FIELD, HttpMiddleware, refusal
from dosewise.web.signin import is_open

KEY_HEADER = "idempotency-key"
API_PREFIX = "/api/v1"  # the JSON twin of every page (web/app.py)
REPLAYED_HEADER = "idempotent-replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN = re.compile(r"[A-Za-z0-9._:~-]{8,200}")
KEPT_HEADERS = frozenset({"content-type", "location", "set-cookie"})  # what a replayed answer repeats
NOT_CONTENT = frozenset({CSRF_FIELD, REQUEST_ID_FIELD})  # fields that are not part of what the request asks


class IdempotentWrites(HttpMiddleware):
    """Run a write that carries a token once; answer its retries from the stored first answer."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
            key = await _token_and_fields(scope, body)
        except DosewiseError as exc:  # a body over its limit (413), a malformed token (400)
            await refusal(scope, exc.message, exc.status_code)(scope, receive, send)
            return
        replay = _replaying(body, receive)
        if key is None:
            await self.app(scope, replay, send)
            return
        token, fields = key
        caller = _caller(scope)
        if caller is None:  # sign-in, first run, pairing: never answered from a stored answer
            await self.app(scope, replay, send)
            return
        token = idempotency.scoped_token(caller, token)
        query = scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
        path = _action(scope["path"]) + ("?" + query if query else "")
        digest = idempotency.fingerprint(scope["method"], path, fields)
        db = open_database(scope["app"].state.settings)
        try:
            with anyio.CancelScope(shield=True):  # a claimed token is always ended (SQLite's write lock)
                begun = await run_in_threadpool(
                    idempotency.begin_write, db, token=token, method=scope["method"], path=path, digest=digest
                )
        except DosewiseError as exc:
            await refusal(scope, exc.message, exc.status_code)(scope, receive, send)
            return
        if isinstance(begun, idempotency.Answer):
            await _send_answer(begun, send, replayed=True)
            return
        answer = await _run_inside(self.app, scope, replay, begun)
        with anyio.CancelScope(shield=True):
            if answer.status < 400:
                await run_in_threadpool(idempotency.finish_write, db, begun, answer)
            else:
                await run_in_threadpool(idempotency.abandon_write, begun)
        await _send_answer(answer, send, replayed=False)


def _action(path: str) -> str:
    """The action a path asks for: a form's path and its JSON twin (``/api/v1`` + the same path) are one action.

    So a check-in a phone posted as a form, whose answer was lost, and then sent again from its offline queue
    to the JSON API with the same token, is answered from the first answer instead of being refused or
    written twice (static/offline.js).
    """
    return path.removeprefix(API_PREFIX)


def _caller(scope: Scope) -> str | None:
    """Whose tokens these are: the signed-in account, or "local" on a laptop without accounts.

    A token is only ever matched with the same caller's earlier requests, so one account can never be
    answered from another's stored answer (a JSON client may pick a short, guessable key). Pages open
    without signing in (sign-in, first run, pairing) return None: their answers carry a new session and
    are never stored or replayed.
    """
    if is_open(str(scope.get("path", ""))):
        return None
    account = scope.get("state", {}).get("account")
    if account is None:
        return "local"  # no account exists, or the sign-in gate would have refused this request
    return f"account:{account.id}"


async def _run_inside(
    app: Callable[[Scope, Receive, Send], Awaitable[None]],
    scope: Scope,
    receive: Receive,
    pending: idempotency.PendingWrite,
) -> idempotency.Answer:
    """Run the app with its database calls inside the pending write; return its (buffered) answer."""
    messages: list[Message] = []

    async def keep(message: Message) -> None:
        messages.append(message)

    joined = idempotency.join(pending)
    try:
        await app(scope, receive, keep)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(idempotency.abandon_write, pending)
        raise
    finally:
        idempotency.leave(joined)
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers", [])]
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return idempotency.Answer(int(start["status"]), headers, body)


async def _send_answer(answer: idempotency.Answer, send: Send, *, replayed: bool) -> None:
    kept = [(k, v) for k, v in answer.headers if not replayed or k.lower() in KEPT_HEADERS]
    headers = [(k, v) for k, v in kept if k.lower() != "content-length"]
    if replayed:
        headers.append((REPLAYED_HEADER, "true"))
    headers.append(("content-length", str(len(answer.body))))
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": raw})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    """Read the whole request body (BodyLimit, outside this middleware, bounds it)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then waits on the client as usual."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _token_and_fields(scope: Scope, body: bytes) -> tuple[str, list[tuple[str, str]]] | None:
    """Return the request's token and its fields (the request as compared on a retry), or None without a token."""
    headers = Headers(scope=scope)
    fields = await _fields(scope, headers.get("content-type", ""), body)
    if fields is None:
        return None  # a body that cannot be read: the route itself answers why
    token = headers.get(KEY_HEADER) or next((v for k, v in fields if k == REQUEST_ID_FIELD), None)
    if not token:
        return None
    if not TOKEN.fullmatch(token):
        raise InvalidInput(
            "The request id (Idempotency-Key) must be 8 to 200 letters, digits or '-', '_', '.', ':', '~'. "
            "Nothing was saved."
        )
    return token, [(k, v) for k, v in fields if k not in NOT_CONTENT]


async def _fields(scope: Scope, content_type: str, body: bytes) -> list[tuple[str, str]] | None:
    """The request's fields as (name, text) pairs: form fields, a JSON object's members, or the raw body."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if kind == "multipart/form-data":
        return await _multipart_fields(scope, body)
    if kind == "application/json" or (not kind and body.lstrip()[:1] in (b"{", b"[")):
        try:
            value = load_json(body or b"{}")
        except DosewiseError:
            return None
        if isinstance(value, dict):
            return [(str(k), v if isinstance(v, str) else _canonical(v)) for k, v in value.items()]
        return [("", _canonical(value))]
    return [("", body.decode("utf-8", "replace"))]


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


async def _multipart_fields(scope: Scope, body: bytes) -> list[tuple[str, str]] | None:
    """Form fields of a multipart body; an uploaded file counts by the sha256 of its content."""
    request = Request(scope, _replaying(body, _no_more))
    try:
        form = await request.form()
    except Exception:  # a malformed upload: the route answers with its own message
        return None
    try:
        fields: list[tuple[str, str]] = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                fields.append((name, "file:" + hashlib.sha256(await value.read()).hexdigest()))
            else:
                fields.append((name, value))
        return fields
    finally:
        await form.close()


async def _no_more() -> Message:
    return {"type": "http.disconnect"}
