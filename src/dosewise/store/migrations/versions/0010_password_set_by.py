"""who chose an account's password, while it is not the holder's own

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:40:00

New nullable column ``account.password_set_by``: the email of the account that invited someone (and so chose
their password), or "command line" (``dosewise account add`` / ``account password`` for someone else); NULL
once the holder chose their own password. Accounts that exist already are filled in from the audit trail:
an account added by an actor other than itself (and not the owner's first account) still has a password
someone else chose, because no account could change its password before this revision.

``account`` is not a person row (migration 0009 gives it no row-level security), so this runs alike on
SQLite and PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BACKFILL = """
UPDATE account SET password_set_by = (
    SELECT a.actor FROM audit_event a
    WHERE a.action = 'account-added' AND a.account_id = account.id
    ORDER BY a.id LIMIT 1
)
WHERE is_owner = :no AND EXISTS (
    SELECT 1 FROM audit_event a
    WHERE a.action = 'account-added' AND a.account_id = account.id AND a.actor <> account.email
)
"""


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("password_set_by", sa.String(length=254), nullable=True))
    op.get_bind().execute(sa.text(BACKFILL), {"no": False})


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("password_set_by")
