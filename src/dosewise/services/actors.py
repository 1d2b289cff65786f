"""Who did something, in one vocabulary for the ceiling, the journal and the audit: an account's email, the
command line (the machine's own user) or this computer (the web app with no account), and the role it acted
in (person | caregiver | clinician). Plain words for the screen come from ``who_words``.
"""

from __future__ import annotations

COMMAND_LINE = "command line"  # the actor of changes made with the CLI (the machine's own user)
THIS_COMPUTER = "this computer"  # the actor on the web app of a machine with no account in its database
ROLE_WORDS = {"person": "the person", "caregiver": "caregiver", "clinician": "clinician"}


def who_words(account: str | None, role: str | None) -> str:
    """Say who did something, in plain words: "by ana@example.org (caregiver)", "on the command line", ...

    ``account`` is an account's email, "command line", "this computer" or None (not recorded); ``role`` the
    role it acted in (person | caregiver | clinician) or None.
    """
    role_words = ROLE_WORDS.get(role or "", "")
    if account in (COMMAND_LINE, THIS_COMPUTER):
        where = f"on the {account}" if account == COMMAND_LINE else "on this computer"
        return f"{where} ({role_words})" if role and role != "person" else where
    if account:
        return f"by {account} ({role_words})" if role_words else f"by {account}"
    return f"by the {role}" if role in ROLE_WORDS else ""


def entered_words(account: str | None, role: str | None) -> str:
    """Who entered a journal entry, in plain words: "entered by maria@example.org (caregiver)"."""
    who = who_words(account, role)
    return f"entered {who}" if who else ""
