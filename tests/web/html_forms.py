"""Read a page as a browser sees it (stdlib html.parser): its forms (fields, defaults, options, examples,
submit buttons) and its links. Used by the web tests and by the browser test that submits every form."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TYPED = {"text", "search", "number", "date", "datetime-local", "time", "email", "tel", "url", "password", "month"}


@dataclass
class Field:
    tag: str  # input, textarea or select
    type: str  # input type ("textarea", "select" for the others)
    name: str
    required: bool = False
    example: str | None = None  # data-example, None when the field has none
    value: str = ""
    checked: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)  # select: (value, text)

    @property
    def typed(self) -> bool:
        """True for a field a person types into (a text box, a date, a text area)."""
        return self.tag == "textarea" or (self.tag == "input" and self.type in TYPED)


@dataclass
class Button:
    name: str
    value: str
    text: str


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)  # submit buttons, in order

    @property
    def values(self) -> dict[str, str]:
        """What the browser would send untouched (checked radios and boxes, selected options)."""
        out: dict[str, str] = {}
        for f in self.fields:
            if f.type in ("radio", "checkbox") and not f.checked:
                continue
            if f.type != "file":
                out[f.name] = f.value
        return out

    @property
    def examples(self) -> dict[str, str]:
        """The data-example of every field that has one: what a person would type to fill the form."""
        return {f.name: f.example for f in self.fields if f.example is not None}

    @property
    def options(self) -> dict[str, list[tuple[str, str]]]:
        return {f.name: f.options for f in self.fields if f.tag == "select"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list[str] | None = None  # [value, text]
        self._selected: str | None = None
        self._textarea: Field | None = None
        self._button: Button | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button = Button(a.get("name", ""), a.get("value", ""), "")
            self._form.buttons.append(self._button)
        elif tag == "input" and a.get("type") == "submit":
            self._form.buttons.append(Button(a.get("name", ""), a.get("value", ""), a.get("value", "")))
        elif tag in ("input", "textarea", "select") and a.get("name"):
            kind = "textarea" if tag == "textarea" else "select" if tag == "select" else a.get("type", "text")
            f = Field(tag, kind, a["name"], "required" in a, a.get("data-example"), a.get("value", ""), "checked" in a)
            self._form.fields.append(f)
            if tag == "select":
                self._select, self._selected = f, None
            elif tag == "textarea":
                self._textarea = f
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value", ""), ""]
            if "selected" in a:
                self._selected = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1] += data
        elif self._textarea is not None:
            self._textarea.value += data
        elif self._button is not None:
            self._button.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, text = self._option
            self._select.options.append((value, " ".join(text.split())))
            self._option = None
        elif tag == "select" and self._select is not None:
            opts = self._select.options
            self._select.value = self._selected if self._selected is not None else (opts[0][0] if opts else "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None:
            self._button.text = " ".join(self._button.text.split())
            self._button = None
        elif tag == "form":
            self._form = None


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def forms_of(html: str) -> list[Form]:
    """Return every form of the page, in document order."""
    return _parse(html).forms


def links_of(html: str) -> list[str]:
    """Return the href of every link of the page, in document order."""
    return _parse(html).links


def form_to(html: str, action: str) -> Form:
    """Return the one form of the page that posts to ``action``."""
    found = [f for f in forms_of(html) if f.action == action]
    assert len(found) == 1, f"expected one form posting to {action}, found {len(found)}"
    return found[0]
