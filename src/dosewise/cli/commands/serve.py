"""dosewise serve: run the web app (127.0.0.1 by default), loading the demo person into an empty database."""

from __future__ import annotations

import socket

import typer
from rich.panel import Panel

from dosewise.cli.output import console, err_console
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


def warn_if_exposed(host: str) -> None:
    """Warn loudly: off loopback, anyone on the network could read and change the journal."""
    if is_loopback(host):
        return
    err_console.print(
        Panel(
            f"Dosewise is listening on {host}, so OTHER MACHINES on the network can reach it.\n"
            "There is NO LOGIN yet: anyone who can reach this address can read and change this health journal.\n"
            "Use the default (--host 127.0.0.1) unless you are sure the network is private.",
            title="WARNING: no authentication",
            style="bold white on red",
            expand=False,
        )
    )


def serve(
    host: str = typer.Option(None, help="Address to listen on (default 127.0.0.1: this machine only)."),
    port: int = typer.Option(None, help="Port to listen on (default 8000).", min=1, max=65535),
    load_demo_if_empty: bool = typer.Option(
        False, "--load-demo-if-empty", help="Load the demo person when the database has nobody yet."
    ),
) -> None:
    """Start the web app and print its address."""
    import uvicorn

    from dosewise.web.app import create_app

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    settings = settings.model_copy(update={"host": host, "port": port})
    db = open_database(settings)
    if load_demo_if_empty and demo.database_is_empty(db):
        person = demo.load_demo(db)
        console.print(f"Loaded [bold magenta]DEMO DATA[/]: {person.name} (a made-up person, clearly labelled).")
    warn_if_exposed(host)
    _check_port_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"Dosewise is running at [bold]http://{shown}:{port}/[/]  (press Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=host.strip("[]"), port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
