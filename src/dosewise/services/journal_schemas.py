"""What journal reads and writes return: plain dataclasses (re-exported by dosewise.services.schemas).

Not pydantic models: every ``dosewise log`` returns one, and pydantic's model machinery costs a quick command
more time than the rest of its work. The web app's pydantic pages hold them as fields (pydantic validates and
documents dataclasses like models), and their JSON is the same as a model's (pydantic_core.to_jsonable_python).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from dosewise.model.vocab import AlertLevel


@dataclass
class AlertOut:
    """A stored red-flag alert. level: urgent (seek care now) | soon (contact your clinician) | info."""

    id: int
    rule_id: str
    level: AlertLevel
    title: str
    message: str
    why: str
    refs: list[str]
    first_seen: datetime
    last_seen: datetime
    acknowledged_at: datetime | None
    advice: str | None = None  # urgent alerts: take no more doses, contact a clinician (plan stays stopped)


@dataclass
class EntryOut:
    """One journal entry of any kind, flattened for tables, JSON and CSV."""

    id: int
    kind: str
    at: datetime
    day: date
    item: str
    value: float | str | None = None
    unit: str | None = None
    amount_text: str | None = None
    thc_mg: float | None = None
    cbd_mg: float | None = None
    mg_source: str | None = None  # doses: label | measured | mixed (where the product's mg came from)
    severity: str | None = None
    note: str | None = None
    entered_by: str = "person"  # the role it was entered in: person | caregiver | clinician
    unusual: bool = False
    entered_by_account: str | None = None  # an account's email, "command line", "this computer"; None: not kept
    entered_by_words: str = ""  # "entered by maria@example.org (caregiver)", "entered on the command line"

    def __post_init__(self) -> None:
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            self.value = float(self.value)  # a score or amount is a number with decimals, as in the JSON API


@dataclass
class JournalDayOut:
    day: date
    thc_mg: float
    cbd_mg: float
    entries: list[EntryOut]


@dataclass
class JournalOut:
    person: str
    is_demo: bool
    days: list[JournalDayOut]


@dataclass
class LoggedOut:
    """What a write returns: the entry, and anything the person must see now."""

    entry: EntryOut
    warnings: list[str] = field(default_factory=list)
    alerts: list[AlertOut] = field(default_factory=list)
