"""row-level security on PostgreSQL: the person scope enforced a second time, by the database

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:50:00

Every person-owned table (``tables.PERSON_OWNED_TABLES``), the ``person`` table itself and the two child
tables without a ``person_id`` (``coa_result`` through ``coa``, ``plan_event`` through ``plan``) get row-level
security, ENABLEd and FORCEd (so the table owner is held to it too). One policy per table lets a row through
when the transaction acts for its person (``SET LOCAL app.person_id = N``, set by ``store/scope.py`` at the
start of every transaction of a scoped ``Database``) or when the transaction explicitly spans people
(``app.all_people = on``: ``Database.for_everyone()``, migrations). With neither set, nothing is visible and
nothing can be written (fail closed).

Superusers and roles with BYPASSRLS are not held to any policy: the app must connect as an ordinary role
(``dosewise serve`` warns when it does not). SQLite has no row-level security: this migration does nothing
there (the application-level scope in ``store/scope.py`` is the only wall).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

POLICY = "dosewise_person_scope"
EVERYONE = "current_setting('app.all_people', true) = 'on'"
SCOPED = "NULLIF(current_setting('app.person_id', true), '')::integer"

# table -> the condition that ties a row to the scoped person (the tables as they are at this revision).
OWNED_BY = {
    "person": f"id = {SCOPED}",
    **{
        name: f"person_id = {SCOPED}"
        for name in (
            "diagnosis",
            "medicine",
            "product",
            "coa",
            "dose",
            "rating",
            "side_effect",
            "note",
            "symptom",
            "measurement",
            "assessment",
            "plan",
            "trial",
            "alert",
            "reminder_state",
            "dose_ceiling",
        )
    },
    # Child rows without person_id: visible exactly when their parent row is (the sub-select is itself
    # filtered by the parent's policy).
    "coa_result": "EXISTS (SELECT 1 FROM coa WHERE coa.id = coa_result.coa_id)",
    "plan_event": "EXISTS (SELECT 1 FROM plan WHERE plan.id = plan_event.plan_id)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, mine in OWNED_BY.items():
        rule = f"({EVERYONE}) OR ({mine})"
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        op.execute(f'CREATE POLICY {POLICY} ON "{table}" USING ({rule}) WITH CHECK ({rule})')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in OWNED_BY:
        op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
