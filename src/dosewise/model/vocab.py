"""The one vocabulary of Dosewise: alert levels, severities, entry kinds, verdicts, plan actions and statuses.

Each word is a StrEnum (its value is what the database, the JSON and the knowledge YAML hold) with the one
label a person reads, and where words are ordered, the one rank. Every edge (CLI, web page, PDF) takes its
labels from here (templates through the ``label`` filter), so a safety word is worded once: a test fails on a
second definition of an alert-level or severity label anywhere in src/.
"""

from __future__ import annotations

from enum import StrEnum


class AlertLevel(StrEnum):
    """How soon a red flag needs acting on (knowledge/data/red_flags.yaml ``level``). Rank 0 = most urgent."""

    URGENT = "urgent"
    SOON = "soon"
    INFO = "info"

    @property
    def label(self) -> str:
        return _ALERT_LABELS[self][0]

    @property
    def word(self) -> str:
        """The short form, for headings such as 'Urgent: breathing trouble'."""
        return _ALERT_LABELS[self][1]

    @property
    def rank(self) -> int:
        return list(AlertLevel).index(self)


_ALERT_LABELS = {
    AlertLevel.URGENT: ("Urgent — seek care now", "Urgent"),
    AlertLevel.SOON: ("Contact your clinician soon", "Soon"),
    AlertLevel.INFO: ("For your information", "Information"),
}


class Severity(StrEnum):
    """How bad a side effect was, as the person logs it. Rank 1 (mild) to 3 (severe); 0 means none logged."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return list(Severity).index(self) + 1

    @classmethod
    def rank_of(cls, value: str | None) -> int:
        """Return the rank of a stored severity; none (or a word not in the list) counts as mild, the default."""
        return cls(value).rank if value is not None and value in cls._value2member_map_ else cls.MILD.rank


class InteractionSeverity(StrEnum):
    """How serious a drug-cannabinoid interaction is (knowledge/data/interactions.yaml). Rank 0 = worst."""

    SERIOUS = "serious"
    MONITOR = "monitor"
    THEORETICAL = "theoretical"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return list(InteractionSeverity).index(self)

    @property
    def plain(self) -> str:
        """The severity in plain words, for a one-sentence short answer."""
        return {
            "serious": "a serious interaction",
            "monitor": "a possible interaction to watch for",
            "theoretical": "a theoretical interaction (not shown in people)",
            "low": "little or no interaction expected",
        }[self.value]

    @classmethod
    def rank_of(cls, value: str) -> int:
        """Return the rank of ``value``; anything not in the list sorts after 'low'."""
        return cls(value).rank if value in cls._value2member_map_ else len(cls)


class EntryKind(StrEnum):
    """The kinds of journal entry (the ``kind`` column of CSV exports and the /journal/{kind} URLs)."""

    DOSE = "dose"
    RATING = "rating"
    SIDE_EFFECT = "side_effect"
    NOTE = "note"
    SYMPTOM = "symptom"
    MEASUREMENT = "measurement"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Verdict(StrEnum):
    """What the personal analysis concludes (analysis/verdict.py decides; docs/methods.md explains)."""

    LIKELY_HELPS = "likely_helps"
    NO_MEANINGFUL_EFFECT = "no_meaningful_effect"
    LIKELY_WORSE = "likely_worse"
    INCONCLUSIVE = "inconclusive"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.LIKELY_HELPS: "It likely helps",
    Verdict.NO_MEANINGFUL_EFFECT: "It likely makes no difference you would notice",
    Verdict.LIKELY_WORSE: "It is likely making things worse",
    Verdict.INCONCLUSIVE: "Not clear yet — keep going",
}


class PlanAction(StrEnum):
    """What a titration plan does on a day (safety/titration.py lays the days out)."""

    START = "start"
    CONTINUE = "continue"
    STEP_UP = "step_up"
    HOLD = "hold"
    STEP_BACK = "step_back"
    PAUSE = "pause"
    STOP = "stop"  # an urgent red flag: no planned dose until a clinician agreed to restart
    RESUME = "resume"  # restarted one step lower after a clinician agreed
    STAY = "stay"  # the person chose: this dose works, stay here
    TITRATE = "titrate"  # the person let a held plan climb again

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    PlanAction.START: "First day of the plan",
    PlanAction.CONTINUE: "Same dose",
    PlanAction.STEP_UP: "The dose goes up",
    PlanAction.HOLD: "Holding the dose",
    PlanAction.STEP_BACK: "Back one step",
    PlanAction.PAUSE: "Paused until you have spoken with your clinician",
    PlanAction.STOP: "Stopped after an urgent alert",
    PlanAction.RESUME: "Restarted one step lower",
    PlanAction.STAY: "Staying on this dose",
    PlanAction.TITRATE: "May step up again",
}


class PlanStatus(StrEnum):
    """Where a titration plan stands on a day (safety/plan_course.py has the transitions)."""

    ACTIVE = "active"  # titrating: steps up after each interval if side effects stay none or mild
    HELD = "held"  # stays on its step (chosen, after a step back, or after a restart)
    PAUSED = "paused"  # no doses: a severe side effect or red flag on the first step
    STOPPED = "stopped"  # no doses: an urgent red flag, until a clinician agreed to restart
    ENDED = "ended"  # the person ended it, or a new plan replaced it

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    PlanStatus.ACTIVE: "Going on as planned",
    PlanStatus.HELD: "Staying on this dose",
    PlanStatus.PAUSED: "Paused: take no planned dose",
    PlanStatus.STOPPED: "Stopped: do not take another dose",
    PlanStatus.ENDED: "Ended",
}


class ClaimVerdict(StrEnum):
    """How the knowledge base grades a claim in an article (knowledge/claims/). Rank 0 = least favourable."""

    CONTRADICTED = "contradicted"
    UNSUPPORTED = "unsupported"
    LIMITED = "limited"
    NOT_COVERED = "not-covered"
    SUPPORTED = "supported"

    @property
    def label(self) -> str:
        return _CLAIM_VERDICT_LABELS[self]

    @property
    def rank(self) -> int:
        return list(ClaimVerdict).index(self)


_CLAIM_VERDICT_LABELS = {
    ClaimVerdict.CONTRADICTED: "Contradicted by the evidence",
    ClaimVerdict.UNSUPPORTED: "Not supported by evidence",
    ClaimVerdict.LIMITED: "Limited evidence",
    ClaimVerdict.NOT_COVERED: "Not covered: Dosewise has no evidence on this",
    ClaimVerdict.SUPPORTED: "Supported by good evidence",
}


class ReminderKind(StrEnum):
    """What a reminder is for (safety/reminders.py computes them; services/reminders.py stores answers)."""

    DOSE = "dose"
    CHECK_IN = "check-in"
    AFTER_DOSE_RATING = "after-dose-rating"
    REVIEW = "review"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return _REMINDER_KIND_LABELS[self]


_REMINDER_KIND_LABELS = {
    ReminderKind.DOSE: "Planned dose",
    ReminderKind.CHECK_IN: "Daily check-in",
    ReminderKind.AFTER_DOSE_RATING: "Score after a dose",
    ReminderKind.REVIEW: "Plan review",
    ReminderKind.MISSED: "Missed check-in",
}


class ReminderState(StrEnum):
    """Where a reminder stands: still to do, done, skipped, snoozed, or withdrawn (no longer wanted)."""

    DUE = "due"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _REMINDER_STATE_LABELS[self]


_REMINDER_STATE_LABELS = {
    ReminderState.DUE: "To do",
    ReminderState.DONE: "Done",
    ReminderState.SKIPPED: "Skipped",
    ReminderState.SNOOZED: "Snoozed",
    ReminderState.WITHDRAWN: "Not needed now",
}

VOCABULARIES: dict[str, type[StrEnum]] = {
    "alert_level": AlertLevel,
    "severity": Severity,
    "interaction_severity": InteractionSeverity,
    "entry_kind": EntryKind,
    "verdict": Verdict,
    "plan_action": PlanAction,
    "claim_verdict": ClaimVerdict,
    "plan_status": PlanStatus,
    "reminder_kind": ReminderKind,
    "reminder_state": ReminderState,
}


def label(value: str | None, vocabulary: str, form: str = "label") -> str:
    """Return the label of ``value`` in ``vocabulary`` (a key of VOCABULARIES); '' for none.

    ``form`` picks another attribute where a word has two forms (``word`` for alert levels). A value that is
    not in the vocabulary is returned as it is, so nothing is hidden from the reader.
    """
    if not value:
        return ""
    enum = VOCABULARIES[vocabulary]
    if value not in enum._value2member_map_:
        return str(value)
    return str(getattr(enum(value), form))
