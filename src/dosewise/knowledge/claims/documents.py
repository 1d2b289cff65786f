"""Turn what a person gives the checker (pasted text, a .txt, .html or .pdf file) into plain text, safely.

HTML is never rendered: Python's own HTML parser keeps only the text, and drops <script>, <style>,
<noscript>, <template>, <svg>, <head> and comments whole. PDF text comes from pypdf (pure Python, offline).
Limits: MAX_FILE_BYTES per file, MAX_PDF_PAGES pages, MAX_TEXT_CHARS characters of text. Anything else
(binary files, encrypted or image-only PDFs) is refused with a message saying what to do.
"""

from __future__ import annotations

import io
import logging
from html.parser import HTMLParser

from dosewise.errors import InvalidInput

MAX_FILE_BYTES = 4_000_000  # bytes in one uploaded file
MAX_TEXT_CHARS = 200_000  # characters of text (about 30,000 words)
MAX_PDF_PAGES = 100
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"})
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
        "figcaption",
        "main",
        "aside",
        "title",
        "button",
        "form",
        "label",
    }
)


class _TextOnly(HTMLParser):
    """Collect the visible text of an HTML page; script and style contents are never kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping.append(tag)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n" if tag in {"p", "h1", "h2", "h3", "h4", "li", "div", "tr"} else "\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Return the visible text of ``html`` (paragraphs separated by blank lines), never its scripts."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def looks_like_html(text: str) -> bool:
    """True if ``text`` is an HTML document or fragment rather than plain prose."""
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<body", "<head", "<div", "<p>", "<p ", "<article", "<script"))


def pdf_to_text(data: bytes) -> str:
    """Return the text of a PDF (at most MAX_PDF_PAGES pages); refuse encrypted, broken or image-only PDFs."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-file warnings are not for the person
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInput("This PDF is password-protected. Save it without a password, or paste its text.")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise InvalidInput(f"This PDF has {len(pages)} pages; Dosewise reads articles of up to {MAX_PDF_PAGES}.")
        text = "\n\n".join(page.extract_text() or "" for page in pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise InvalidInput("This PDF could not be read (it may be damaged). Paste the article's text instead.") from exc
    if not text.strip():
        raise InvalidInput(
            "This PDF has no text Dosewise can read (it may be a scanned image). Paste the article's text instead."
        )
    return text


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and control / len(sample) > 0.01


def decode_text(data: bytes) -> str:
    """Return ``data`` as text (UTF-8, else Windows-1252); refuse binary files."""
    if _is_binary(data):
        raise InvalidInput(
            "This file is not text, HTML or PDF. Open the article and paste its text, or save it as .txt."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("This file's text could not be read. Save it as UTF-8 text, or paste the article.")


def check_length(text: str) -> str:
    """Return ``text`` if it is not empty and not too long; otherwise raise InvalidInput saying what to do."""
    if not text.strip():
        raise InvalidInput("There is no text to check. Paste an article or choose a .txt, .html or .pdf file.")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"The text is too long ({len(text):,} characters). Dosewise checks articles of up to "
            f"{MAX_TEXT_CHARS:,} characters (about 30,000 words): check it in parts."
        )
    return text


def read_document(data: bytes, filename: str | None = None) -> str:
    """Return the plain text of an uploaded file (.txt, .html or .pdf, told apart by content and name)."""
    if not data:
        raise InvalidInput("The file is empty. Choose a .txt, .html or .pdf file with the article in it.")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"The file is too large ({len(data) / 1_000_000:.1f} MB). Dosewise reads files of up to "
            f"{MAX_FILE_BYTES / 1_000_000:.0f} MB: paste the article's text instead."
        )
    name = (filename or "").lower()
    if data[:5] == b"%PDF-" or name.endswith(".pdf"):
        return check_length(pdf_to_text(data))
    text = decode_text(data)
    if name.endswith((".html", ".htm")) or looks_like_html(text):
        return check_length(html_to_text(text))
    return check_length(text)


def read_pasted(text: str) -> str:
    """Return pasted text as plain text (pasted HTML is reduced to its visible text, never rendered)."""
    check_length(text)
    if "\x00" in text:
        raise InvalidInput("The text contains binary data. Paste the article's words only.")
    return check_length(html_to_text(text)) if looks_like_html(text) else text
