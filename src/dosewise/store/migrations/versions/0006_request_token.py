"""request_token: the client token of each web write and the answer it got (idempotent retries)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_token",
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("request_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_token_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("request_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_token_created_at"))
    op.drop_table("request_token")
