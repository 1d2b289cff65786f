"""dosewise claims check FILE|- [--json]: grade an article's health claims against the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import SEVERITY_COLOUR, agent_label, console, print_json
from dosewise.errors import InvalidInput
from dosewise.services import claims
from dosewise.services.claims import MAX_FILE_BYTES, ClaimCheckOut, ClaimOut
from dosewise.services.runtime import open_database

group = typer.Typer(help="Check an article's health claims against Dosewise's evidence.", no_args_is_help=True)
VERDICT_STYLE = {
    "supported": "bold green",
    "limited": "yellow",
    "unsupported": "magenta",
    "contradicted": "bold red",
    "not-covered": "cyan",
}


def _read(path: str) -> tuple[bytes, str | None]:
    if path == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1), None
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"'{path}' is not a file. Give the path of a .txt, .html or .pdf file, or - for stdin.")
    with file.open("rb") as f:
        return f.read(MAX_FILE_BYTES + 1), file.name


def _claim_lines(c: ClaimOut) -> None:
    style = VERDICT_STYLE.get(c.verdict, "")
    grade = f" ({c.grade_label.lower()})" if c.grade_label else ""
    console.print(f'[bold]Sentence {c.number}:[/] "{escape(c.sentence)}"')
    console.print(f"   [{style}]{escape(c.verdict_label)}[/]{escape(grade)}")
    about = [*c.substances, *c.conditions, *c.outcomes]
    console.print(f"   [dim]About: {escape(', '.join(about))} - {c.direction}[/]")
    unverified = "" if c.verified else " [yellow](rests on an unverified source)[/]"
    console.print(f"   {escape(c.explanation)}{unverified}")
    for f in c.flags:
        console.print(f"   [yellow]Warning: {escape(f.label)}[/]")
    if c.references:
        cites = "; ".join(f"{r.citation}{' ' + r.link if r.link else ''}" for r in c.references)
        console.print(f"   [dim]Sources: {escape(cites)}[/]")


def render(out: ClaimCheckOut) -> None:
    """Print the one-screen summary first, then every claim with its verdict, reasons and sources."""
    console.print(f"Checked {escape(out.source)}: {out.sentences} sentences, {out.words} words.")
    console.print(f"[dim]{escape(out.disclaimer)}[/]")
    console.print(f"[bold]{escape(out.message)}[/]")
    if not out.claims:
        return
    parts = [f"{n} {v.replace('-', ' ')}" for v, n in out.counts.items() if n]
    console.print(f"Claims: {out.total} - {', '.join(parts)}.")
    if out.selling:
        console.print("[yellow]The page sells a product next to its claims.[/]")
    if out.corrections:
        console.print("\n[bold]Most important corrections[/]")
        for n, c in enumerate(out.corrections, start=1):
            console.print(f'{n}. "{escape(c.sentence)}" - [{VERDICT_STYLE[c.verdict]}]{escape(c.verdict_label)}[/]')
            console.print(f"   {escape(c.explanation)}")
    if out.omitted:
        console.print("\n[bold]Left out, and it matters for safety:[/] " + escape(", ".join(out.omitted_labels)))
        for note in out.safety_notes:
            console.print(f"   - {escape(note.topic_label)}: {escape(note.text)}")
    _your_medicines(out)
    console.print("\n[bold]Claim by claim[/]")
    for c in out.claims:
        _claim_lines(c)


def _your_medicines(out: ClaimCheckOut) -> None:
    if out.your_medicines:
        console.print("\n[bold]Your medicines with what this article is about:[/]")
        for f in out.your_medicines:
            colour = SEVERITY_COLOUR.get(f.severity, "")
            console.print(
                f"   [{colour}]{escape(f.severity.upper())}[/] {escape(f.drug)} + {agent_label(f.cannabinoid)}: "
                f"{escape(f.direction.rstrip('.'))}. Watch for: {escape(f.monitor)}"
            )
    for name in out.medicines_not_checked:
        console.print(f"   {escape(name)}: unknown - not checked. This does NOT mean it is safe; ask your pharmacist.")


@group.command("check")
def check(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A .txt, .html or .pdf file with the article; - for stdin.")
    ],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Grade each health claim of an article: supported, limited, unsupported, contradicted or not covered."""
    data, name = _read(file)
    out = claims.check_claims(data=data, filename=name or "standard input", db=open_database())
    print_json(out) if json_ else render(out)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="claims")
