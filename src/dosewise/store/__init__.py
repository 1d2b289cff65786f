"""Storage: SQLAlchemy tables, the engine (SQLite pragmas), Alembic migrations."""
