"""Open a text-based COA PDF offline (pypdf) and read its cannabinoid table into a draft for the form.

Limits: at most 20 MB (model/coa.py) and 30 pages; a PDF carrying JavaScript, or with a broken structure, is
refused; nothing in the file is ever run. A scan (no text layer) says it cannot be read and points to the
form. Nothing is saved here: the person checks the draft in the form and saves it from there.
"""

from __future__ import annotations

import io
import logging
import re
from typing import TYPE_CHECKING

from dosewise.errors import InvalidInput
from dosewise.model.coa import MAX_COA_PDF_BYTES
from dosewise.model.coa_text import read_coa_text
from dosewise.services.coas import draft_out
from dosewise.services.schemas import CoaDraftOut

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_PAGES = 30
MIN_TEXT_CHARS = 40  # fewer readable characters than this: a scan or a photo
_JS = re.compile(rb"/(?:JavaScript|JS)\b")


def read_coa_pdf(data: bytes) -> CoaDraftOut:
    """Read a COA PDF's text into a draft; raise InvalidInput (field 'file') with what to do instead."""
    if len(data) > MAX_COA_PDF_BYTES:
        raise InvalidInput(
            f"This file is {len(data) / 1_048_576:.0f} MB; a certificate of analysis PDF may be at most "
            f"{MAX_COA_PDF_BYTES // 1_048_576} MB. Enter the numbers in the form instead.",
            field="file",
        )
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput("This file is not a PDF. Choose the certificate's PDF, or use the form.", field="file")
    reader = _open(data)
    if _has_javascript(data, reader):
        raise InvalidInput(
            "This PDF contains JavaScript, which a certificate of analysis does not need; Dosewise does not open "
            "it. Ask the lab for a plain PDF, or enter the numbers in the form.",
            field="file",
        )
    text = _text(reader)
    if len(re.sub(r"\s", "", text)) < MIN_TEXT_CHARS:
        raise InvalidInput(
            "This PDF has no readable text: it is probably a scan or a photo, which Dosewise cannot read. "
            "Enter the numbers from it in the form below.",
            field="file",
        )
    return draft_out(read_coa_text(text))


# what a damaged PDF raises inside pypdf (its own errors derive from PyPdfError); read as "damaged"
_BROKEN = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError)


def _pypdf_errors() -> tuple[type[Exception], ...]:
    from pypdf.errors import PyPdfError

    return (PyPdfError, *_BROKEN)


def _open(data: bytes) -> PdfReader:
    from pypdf import PdfReader  # imported when a PDF is read, not when the app starts

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported to the person, not logged
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InvalidInput("This PDF is password-protected. Use the form instead.", field="file")
        if len(reader.pages) > MAX_PAGES:
            raise InvalidInput(
                f"This PDF has {len(reader.pages)} pages; a certificate of analysis has at most {MAX_PAGES}.",
                field="file",
            )
        return reader
    except _pypdf_errors():
        raise _broken() from None


def _broken() -> InvalidInput:
    return InvalidInput(
        "This PDF is damaged or not a complete PDF, so it cannot be read. Download it again, or use the form.",
        field="file",
    )


def _has_javascript(data: bytes, reader: PdfReader) -> bool:
    """JavaScript anywhere: in the raw bytes, the document's name tree, open action or page actions."""
    from pypdf.generic import DictionaryObject

    if _JS.search(data):
        return True
    try:
        root = reader.trailer["/Root"]
        if not isinstance(root, DictionaryObject):  # a catalog that is not a dictionary: the file is damaged
            raise _broken()
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            return True
        action = root.get("/OpenAction")
        if action is not None and "/JS" in str(action.get_object()):
            return True
        return any("/JS" in str(a.get_object()) for page in reader.pages for a in page.get("/Annots") or [])
    except _pypdf_errors():
        raise _broken() from None


def _text(reader: PdfReader) -> str:
    try:
        return "\n".join(page.extract_text(extraction_mode="layout") or "" for page in reader.pages)
    except _pypdf_errors():
        raise _broken() from None
