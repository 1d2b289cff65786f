"""dosewise demo"""

from __future__ import annotations

import typer

from dosewise.cli.output import console
from dosewise.services import demo
from dosewise.services.runtime import open_database


def load_demo() -> None:
    """Load a realistic demo person (clearly labelled DEMO DATA) into an empty database."""
    p = demo.load_demo(open_database())
    console.print(
        f"Loaded [bold magenta]DEMO DATA[/]: {p.name}, MS spasticity, 9 weeks of journal "
        "(3 weeks baseline, then CBD oil). Try: dosewise journal"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(load_demo)
