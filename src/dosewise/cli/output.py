"""Rendering helpers shared by CLI commands: JSON, tables, one-line errors, alert banners."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from dosewise.model.vocab import AlertLevel, InteractionSeverity, label

if TYPE_CHECKING:  # types only: the CLI starts without loading the services
    from dosewise.services.journal_schemas import AlertOut
    from dosewise.services.safety_schemas import CheckOut

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
# Colours only: the words come from dosewise.model.vocab.
LEVEL_COLOUR: dict[str, str] = {AlertLevel.URGENT: "bold red", AlertLevel.SOON: "yellow", AlertLevel.INFO: "cyan"}
PANEL_STYLE: dict[str, str] = {AlertLevel.URGENT: "bold white on red", AlertLevel.SOON: "bold black on yellow"}
SEVERITY_COLOUR: dict[str, str] = {
    InteractionSeverity.SERIOUS: "bold red",
    InteractionSeverity.MONITOR: "yellow",
    InteractionSeverity.THEORETICAL: "cyan",
    InteractionSeverity.LOW: "dim",
}


def level_label(level: str) -> str:
    """Return an alert level's label, in capitals for an urgent one so it stands out in a terminal."""
    text = label(level, "alert_level")
    return text.upper() if level == AlertLevel.URGENT else text


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):  # a pydantic model (pydantic is not imported here: most commands need none)
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        from pydantic_core import to_jsonable_python  # the same JSON as a pydantic model's

        return to_jsonable_python(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    """Print ``value`` (pydantic models, lists, dicts) as indented JSON on stdout, nothing else."""
    console.print_json(json.dumps(_plain(value), default=str, ensure_ascii=False))


def _nested(value: Any, level: int) -> str:
    """JSON of ``value`` indented by 2 as part of a document ``level`` spaces deep (as json.dumps would)."""
    return json.dumps(_plain(value), default=str, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * level)


def print_json_stream(head: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """Print ``head`` plus ``key``: [items...] exactly as ``print_json`` would, writing one item at a time.

    Nothing but the current item is held in memory (``journal --json`` over 100,000 entries stays flat).
    """
    out = console.file
    out.write("{\n")
    for name, value in head.items():
        out.write(f"  {json.dumps(name)}: {_nested(value, 2)},\n")
    out.write(f"  {json.dumps(key)}: [")
    first = True
    for item in items:
        out.write(("\n    " if first else ",\n    ") + _nested(item, 4))
        first = False
    out.write("]" if first else "\n  ]")
    out.write("\n}\n")
    out.flush()


def error_line(message: str) -> None:
    """Print one red error line on stderr."""
    err_console.print(f"[bold red]Error:[/] {message}", markup=True)


def warn(message: str) -> None:
    err_console.print(f"[yellow]Warning:[/] {message}")


def show_alerts(alerts: list[AlertOut], *, title: str = "ALERT") -> None:
    """Print alerts loudly and in full: urgent ones in a red panel (stderr, so --json output stays clean)."""
    for a in alerts:
        level = a.level
        style = PANEL_STYLE.get(level, "bold")
        advice = f"\n[bold]{escape(a.advice)}[/]" if a.advice else ""
        body = f"{escape(a.message)}{advice}\n[dim]Why: {escape(a.why)}[/]"
        # soft_wrap=False: the panel wraps long lines instead of cropping them at the terminal edge
        err_console.print(
            Panel(body, title=f"{title}: {level_label(level)}", style=style, expand=False), soft_wrap=False
        )


def agent_label(cannabinoid: str) -> str:
    """Name what a finding is about in words ('any' is a warning about the medicine whatever the cannabinoid)."""
    return {"any": "any cannabinoid", "smoke": "smoke"}.get(cannabinoid, cannabinoid.upper())


def show_findings(result: CheckOut) -> None:
    """Print interaction findings (and unknown medicines) after a medicine or product is added."""
    for f in result.findings:
        sev = f.severity
        colour = SEVERITY_COLOUR.get(sev, "bold")
        unverified = "" if f.verified else " (unverified)"
        matched = f" - matched as {f.matched_as}" if f.matched_as else ""
        console.print(
            f"[{colour}]Interaction ({sev}, {f.evidence}){unverified}:[/] "
            f"{escape(f.drug)} + {agent_label(f.cannabinoid)}{escape(matched)}: "
            f"{escape(f.direction.rstrip('.'))}."
        )
        if f.monitor:
            console.print(f"  Watch for: {escape(f.monitor)}")
        if f.ask_prescriber:
            console.print(f"  Ask your prescriber: {escape(f.ask_prescriber)}")
    for name in result.unknown:
        console.print(
            f"[bold yellow]{escape(name)}: unknown - not checked for interactions.[/] This does not mean "
            "it is safe: ask your pharmacist, or check the spelling."
        )
    if result.note:
        console.print(escape(result.note))
