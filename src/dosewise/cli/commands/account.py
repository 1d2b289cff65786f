"""dosewise account add|list: who may sign in to the web app (the person, a caregiver, a clinician)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.services import auth
from dosewise.services.runtime import open_database

group = typer.Typer(
    help="Accounts that sign in to the web app (once one exists, everyone signs in).", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@group.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The email address they sign in with.")],
    role: Annotated[str, typer.Option(help="person (their own journal), caregiver or clinician.")] = "person",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (one line).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Add an account. A person account is for the person commands act for (--person)."""
    if not password_stdin:
        raise InvalidInput(
            "Give the password on standard input: echo 'PASSWORD' | dosewise account add EMAIL "
            "--password-stdin (it never goes on the command line, where others could see it)."
        )
    password = sys.stdin.readline().rstrip("\r\n")
    out = auth.add_account(open_database(), email=email, role=role, password=password)
    if json_:
        print_json(out)
        return
    owner = " (the owner: the first account)" if out.is_owner else ""
    console.print(f"Added [bold]{out.email}[/] as {out.role}{owner}. From now on the web app asks to sign in.")


@group.command("list")
def list_(json_: JsonOpt = False) -> None:
    """List the accounts (never their passwords)."""
    accounts = auth.list_accounts(open_database())
    if json_:
        print_json(accounts)
        return
    for a in accounts:
        console.print(f"{a.email}  {a.role}{'  (owner)' if a.is_owner else ''}")
    if not accounts:
        console.print("No accounts: the web app works on this computer only, without signing in.")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="account")
