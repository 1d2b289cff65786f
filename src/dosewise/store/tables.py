"""SQLAlchemy 2 tables. Times are stored as aware UTC; journal rows are soft-deleted (undo).

Annotations are evaluated as Python reads each class (no ``from __future__ import annotations``): SQLAlchemy
then maps real types instead of compiling and evaluating ~450 annotation strings, which every command paid
at start-up. A table named before it is defined is written in quotes.
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from dosewise import clock


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no zone; we restore it on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime passed to the store; times must be aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return clock.now()


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class PersonRow(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    primary_scale: Mapped[str] = mapped_column(String(40), default="spasticity")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    diagnoses: Mapped[list["DiagnosisRow"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="DiagnosisRow.id"
    )


class DiagnosisRow(Base):
    __tablename__ = "diagnosis"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    condition_id: Mapped[str] = mapped_column(String(40))
    person: Mapped[PersonRow] = relationship(back_populates="diagnoses")


class MedicineRow(Base):
    __tablename__ = "medicine"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))  # as the person wrote it
    drug_id: Mapped[str | None] = mapped_column(String(80))  # resolved id in the drug data, or None = unknown
    dose_text: Mapped[str | None] = mapped_column(String(200))
    started: Mapped[date | None] = mapped_column(Date)
    stopped: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProductRow(Base):
    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    form: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(10))
    thc_mg: Mapped[float | None] = mapped_column(Float)  # mg per basis; None = not known
    cbd_mg: Mapped[float | None] = mapped_column(Float)
    drop_ml: Mapped[float] = mapped_column(Float, default=0.05)
    potency_source: Mapped[str] = mapped_column(String(20), default="label")  # label | measured
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # The label exactly as entered (None on products added before labels were kept: then thc_mg is the label).
    thc_label: Mapped[str | None] = mapped_column(String(80))
    cbd_label: Mapped[str | None] = mapped_column(String(80))
    thca_label: Mapped[str | None] = mapped_column(String(80))
    cbda_label: Mapped[str | None] = mapped_column(String(80))
    spectrum: Mapped[str | None] = mapped_column(String(20))  # thc-free | broad | full | isolate
    density_g_ml: Mapped[float | None] = mapped_column(Float)
    label_thc_mg: Mapped[float | None] = mapped_column(Float)  # mg per basis by the label (kept for comparison)
    label_cbd_mg: Mapped[float | None] = mapped_column(Float)
    thc_maximum: Mapped[bool] = mapped_column(Boolean, default=False)  # THC is the label's upper limit
    batch: Mapped[str | None] = mapped_column(String(60))  # batch / lot number on the person's bottle
    measured_thc_mg: Mapped[float | None] = mapped_column(Float)  # mg per basis from the latest COA
    measured_cbd_mg: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoaRow(Base):
    """A certificate of analysis for one of the person's products (entered in a form or read from a PDF)."""

    __tablename__ = "coa"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    lab: Mapped[str] = mapped_column(String(120))
    accredited: Mapped[bool | None] = mapped_column(Boolean)  # ISO/IEC 17025 stated on the COA
    batch: Mapped[str | None] = mapped_column(String(60))
    tested_on: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(10))  # % | mg/g | mg/ml | mg/unit
    density_g_ml: Mapped[float | None] = mapped_column(Float)
    panels: Mapped[dict[str, Any]] = mapped_column(default=dict)  # panel -> pass | fail | tested
    source: Mapped[str] = mapped_column(String(10), default="form")  # form | pdf
    file_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    results: Mapped[list["CoaResultRow"]] = relationship(
        cascade="all, delete-orphan", order_by="CoaResultRow.id", lazy="selectin"
    )


class CoaResultRow(Base):
    """One analyte of a COA's potency table, in the COA's unit (value None when ND or below the LOQ)."""

    __tablename__ = "coa_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    coa_id: Mapped[int] = mapped_column(ForeignKey("coa.id", ondelete="CASCADE"), index=True)
    analyte: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    qualifier: Mapped[str | None] = mapped_column(String(10))  # ND | <LOQ
    loq: Mapped[float | None] = mapped_column(Float)


class _JournalMixin:
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    entered_by: Mapped[str] = mapped_column(String(20), default="person")  # person | caregiver | clinician
    # The account that entered it (its email), "command line" or "this computer"; None: before this was kept.
    entered_by_account: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column()


class DoseRow(_JournalMixin, Base):
    __tablename__ = "dose"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="RESTRICT"))
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))
    thc_mg: Mapped[float] = mapped_column(Float)
    cbd_mg: Mapped[float] = mapped_column(Float)
    unusual: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    mg_source: Mapped[str] = mapped_column(String(20), default="label")  # label | measured: where the mg came from
    product: Mapped[ProductRow] = relationship(lazy="joined")
    __table_args__ = (Index("ix_dose_person_at", "person_id", "at"),)


class AssessmentRow(_JournalMixin, Base):
    __tablename__ = "assessment"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    scale_id: Mapped[str] = mapped_column(String(40))
    items: Mapped[list[Any]] = mapped_column()
    total: Mapped[float] = mapped_column(Float)


class RatingRow(_JournalMixin, Base):
    __tablename__ = "rating"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    scale_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    __table_args__ = (Index("ix_rating_person_scale_at", "person_id", "scale_id", "at"),)


class SideEffectRow(_JournalMixin, Base):
    __tablename__ = "side_effect"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    effect: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_side_effect_person_at", "person_id", "at"),)


class NoteRow(_JournalMixin, Base):
    __tablename__ = "note"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_note_person_at", "person_id", "at"),)


class SymptomRow(_JournalMixin, Base):
    __tablename__ = "symptom"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    symptom: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_symptom_person_at", "person_id", "at"),)


class MeasurementRow(_JournalMixin, Base):
    __tablename__ = "measurement"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # e.g. weight_kg, temperature_c, systolic_bp
    value: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_measurement_person_kind_at", "person_id", "kind", "at"),)


class PlanRow(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="RESTRICT"))
    protocol: Mapped[str] = mapped_column(String(40))
    start: Mapped[date] = mapped_column(Date)
    # The record's lifecycle only: current | ended | replaced. Whether a current plan is active, held, paused
    # or stopped is derived from the journal, the alerts and its plan_event rows (safety/plan_course.py).
    status: Mapped[str] = mapped_column(String(20), default="current")
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the generated plan (days, ceiling, reviews)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column()  # when it was ended or replaced


class PlanEventRow(Base):
    """Something the person did to a plan's course: hold | continue | resume (resume carries the clinician note)."""

    __tablename__ = "plan_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(20), default="person")
    entered_by_account: Mapped[str | None] = mapped_column(String(254))


class DoseCeilingRow(Base):
    """A daily ceiling for the person's cannabinoid doses, set by a clinician or the person (at most one row).

    mg per day; None = no extra limit on that cannabinoid. It only ever lowers a plan's ceiling: plans use
    min(protocol ceiling, this). ``set_by`` is an account's email, "command line" or "this computer".
    """

    __tablename__ = "dose_ceiling"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    thc_mg_per_day: Mapped[float | None] = mapped_column(Float)
    cbd_mg_per_day: Mapped[float | None] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(254))
    set_by_role: Mapped[str | None] = mapped_column(String(20))  # person | clinician; None: no account
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    # A clinician set it (or set it before someone lowered it): only a clinician may raise or clear it.
    clinician_set: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_dose_ceiling_person_id", "person_id", unique=True),)


class TrialRow(Base):
    __tablename__ = "trial"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    scale_id: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int] = mapped_column(Integer)
    blinded: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | stopped | finished
    design: Mapped[dict[str, Any]] = mapped_column(default=dict)  # arms, blocks, period/washout days
    schedule: Mapped[list[Any]] = mapped_column(default=list)  # periods
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column()


class AlertRow(Base):
    __tablename__ = "alert"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))  # de-duplication key (rule + episode)
    level: Mapped[str] = mapped_column(String(10))  # urgent | soon | info
    message: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    refs: Mapped[list[Any]] = mapped_column(default=list)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    __table_args__ = (Index("ix_alert_person_key", "person_id", "key", unique=True),)


class RequestTokenRow(Base):
    """A web write's client token (form ``request_id`` / ``Idempotency-Key``) and the answer it got.

    Written in the same transaction as the write, so a retry finds either nothing (the write did not happen)
    or the first answer. Not health data: left out of backups, purged after a day.
    """

    __tablename__ = "request_token"
    __table_args__ = {"info": {"backup": False}}
    token: Mapped[str] = mapped_column(String(200), primary_key=True)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 hex of method, path and the request's fields
    person_id: Mapped[int | None] = mapped_column(Integer)  # the person the write acted on (no key: kept loose)
    status: Mapped[int | None] = mapped_column(Integer)  # the stored answer's HTTP status
    headers: Mapped[list[Any]] = mapped_column(default=list)  # [[name, value], ...] (location, content-type)
    body: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AccountRow(Base):
    """Someone who signs in: the person themself, a caregiver or a clinician (roles in services/auth.py)."""

    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(20))  # person | caregiver | clinician
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id, PHC string
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)  # the first account (made on the first run)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who chose the password when someone other than the account's holder did (the inviting account's email,
    # or "command line"); None once the holder chose their own (services/passwords.py).
    password_set_by: Mapped[str | None] = mapped_column(String(254))


class WebSessionRow(Base):
    """A signed-in browser: the SHA-256 of its session value (the cookie holds the value, signed)."""

    __tablename__ = "web_session"
    __table_args__ = {"info": {"backup": False}}  # a restored session would sign someone in again
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class SignInAttemptRow(Base):
    """One sign-in attempt (kept in the database so several workers count the same attempts)."""

    __tablename__ = "sign_in_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_sign_in_attempt_email_at", "email", "at"),
        Index("ix_sign_in_attempt_client_at", "client", "at"),
        {"info": {"backup": False}},
    )


class GrantRow(Base):
    """Consent: a person's journal shared with an account, as caregiver or clinician, until a date or revoked.

    Each change is a new version (a new row); the row it replaced gets ``revoked_at``. Only rows with
    ``revoked_at`` unset and ``until`` not passed grant anything.
    """

    __tablename__ = "access_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # caregiver | clinician
    until: Mapped[date | None] = mapped_column(Date)  # last day included; None = until revoked
    version: Mapped[int] = mapped_column(Integer, default=1)
    granted_by: Mapped[str] = mapped_column(String(254))  # an account's email, or "command line"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class AuditRow(Base):
    """Who did what to accounts and consent, and when (never changed or deleted)."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(254))  # an account's email, or "command line"
    action: Mapped[str] = mapped_column(String(40))  # account-added | grant-added | grant-changed | grant-revoked ...
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no foreign key: the record outlives rows
    account_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PairingCodeRow(Base):
    """A one-time code that signs a phone in as the account that made it (its SHA-256 only is stored)."""

    __tablename__ = "pairing_code"
    __table_args__ = {"info": {"backup": False}}
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


JOURNAL_TABLES = (DoseRow, RatingRow, SideEffectRow, NoteRow, SymptomRow, MeasurementRow, AssessmentRow)
JournalRow = DoseRow | RatingRow | SideEffectRow | NoteRow | SymptomRow | MeasurementRow | AssessmentRow  # any entry


class ReminderStateRow(Base):
    """What happened to one reminder of one journal day: sent, snoozed, answered (taken | done | skipped).

    Reminders themselves are computed (safety/reminders.py); only these facts are stored, so a restarted
    scheduler neither loses a reminder (it is computed again) nor repeats one (``sent_at``).
    """

    __tablename__ = "reminder_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the journal day the reminder belongs to
    key: Mapped[str] = mapped_column(String(20))  # "1121-d0900": day, kind letter, local time
    kind: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str | None] = mapped_column(String(10))  # taken | done | skipped
    answered_at: Mapped[datetime | None] = mapped_column()
    channel: Mapped[str | None] = mapped_column(String(20))  # cli | web | notification
    entered_by: Mapped[str | None] = mapped_column(String(20))
    snoozed_until: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()  # last delivery as a notification
    sent_count: Mapped[int] = mapped_column(Integer, default=0)
    dose_id: Mapped[int | None] = mapped_column(ForeignKey("dose.id", ondelete="SET NULL"))
    __table_args__ = (Index("ix_reminder_state_person_day_key", "person_id", "day", "key", unique=True),)


# Tables whose rows belong to one person (a person_id column): the person scope (store/scope.py) filters them.
PERSON_OWNED_TABLES = (
    DiagnosisRow,
    MedicineRow,
    ProductRow,
    CoaRow,
    *JOURNAL_TABLES,
    PlanRow,
    TrialRow,
    AlertRow,
    ReminderStateRow,
    DoseCeilingRow,
)
