"""dosewise check [--med NAME ... --cannabinoid cbd|thc|both] [--smoked] [--json]"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from dosewise.cli.output import SEVERITY_COLOUR, agent_label, console, print_json
from dosewise.services import safety
from dosewise.services.runtime import open_database
from dosewise.services.safety_schemas import CheckOut


def check(
    med: Annotated[
        list[str] | None,
        typer.Option(
            "--med", help="A medicine to check (repeat for more). Without --med your own medicines are checked."
        ),
    ] = None,
    cannabinoid: Annotated[str, typer.Option(help="cbd, thc or both (with --med).")] = "both",
    smoked: Annotated[bool, typer.Option("--smoked", help="Cannabis (or tobacco) is smoked.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Check medicines for interactions with CBD and THC (by mechanism, class and documented pairs)."""
    result = (
        safety.check_medicines(med, cannabinoid=cannabinoid, smoked=smoked)
        if med
        else safety.check_person(open_database())
    )
    if json_:
        print_json(result)
        return
    show_check(result)


def show_check(result: CheckOut) -> None:
    """Print findings most serious first, one block each, then the names that were not checked."""
    what = " and ".join(c.upper() for c in result.cannabinoids) + (" (smoked)" if result.smoked else "")
    console.print(f"Checked against {what}.")
    if result.note:
        console.print(result.note)
    for f in result.findings:
        colour = SEVERITY_COLOUR.get(f.severity, "bold")
        agent = agent_label(f.cannabinoid)
        unverified = " [bold](unverified)[/]" if not f.verified else ""
        console.print(
            f"\n[{colour}]{f.severity.upper()}[/] ({f.evidence}){unverified}: "
            f"{escape(f.drug)} + {agent} - matched as {escape(f.matched_as)}"
        )
        console.print(f"  What happens: {escape(f.direction)}")
        console.print(f"  Watch for: {escape(f.monitor)}")
        console.print(f"  Ask your prescriber: {escape(f.ask_prescriber)}")
        console.print(f"  Sources: {', '.join(f.citations)}")
    for c in result.cleared:
        if c.checked:
            note = "" if c.verified else " (its data is unverified)"
            console.print(
                f"\n{escape(c.drug)}: no known interaction (checked){note} - matched as {escape(c.matched_as)}."
            )
        else:
            console.print(
                f"\n[bold yellow]{escape(c.drug)}: known, but its clearance is not recorded - interaction not known.[/]"
            )
    for name in result.unknown:
        hint = result.suggestions.get(name)
        console.print(
            f"\n[bold yellow]{escape(name)}: unknown - not checked.[/] This does NOT mean it is safe; "
            "ask your pharmacist, or check the spelling."
            + (f" Did you mean: {escape(', '.join(hint))}?" if hint else "")
        )
    if not result.findings and not result.unknown:
        console.print("No medicines to check. Add yours with 'dosewise med add NAME'.")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
