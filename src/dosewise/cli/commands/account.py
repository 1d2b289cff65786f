"""dosewise account add|list|password: who may sign in to the web app (the person, a caregiver, a clinician),
and a new password for an account whose holder forgot theirs (the owner of this computer's way in)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.services import auth, passwords
from dosewise.services.runtime import open_database

group = typer.Typer(
    help="Accounts that sign in to the web app (once one exists, everyone signs in).", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input (one line).")]
OwnOpt = Annotated[
    bool,
    typer.Option(
        "--own-password",
        help="The account's holder typed this password themself (otherwise they are asked to choose their own).",
    ),
]


@group.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The email address they sign in with.")],
    role: Annotated[str, typer.Option(help="person (their own journal), caregiver or clinician.")] = "person",
    password_stdin: StdinOpt = False,
    own_password: OwnOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Add an account. A person account is for the person commands act for (--person)."""
    if not password_stdin:
        raise InvalidInput(
            "Give the password on standard input: echo 'PASSWORD' | dosewise account add EMAIL "
            "--password-stdin (it never goes on the command line, where others could see it)."
        )
    password = sys.stdin.readline().rstrip("\r\n")
    out = auth.add_account(open_database(), email=email, role=role, password=password, own_password=own_password)
    if json_:
        print_json(out)
        return
    owner = " (the owner: the first account)" if out.is_owner else ""
    console.print(f"Added [bold]{out.email}[/] as {out.role}{owner}. From now on the web app asks to sign in.")
    if out.password_set_by:
        console.print("After signing in they are asked to choose their own password (Your account).")


@group.command("list")
def list_(json_: JsonOpt = False) -> None:
    """List the accounts (never their passwords)."""
    accounts = auth.list_accounts(open_database())
    if json_:
        print_json(accounts)
        return
    for a in accounts:
        chosen = "  (password chosen for them)" if a.password_set_by else ""
        console.print(f"{a.email}  {a.role}{'  (owner)' if a.is_owner else ''}{chosen}")
    if not accounts:
        console.print("No accounts: the web app works on this computer only, without signing in.")


@group.command("password")
def password(
    email: Annotated[str, typer.Argument(help="The email address of the account.")],
    password_stdin: StdinOpt = False,
    own_password: OwnOpt = False,
) -> None:
    """Set a new password for an account whose holder forgot theirs (for the owner of this computer: anyone
    who can run this can open every account, so keep this computer's user account to yourself). Asks for the
    new password twice, hidden. Every browser and phone signed in as the account is signed out. Audited.
    A signed-in person changes their own password on the web app's Your account page instead."""
    new = _read_new_password(password_stdin)
    out, ended = passwords.reset_password(open_database(), email=email, password=new, own_password=own_password)
    console.print(f"New password set for [bold]{out.email}[/]. Signed out everywhere ({ended} sign-ins ended).")
    if out.password_set_by:
        console.print("Tell them in person. After signing in they are asked to choose their own (Your account).")


def _read_new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("New password (hidden)", hide_input=True)
    again = typer.prompt("The same new password again", hide_input=True)
    if first != again:
        raise InvalidInput("The two passwords are not the same. Nothing was changed: run the command again.")
    return str(first)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="account")
