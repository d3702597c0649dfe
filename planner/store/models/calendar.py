"""The library's own closed days (national holidays come from the `holidays` package)."""

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

REASON_LENGTH = 200


class ClosedDay(SQLModel, table=True):
    """A day the mobile library does not run (stocktaking, a local event), besides holidays."""

    __table_args__ = (UniqueConstraint("region_id", "date", name="uq_closedday_region_date"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    date: dt.date
    reason: str = Field(max_length=REASON_LENGTH)
