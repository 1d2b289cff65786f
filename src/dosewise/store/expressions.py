"""SQL expressions that differ by database, compiled for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class epoch_seconds(FunctionElement[float]):  # reads like a SQL function
    """Seconds since 1970-01-01 UTC of a stored UTC time, as a float (millisecond precision on SQLite).

    Reading numbers instead of datetime objects lets the analysis load two years of ratings without
    building (and time-zone-converting) a Python object per row.
    """

    type = Float()
    inherit_cache = True

    def __init__(self, column: ColumnElement[Any] | Any) -> None:
        super().__init__(column)


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    # times are stored as naive UTC text; julianday() counts days from noon, 24 Nov 4714 BC
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS DOUBLE PRECISION)"
