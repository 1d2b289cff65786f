"""the dose ceiling a clinician (or the person) sets, and which account entered each journal entry

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:50:00

New table ``dose_ceiling`` (at most one row per person: mg THC and/or mg CBD a day, who set it, when, a note).
New nullable column ``entered_by_account`` on every journal table and on ``plan_event``: the account's email,
"command line" or "this computer"; existing rows keep NULL (entered before accounts said who).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ENTRY_TABLES = ("dose", "rating", "side_effect", "note", "symptom", "measurement", "assessment", "plan_event")


def upgrade() -> None:
    op.create_table(
        "dose_ceiling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("thc_mg_per_day", sa.Float(), nullable=True),
        sa.Column("cbd_mg_per_day", sa.Float(), nullable=True),
        sa.Column("set_by", sa.String(length=254), nullable=False),
        sa.Column("set_by_role", sa.String(length=20), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("clinician_set", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dose_ceiling_person_id", "dose_ceiling", ["person_id"], unique=True)
    for table in ENTRY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("entered_by_account", sa.String(length=254), nullable=True))


def downgrade() -> None:
    for table in ENTRY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("entered_by_account")
    op.drop_index("ix_dose_ceiling_person_id", table_name="dose_ceiling")
    op.drop_table("dose_ceiling")
