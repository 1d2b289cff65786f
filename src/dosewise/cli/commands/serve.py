"""dosewise serve: run the web app on this machine only (no accounts yet); the demo person fills an empty database."""

from __future__ import annotations

import socket

import typer

from dosewise.cli.output import console
from dosewise.config import get_settings
from dosewise.errors import InvalidInput
from dosewise.services import demo
from dosewise.services.runtime import open_database
from dosewise.web.security import is_loopback


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError:
            raise InvalidInput(
                f"Cannot listen on {host}:{port}: the port is in use or the address is not "
                f"on this machine. Try another one, for example --port {port + 1}."
            ) from None


def refuse_if_exposed(host: str) -> None:
    """Refuse an address other machines could reach: there are no accounts yet, so anyone on the network
    could read and change the health journal."""
    if is_loopback(host):
        return
    raise InvalidInput(
        f"Dosewise will not listen on {host}: other machines could reach it, and there is no login yet, so "
        "anyone on the network could read and change this health journal. Use --host 127.0.0.1 (this machine "
        "only; the default).",
        field="host",
    )


def serve(
    host: str = typer.Option(None, help="Address to listen on (default 127.0.0.1: this machine only)."),
    port: int = typer.Option(None, help="Port to listen on (default 8000).", min=1, max=65535),
    load_demo_if_empty: bool = typer.Option(
        False, "--load-demo-if-empty", help="Load the demo person when the database has nobody yet."
    ),
    reminders: bool = typer.Option(
        True, "--reminders/--no-reminders", help="Deliver due reminders (desktop notifications) while serving."
    ),
) -> None:
    """Start the web app and print its address."""
    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    refuse_if_exposed(host)  # before anything slow: the answer is at once
    import uvicorn

    from dosewise.web.app import create_app

    settings = settings.replace(host=host, port=port)
    db = open_database(settings)
    if load_demo_if_empty and demo.database_is_empty(db):
        person = demo.load_demo(db)
        console.print(f"Loaded [bold magenta]DEMO DATA[/]: {person.name} (a made-up person, clearly labelled).")
    _check_port_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"Dosewise is running at [bold]http://{shown}:{port}/[/]  (press Ctrl+C to stop)")
    if reminders:
        from dosewise.cli.commands.remind import show
        from dosewise.cli.scheduler import start_background

        start_background(db, show)  # a daemon thread: it ends with the server
    uvicorn.run(create_app(settings), host=host.strip("[]"), port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
