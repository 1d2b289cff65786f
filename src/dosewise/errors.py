"""Domain errors. Each carries a message a person can act on: what was wrong and how to fix it.

Edges translate them once: the CLI prints one red line and exits 1; the web app re-renders the
form with the message (HTML) or answers JSON ``{"error": ...}``.
"""

from __future__ import annotations


class DosewiseError(Exception):
    """Base class: anything a user can cause. Never shown with a traceback."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidInput(DosewiseError):
    """A value was malformed, out of range or not a finite number."""


class InvalidAmount(InvalidInput):
    """A dose amount could not be read or does not fit the product."""


class ImplausibleDose(InvalidInput):
    """A single dose is far above anything plausible; needs explicit confirmation."""


class RepeatedDose(InvalidInput):
    """The same dose was just logged; a second one needs confirming (protects against double presses)."""

    status_code = 409


class InvalidRating(InvalidInput):
    """A score is outside its scale or the scale is unknown."""


class InvalidTime(InvalidInput):
    """A time could not be read or lies in the future."""


class NotFound(DosewiseError):
    """Something named by the person does not exist."""

    status_code = 404


class UnknownProduct(NotFound):
    """No product matches the given name (or the name is ambiguous)."""


class UnknownCondition(NotFound):
    """A condition id or name is not in the knowledge base."""


class NoPerson(NotFound):
    """No person has been set up yet."""


class PersonNotChosen(DosewiseError):
    """The database holds several people and the command or page did not say which one it is for."""

    status_code = 409


class NotSignedIn(DosewiseError):
    """The page needs a signed-in account (accounts exist in this database)."""

    status_code = 401


class SignInRefused(DosewiseError):
    """Wrong email or password (never says which, so it tells nothing about who has an account)."""

    status_code = 401


class TooManySignIns(DosewiseError):
    """Too many wrong passwords for an account or from one device: sign-in waits (the account is locked)."""

    status_code = 429


class NotAllowed(DosewiseError):
    """The account may see this person's journal, but its role may not do this (a clinician editing an entry)."""

    status_code = 403


class AlreadyExists(DosewiseError):
    """The thing being created already exists."""

    status_code = 409


class ImportRejected(DosewiseError):
    """An import file was rejected whole; nothing was imported."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class PlanRefused(DosewiseError):
    """A titration plan cannot be made safely for this person or product."""


class TrialError(DosewiseError):
    """A trial cannot be created, shown or analysed as asked."""


class AnalysisError(DosewiseError):
    """The data cannot support the requested analysis (too few days, no baseline, ...)."""


class BackupRejected(DosewiseError):
    """A backup file is corrupt, truncated, of an unknown version, holds invalid rows, or would overwrite data."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class RequestReused(DosewiseError):
    """A write's client token (request id / Idempotency-Key) was already used for a different request."""

    status_code = 422
