"""dosewise coa add|show — a product's certificate of analysis, typed in or read from a text-based PDF."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.services import coa_pdf, coas
from dosewise.services.choices import MAX_COA_PDF_BYTES
from dosewise.services.runtime import open_database
from dosewise.services.schemas import CoaDraftOut, CoaOut

group = typer.Typer(help="Certificates of analysis (lab results) for your products.", no_args_is_help=True)
ResultOpt = Annotated[str | None, typer.Option(help="Result in the COA's unit: a number, ND or <LOQ.")]


@group.command("add")
def add(
    product: Annotated[str, typer.Argument(help="Which of your products the certificate is for.")],
    pdf: Annotated[Path | None, typer.Option(help="A text-based COA PDF to read the numbers from.")] = None,
    lab: Annotated[str | None, typer.Option(help="The laboratory's name.")] = None,
    batch: Annotated[str | None, typer.Option(help="Batch or lot number on the certificate.")] = None,
    tested: Annotated[str | None, typer.Option("--date", help="Analysis date, YYYY-MM-DD.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit of the results: %, mg/g, mg/ml or mg/unit.")] = None,
    thc: ResultOpt = None,
    thca: ResultOpt = None,
    cbd: ResultOpt = None,
    cbda: ResultOpt = None,
    cbg: ResultOpt = None,
    cbn: ResultOpt = None,
    total_thc: ResultOpt = None,
    total_cbd: ResultOpt = None,
    loq: Annotated[float | None, typer.Option(help="The lab's limit of quantitation, in the same unit.")] = None,
    density: Annotated[float | None, typer.Option(help="Density in g/ml, if the certificate states it.")] = None,
    panel: Annotated[
        list[str] | None, typer.Option(help="A contaminant panel on the COA: NAME=pass|fail|tested (repeat).")
    ] = None,
    iso17025: Annotated[bool, typer.Option("--iso17025", help="The COA states ISO/IEC 17025 accreditation.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Save without asking (asks only at a terminal).")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Attach a certificate of analysis; doses then use what the lab measured."""
    typed = {"thc": thc, "thca": thca, "cbd": cbd, "cbda": cbda, "cbg": cbg, "cbn": cbn}
    typed |= {"total_thc": total_thc, "total_cbd": total_cbd}
    draft = _read_pdf(pdf) if pdf else None
    if draft and not json_:
        _show_draft(draft)
    results = {**(draft.results if draft else {}), **{k: v for k, v in typed.items() if v is not None}}
    coa = coas.build_coa(
        lab=lab or (draft.lab if draft else "") or "",
        batch=batch or (draft.batch if draft else None),
        tested_on=_date(tested) if tested else (draft.tested_on if draft else None),
        unit=unit or (draft.unit if draft else "") or "",
        results=results,
        loq=loq,
        loqs=draft.loqs if draft and loq is None else None,
        panels=_panels(panel) or (draft.panels if draft else {}),
        density_g_ml=density if density is not None else (draft.density_g_ml if draft else None),
        accredited=True if iso17025 else (draft.accredited if draft else None),
        source="pdf" if draft else "form",
    )
    if draft and sys.stdin.isatty() and not yes and not typer.confirm("Save these numbers?", default=True):
        console.print("Nothing saved.")
        return
    out = coas.attach_coa(open_database(), product=product, coa=coa, file_name=pdf.name if pdf else None)
    print_json(out) if json_ else _show(out)


def _read_pdf(path: Path) -> CoaDraftOut:
    try:
        if path.stat().st_size > MAX_COA_PDF_BYTES:
            return coa_pdf.read_coa_pdf(b"%PDF-" + b"\0" * (MAX_COA_PDF_BYTES + 1))  # the size message
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read '{path}': {exc.strerror}.", field="file") from None
    return coa_pdf.read_coa_pdf(data)


def _show_draft(draft: CoaDraftOut) -> None:
    console.print(
        f"Read from the PDF: lab {escape(draft.lab or '?')}, batch {escape(draft.batch or '?')}, "
        f"date {draft.tested_on or '?'}, unit {draft.unit or '?'}"
    )
    console.print("  " + "; ".join(f"{k}: {v}" for k, v in draft.results.items()))
    for note in draft.notes:
        console.print(f"  [yellow]{escape(note)}[/]")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"Could not read the date '{text}'. Use YYYY-MM-DD.", field="tested_on") from None


def _panels(items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        name, _, status = item.partition("=")
        out[name.strip().lower().replace(" ", "_").replace("-", "_")] = (status or "tested").strip().lower()
    return out


def _show(out: CoaOut) -> None:
    console.print(f"Certificate of analysis for [bold]{escape(out.product.name)}[/]:")
    console.print("[bold]What it shows[/]")
    for f in out.shows:
        console.print(f"  {'[yellow]! [/]' if f.attention else '- '}{escape(f.text)}")
    console.print("[bold]What it does not show[/]")
    for f in out.does_not_show:
        console.print(f"  - {escape(f.text)}")
    console.print(
        f"Doses of {escape(out.product.name)} now use: {escape(out.product.content)} "
        f"({escape(out.product.potency_source)})."
    )


@group.command("show")
def show(
    product: Annotated[str, typer.Argument(help="The product.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show what a product's latest certificate of analysis shows and does not show."""
    db = open_database()
    prod, out = coas.product_coa(db, product_id=coas.product_id_of(db, product))
    if out is None:
        console.print(f"{escape(prod.name)} has no certificate of analysis yet. Add one with 'dosewise coa add'.")
        return
    print_json(out) if json_ else _show(out)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="coa")
