"""What every table shares: constraint names, UTC timestamps, JSON and status columns."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import AutoString, Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
STATUS_LENGTH = 16
# The largest id an integer column holds (PostgreSQL's 32-bit integer); beyond it nothing is stored.
MAX_ROW_ID = 2**31 - 1
# A status column's SQL type, given explicitly because SQLModel cannot map a Literal annotation.
STATUS_TYPE = AutoString(length=STATUS_LENGTH)


def utcnow() -> datetime:
    """Current time, timezone-aware in UTC (sqlmodel's UTCDateTime refuses naive values)."""
    return datetime.now(UTC)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint that keeps a column within a list of values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def json_dict() -> Any:
    """A JSON column holding an object, empty by default."""
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def json_list() -> Any:
    """A JSON column holding a list, empty by default."""
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))
