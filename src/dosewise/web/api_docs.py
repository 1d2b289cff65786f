"""OpenAPI descriptions of the form fields a POST accepts (the same fields as a JSON object body).

Routes read their input with ``rendering.form_input`` (form or JSON), so FastAPI cannot infer the body;
``fields(...)`` documents it for /openapi.json. A form post needs the page's ``csrf_token``; a JSON body does not.
Every write takes an optional ``Idempotency-Key`` header (forms: the hidden ``request_id``), see web/idempotency.py.
"""

from __future__ import annotations

from typing import Any


def fields(required: dict[str, str] | None = None, optional: dict[str, str] | None = None) -> dict[str, Any]:
    """Return ``openapi_extra`` for a POST whose body has these string fields (name -> description)."""
    props = {k: {"type": "string", "description": v} for k, v in {**(required or {}), **(optional or {})}.items()}
    schema = {"type": "object", "properties": props, "required": sorted(required or {})}
    form_schema = {
        **schema,
        "properties": {
            **props,
            "csrf_token": {"type": "string", "description": "The token from the page's form (forms only)."},
            "request_id": {
                "type": "string",
                "description": "The form's client token (rendered with every form): a retried post writes once.",
            },
        },
    }
    return {
        "requestBody": {
            "required": bool(required),
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": form_schema},
            },
        }
    }


WHEN_WHO = {
    "at": "Local time, 'YYYY-MM-DD HH:MM' or 'HH:MM' (default: now).",
    "entered_by": "person (default) or caregiver; signed in, the account's own role is recorded instead.",
}


ERROR_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "field": {"type": ["string", "null"]}},
            "required": ["error"],
        }
    }
}
# What every write can answer besides success (the web app's real answers; see web/security.py, web/errors.py).
WRITE_ERRORS = {
    "400": "The input was refused; `error` says what to fix. Nothing was saved.",
    "401": "Accounts exist and this request is not signed in (or its sign-in ended), or a wrong sign-in. "
    "Nothing was saved.",
    "403": "A form post without a valid `csrf_token` (missing, forged or older than 12 hours), or an action the "
    "account's role may not do for this person (a clinician changing an entry). Nothing was saved.",
    "404": "The entry, product, medicine or alert named in the address does not exist, or the person (`?person=`) "
    "is not there or not shared with this account.",
    "409": "The thing being created already exists, or several people keep their journal here and none was chosen.",
    "429": "Too many wrong sign-ins (or pairing codes) for this account or from this device: wait, then try again.",
    "413": "The request body is larger than this address accepts. Nothing was saved.",
    "422": "The `Idempotency-Key` (or a form's `request_id`) was already used for a different request. "
    "Nothing was saved.",
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A token the client makes up for this write (8-200 letters, digits, '-', '_', '.', ':', '~'). "
    "Sending the same request again with the same key (after a lost answer) returns the first answer "
    "(header `Idempotent-Replayed: true`) and writes nothing; the same key with a different request is refused "
    "with 422. Keys are kept 24 hours. Without a key the write is done every time it is sent.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:~-]{8,200}$"},
}


READ_ERRORS = {
    "400": "A parameter was refused (for example `days` out of range); `error` says what to fix.",
    "401": "Accounts exist and this request is not signed in (or its sign-in ended).",
    "403": "The account's role may not see this (who a journal is shared with is the person's own business).",
    "404": "The entry, product, medicine, plan or guide named in the address does not exist, or the person "
    "(`?person=`) is not there or not shared with this account.",
    "409": "Several people keep their journal here and none was chosen (`?person=ID`).",
    "422": "The address or a parameter is not valid.",
}


def with_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers every operation can give to an OpenAPI document (the 403 for a missing token too).

    Every error is the JSON body ``{"error": ...}`` of web/errors.py (FastAPI's own 422 body is never sent).
    """
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post"):
                continue
            responses = operation.setdefault("responses", {})
            for code, text in (WRITE_ERRORS if method == "post" else READ_ERRORS).items():
                if code == "422" or code not in responses:
                    responses[code] = {"description": text, "content": ERROR_BODY}
            if method == "post":
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
                    parameters.append(IDEMPOTENCY_KEY)
    return schema
