"""Read the forms of a page as a browser sees them (stdlib html.parser): fields, defaults, select options."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    values: dict[str, str] = field(default_factory=dict)  # what the browser would send untouched
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select name -> (value, text)
    examples: dict[str, str] = field(default_factory=dict)  # input name -> its data-example


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._option: list[str] | None = None  # [value, text]
        self._selected: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text")
            if "data-example" in a:
                self._form.examples[a["name"]] = a["data-example"]
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self._form.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self._form.options[self._select or ""] = []
            self._selected = None
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value", ""), ""]
            if "selected" in a:
                self._selected = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._form and self._select is not None:
            self._form.options[self._select].append((self._option[0], self._option[1].strip()))
            self._option = None
        elif tag == "select" and self._form and self._select is not None:
            opts = self._form.options[self._select]
            first = self._selected if self._selected is not None else (opts[0][0] if opts else "")
            self._form.values[self._select] = first
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    """Return every form of the page, in order."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_to(html: str, action: str) -> Form:
    """Return the one form of the page that posts to ``action``."""
    found = [f for f in forms_of(html) if f.action == action]
    assert len(found) == 1, f"expected one form posting to {action}, found {len(found)}"
    return found[0]
