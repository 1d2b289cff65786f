"""plan events (hold, continue, resume) and plan record statuses current | ended | replaced

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 02:10:00

Before: plan.status was active | stopped (ended by the person) | replaced. Now the record's status is only its
lifecycle (current | ended | replaced); active / held / paused / stopped are derived from events.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_event_plan_id"), ["plan_id"], unique=False)
    op.execute("UPDATE plan SET status = 'ended' WHERE status = 'stopped'")
    op.execute("UPDATE plan SET status = 'current' WHERE status = 'active'")


def downgrade() -> None:
    op.execute("UPDATE plan SET status = 'active' WHERE status = 'current'")
    op.execute("UPDATE plan SET status = 'stopped' WHERE status = 'ended'")
    with op.batch_alter_table("plan_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_event_plan_id"))
    op.drop_table("plan_event")
