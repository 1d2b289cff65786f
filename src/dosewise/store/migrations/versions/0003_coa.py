"""Certificates of analysis: one row per COA (lab, batch, date, unit, density, panels) and one per analyte;
products keep the measured content (mg per basis) next to the label's.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("product", sa.Column("measured_thc_mg", sa.Float(), nullable=True))
    op.add_column("product", sa.Column("measured_cbd_mg", sa.Float(), nullable=True))
    # products marked 'measured' before COAs were stored keep their content as the measured content
    op.execute(
        "UPDATE product SET measured_thc_mg = thc_mg, measured_cbd_mg = cbd_mg WHERE potency_source = 'measured'"
    )
    op.create_table(
        "coa",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lab", sa.String(length=120), nullable=False),
        sa.Column("accredited", sa.Boolean(), nullable=True),
        sa.Column("batch", sa.String(length=60), nullable=True),
        sa.Column("tested_on", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("density_g_ml", sa.Float(), nullable=True),
        sa.Column("panels", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coa_person_id", "coa", ["person_id"])
    op.create_index("ix_coa_product_id", "coa", ["product_id"])
    op.create_table(
        "coa_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coa_id", sa.Integer(), nullable=False),
        sa.Column("analyte", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("qualifier", sa.String(length=10), nullable=True),
        sa.Column("loq", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["coa_id"], ["coa.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coa_result_coa_id", "coa_result", ["coa_id"])


def downgrade() -> None:
    op.drop_table("coa_result")
    op.drop_table("coa")
    with op.batch_alter_table("product") as batch:
        batch.drop_column("measured_cbd_mg")
        batch.drop_column("measured_thc_mg")
