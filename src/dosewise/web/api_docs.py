"""OpenAPI descriptions of the form fields a POST accepts (the same fields as a JSON object body).

Routes read their input with ``rendering.form_input`` (form or JSON), so FastAPI cannot infer the body;
``fields(...)`` documents it for /openapi.json. A form post needs the page's ``csrf_token``; a JSON body does not.
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
    "entered_by": "person (default) or caregiver.",
}
