"""dosewise share PERSON --with EMAIL --as caregiver|clinician [--until DATE] | share revoke PERSON --with EMAIL |
share list [PERSON]: consent to let an account see (and, as caregiver, write) a person's journal."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from dosewise.cli.output import console, print_json
from dosewise.errors import InvalidInput
from dosewise.services import sharing
from dosewise.services.runtime import open_database


def share(
    words: Annotated[list[str], typer.Argument(help="PERSON, or: revoke PERSON, or: list [PERSON].")],
    with_: Annotated[str | None, typer.Option("--with", help="The email of the account to share with.")] = None,
    as_: Annotated[
        str | None, typer.Option("--as", help="caregiver (reads and writes) or clinician (reads, notes).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day of sharing, YYYY-MM-DD (default: until revoked).")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Share a person's journal with an account, revoke it, or list who it is shared with (all recorded)."""
    action, rest = (words[0], words[1:]) if words[0] in ("revoke", "list") else ("add", words)
    db = open_database()
    if action == "list":
        grants = sharing.list_grants(db, person=rest[0] if rest else None, everyone=not rest)
        if json_:
            print_json(grants)
            return
        for g in grants:
            state = "shared" if g.live else ("revoked" if g.revoked_at else "ended")
            end = f" until {g.until}" if g.until else ""
            console.print(f"{g.person}: {g.email} as {g.role}{end}, version {g.version}, {state} (by {g.granted_by})")
        if not grants:
            console.print("Nothing is shared.")
        return
    if len(rest) != 1 or not with_:
        raise InvalidInput("Say whose journal and with whom: dosewise share PERSON --with EMAIL --as caregiver.")
    if action == "revoke":
        out = sharing.revoke(db, person=rest[0], email=with_)
    else:
        last: date | None = sharing.parse_day(until) if until else None
        out = sharing.share(db, person=rest[0], email=with_, role=as_ or "", until=last)
    if json_:
        print_json(out)
        return
    if action == "revoke":
        console.print(f"{out.person}'s journal is no longer shared with {out.email} (from their next page on).")
    else:
        end = f" until {out.until}" if out.until else " until revoked"
        console.print(f"{out.person}'s journal is shared with {out.email} as {out.role}{end} (version {out.version}).")


def register(app: typer.Typer) -> None:
    app.command("share")(share)
