"""dosewise serve: run the web app (beyond this machine once an account exists); the demo fills an empty database."""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from dosewise.cli.output import console
from dosewise.config import get_settings
from dosewise.errors import InvalidInput
from dosewise.services import auth, demo
from dosewise.services import tls as tls_service
from dosewise.services.runtime import open_database, row_security_warning
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


def refuse_if_exposed(host: str, *, has_accounts: bool) -> None:
    """Refuse an address other machines could reach until an account exists (then everyone signs in);
    without one, anyone on the network could read and change the health journal."""
    if is_loopback(host) or has_accounts:
        return
    raise InvalidInput(
        f"Dosewise will not listen on {host}: other machines could reach it, and nobody has an account yet, so "
        "anyone on the network could read and change this health journal. Add one first: "
        "dosewise account add EMAIL --password-stdin (or use --host 127.0.0.1: this machine only; the default).",
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
    tls: bool = typer.Option(
        False, "--tls", help="Serve HTTPS with a self-signed certificate kept in the data folder (made once)."
    ),
    cert: Path | None = typer.Option(None, "--cert", help="Serve HTTPS with this PEM certificate (with --key)."),
    key: Path | None = typer.Option(None, "--key", help="The PEM private key of --cert."),
) -> None:
    """Start the web app and print its address."""
    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    settings = settings.replace(host=host, port=port)
    db = open_database(settings)
    refuse_if_exposed(host, has_accounts=auth.has_accounts(db))  # before anything slow
    warning = row_security_warning(db)  # PostgreSQL as a superuser: the database's own wall is down
    if warning:
        console.print(f"[bold yellow]{warning}[/]")
    if (cert is None) != (key is None):
        raise InvalidInput("Give both --cert FILE and --key FILE, or neither.", field="cert")
    import uvicorn

    from dosewise.web.app import create_app

    if load_demo_if_empty and demo.database_is_empty(db):
        person = demo.load_demo(db)
        console.print(f"Loaded [bold magenta]DEMO DATA[/]: {person.name} (a made-up person, clearly labelled).")
    _check_port_free(host, port)
    https = _certificate(settings.data_dir, host, tls=tls, cert=cert, key=key)
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if https else "http"
    console.print(f"Dosewise is running at [bold]{scheme}://{shown}:{port}/[/]  (press Ctrl+C to stop)")
    if reminders:
        from dosewise.cli.commands.remind import show
        from dosewise.cli.scheduler import start_background

        start_background(db, show)  # a daemon thread: it ends with the server
    ssl = {"ssl_certfile": str(https.cert), "ssl_keyfile": str(https.key)} if https else {}
    uvicorn.run(create_app(settings), host=host.strip("[]"), port=port, log_level="warning", **ssl)  # type: ignore[arg-type]  # two str paths


def _certificate(
    data_dir: Path, host: str, *, tls: bool, cert: Path | None, key: Path | None
) -> tls_service.ServerCertificate | None:
    """The certificate to serve HTTPS with (printing its fingerprint), or None for plain HTTP on this machine."""
    if cert is not None and key is not None:
        found = tls_service.given_pair(cert, key)
        console.print(f"HTTPS with the certificate {cert}.")
    elif tls:
        found = tls_service.self_signed(data_dir, host)
        made = "Made a new self-signed certificate" if found.created else "Using the self-signed certificate"
        console.print(f"{made} in {found.cert.parent} (valid until {found.not_after:%Y-%m-%d}).")
    else:
        return None
    console.print(f"Certificate SHA-256 fingerprint: [bold]{found.fingerprint}[/]", emoji=False)  # :AB: is no emoji
    console.print("Before typing anything on another device, check that its browser shows this same fingerprint.")
    return found


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
