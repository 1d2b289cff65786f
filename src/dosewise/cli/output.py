"""Rendering helpers shared by CLI commands: JSON, tables, one-line errors, alert banners."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.panel import Panel

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    """Print ``value`` (pydantic models, lists, dicts) as indented JSON on stdout, nothing else."""
    console.print_json(json.dumps(_plain(value), default=str, ensure_ascii=False))


def error_line(message: str) -> None:
    """Print one red error line on stderr."""
    err_console.print(f"[bold red]Error:[/] {message}", markup=True)


def warn(message: str) -> None:
    err_console.print(f"[yellow]Warning:[/] {message}")


def show_alerts(alerts: list[dict], *, title: str = "ALERT") -> None:
    """Print alerts loudly: urgent ones in a red panel (on stderr, so --json output stays clean)."""
    for a in alerts:
        level = a.get("level", "info")
        style = {"urgent": "bold white on red", "soon": "bold black on yellow"}.get(level, "bold")
        body = f"{a.get('message', '')}\n[dim]Why: {a.get('why', '')}[/]"
        label = {"urgent": "URGENT - seek care now", "soon": "Contact your clinician soon"}.get(level, "Info")
        err_console.print(Panel(body, title=f"{title}: {label}", style=style, expand=False))


def show_findings(result: dict) -> None:
    """Print interaction findings (and unknown medicines) after a medicine or product is added."""
    findings = result.get("findings", [])
    for f in findings:
        sev = f.get("severity", "")
        colour = {"serious": "red", "monitor": "yellow"}.get(sev, "cyan")
        console.print(
            f"[{colour}]Interaction ({sev}, {f.get('evidence', '')}):[/] {f.get('drug')} + "
            f"{str(f.get('cannabinoid', '')).upper()}: {str(f.get('direction', '')).rstrip('.')}. "
            f"Monitor: {f.get('monitor', '')}"
        )
    for name in result.get("unknown", []):
        console.print(f"[bold yellow]{name}: unknown - not checked for interactions.[/] Ask your pharmacist.")
