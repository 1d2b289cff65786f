"""Alembic environment: runs against the engine handed over by dosewise.store.db."""

from alembic import context
from sqlalchemy import text

from dosewise.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Migrations span people: past row-level security (migration 0009) for this transaction only.
            connection.execute(text("SELECT set_config('app.all_people', 'on', true)"))
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=connection.dialect.name == "sqlite"
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
