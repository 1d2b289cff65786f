"""The one-page clinician report: HTML and PDF from ONE Jinja template (templates/clinician.html).

The context is ``services.reports.clinician_report``; this module only renders it. The PDF is made by
WeasyPrint from the same HTML, on A4 or US Letter (a CSS @page size).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dosewise.errors import InvalidInput
from dosewise.model.vocab import label
from dosewise.services.reports import ClinicianReportOut, report_chart

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
# Page 1 must hold the essentials on one sheet: longer lists continue on page 2 (full medicine list).
PAGE1_LIMITS = {"medicines": 6, "products": 4, "findings": 4, "side_effects": 6, "alerts": 4}


def _num(value: float | None) -> str:
    """Format mg or kg for reading: whole numbers plainly, else one decimal (66.6, 8.3, 0)."""
    if value is None:
        return "not known"
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _day(value: date | datetime) -> str:
    return f"{value.day} {value:%b %Y}"


def _day_short(value: date | datetime) -> str:
    return f"{value.day} {value:%b}"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dosewise.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=_num, day=_day, day_short=_day_short, label=label)
    return env


def page_size(name: str) -> str:
    """Return the CSS page size for 'a4' or 'letter'; raise InvalidInput for anything else."""
    try:
        return PAGE_SIZES[name.strip().lower()]
    except KeyError:
        raise InvalidInput(f"Unknown page size '{name}'. Use a4 or letter.", field="page") from None


def _context(report: ClinicianReportOut, page: str) -> dict[str, object]:
    return {"r": report, "chart": report_chart(report), "page_size": page_size(page), "limit": PAGE1_LIMITS}


def render_html(report: ClinicianReportOut, *, page: str = "a4") -> str:
    """Return the report as a complete, self-contained HTML page (the chart is inline SVG)."""
    return _environment().get_template("clinician.html").render(_context(report, page))


def render_fragment(report: ClinicianReportOut) -> str:
    """Return only the report's content (no <html>, <head> or print CSS), for embedding in a web page."""
    template = _environment().get_template("clinician.html")
    return "".join(template.blocks["content"](template.new_context(_context(report, "a4"))))


def render_pdf(report: ClinicianReportOut, *, page: str = "a4") -> bytes:
    """Return the report as PDF bytes (WeasyPrint, from the same HTML)."""
    from weasyprint import HTML  # imported here: loading Pango takes ~0.5 s and the HTML path does not need it

    return HTML(string=render_html(report, page=page)).write_pdf()
