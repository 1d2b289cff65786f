"""Products keep their label as entered (texts, claim, density, batch, label mg); doses say where their mg came from.

Existing rows lose nothing: a product's current content becomes its label content when it came from the
label, and each dose takes its product's potency source.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TEXTS = ("thc_label", "cbd_label", "thca_label", "cbda_label")


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy): SQLite would refuse to drop 'product' while doses point at it
    for name in _TEXTS:
        op.add_column("product", sa.Column(name, sa.String(length=80), nullable=True))
    op.add_column("product", sa.Column("spectrum", sa.String(length=20), nullable=True))
    op.add_column("product", sa.Column("density_g_ml", sa.Float(), nullable=True))
    op.add_column("product", sa.Column("label_thc_mg", sa.Float(), nullable=True))
    op.add_column("product", sa.Column("label_cbd_mg", sa.Float(), nullable=True))
    op.add_column("product", sa.Column("thc_maximum", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("product", sa.Column("batch", sa.String(length=60), nullable=True))
    op.add_column("dose", sa.Column("mg_source", sa.String(length=20), nullable=False, server_default="label"))
    op.execute(
        "UPDATE product SET label_thc_mg = thc_mg, label_cbd_mg = cbd_mg WHERE potency_source = 'label'"
    )
    op.execute(
        "UPDATE dose SET mg_source = (SELECT product.potency_source FROM product WHERE product.id = dose.product_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("dose") as batch:
        batch.drop_column("mg_source")
    with op.batch_alter_table("product") as batch:
        for name in (*_TEXTS, "spectrum", "density_g_ml", "label_thc_mg", "label_cbd_mg", "thc_maximum", "batch"):
            batch.drop_column(name)
