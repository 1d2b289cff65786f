"""reminder_state: what happened to each reminder (sent, snoozed, answered), so a restart neither loses nor repeats

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:20:00

Reminders are computed from the plan and the journal (safety/reminders.py); the person's reminder settings
live in person.settings["reminders"] (JSON, no schema change).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("entered_by", sa.String(length=20), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("dose_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["dose_id"], ["dose.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reminder_state", schema=None) as batch_op:
        batch_op.create_index("ix_reminder_state_person_day_key", ["person_id", "day", "key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("reminder_state", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_state_person_day_key")
    op.drop_table("reminder_state")
