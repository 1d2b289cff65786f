"""dosewise report --pdf FILE | --html FILE | --json"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.private import write_private
from dosewise.reports import clinician
from dosewise.services.reports import clinician_report
from dosewise.services.runtime import open_database


def report(
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the report as PDF to this file.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the report as HTML to this file.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the report's content as JSON.")] = False,
    page: Annotated[str, typer.Option("--page", help="Paper size: a4 or letter.")] = "a4",
) -> None:
    """Make the one-page clinician report (PDF or HTML) from the last 12 weeks of the journal."""
    if pdf is None and html is None and not json_:
        raise InvalidInput("Say where to write the report, for example: dosewise report --pdf report.pdf")
    clinician.page_size(page)
    out = clinician_report(open_database())
    if json_:
        print_json(out)
    if html is not None:
        write_private(html, clinician.render_html(out, page=page).encode("utf-8"))
        console.print(f"Wrote the clinician report (HTML) to {html}.")
    if pdf is not None:
        write_private(pdf, clinician.render_pdf(out, page=page))
        console.print(f"Wrote the clinician report (PDF, {page.upper()}) to {pdf}.")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
