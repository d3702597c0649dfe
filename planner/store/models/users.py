"""Logins and the API tokens they issue."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from planner.store.models.base import one_of, utcnow
from planner.store.vocabulary import ROLES


class User(SQLModel, table=True):
    """A login with one role."""

    __table_args__ = (CheckConstraint(one_of("role", ROLES), name="role"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    full_name: str = Field(default="", max_length=120)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Part of every session id: logging out counts it up, so a copied cookie ends with it.
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class ApiToken(SQLModel, table=True):
    """A personal token for the JSON API; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked: bool = False
