"""The tables. Enumerated values are stored as short strings and validated in Python, so that
adding a value never needs a database enum migration."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import AwareDateTime


class Role(StrEnum):
    """What a user does; decides what they may see and which nudges they get."""

    ZORGCOORDINATOR = "zorgcoordinator"
    BOC = "boc"
    LEERPLICHT = "leerplicht"
    SWV = "swv"
    ADMIN = "admin"


class SchoolType(StrEnum):
    """Onderwijssoort of a school."""

    PO = "PO"
    SO = "SO"
    SBO = "SBO"
    VO = "VO"
    VSO = "VSO"


class Region(StrEnum):
    """School holiday region (the advisory regions of the Ministry of OCW)."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class OrgKind(StrEnum):
    """The organisations an invitation or a user can belong to."""

    SWV = "swv"
    BESTUUR = "bestuur"
    SCHOOL = "school"
    GEMEENTE = "gemeente"


# Which organisation a role belongs to.
ROLE_ORG_KIND: dict[Role, OrgKind] = {
    Role.ZORGCOORDINATOR: OrgKind.SCHOOL,
    Role.BOC: OrgKind.BESTUUR,
    Role.LEERPLICHT: OrgKind.GEMEENTE,
    Role.SWV: OrgKind.SWV,
    Role.ADMIN: OrgKind.SWV,
}


class Swv(SQLModel, table=True):
    """A samenwerkingsverband: the top of the organisation tree and the boundary of all data."""

    __tablename__ = "swv"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    registered_on: date


class Bestuur(SQLModel, table=True):
    """A school board within an SWV."""

    __tablename__ = "bestuur"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    registered_on: date


class School(SQLModel, table=True):
    """A school (BRIN), run by a board; its region decides its school holidays."""

    __tablename__ = "school"

    id: int | None = Field(default=None, primary_key=True)
    brin: str = Field(max_length=6, unique=True)
    name: str = Field(max_length=200)
    onderwijssoort: str = Field(max_length=3)
    regio: str = Field(max_length=6)
    bestuur_id: int = Field(foreign_key="bestuur.id", index=True)
    registered_on: date


class Gemeente(SQLModel, table=True):
    """A municipality; its leerplicht officers see pupils living there."""

    __tablename__ = "gemeente"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    registered_on: date


class User(SQLModel, table=True):
    """A Telegram user who redeemed an invitation."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    role: str = Field(max_length=20)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    bestuur_id: int | None = Field(default=None, foreign_key="bestuur.id")
    school_id: int | None = Field(default=None, foreign_key="school.id")
    gemeente_id: int | None = Field(default=None, foreign_key="gemeente.id")
    language: str = Field(default="nl", max_length=5)
    work_start: time = Field(default=time(8, 0))
    work_end: time = Field(default=time(18, 0))
    active: bool = Field(default=True)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class Invitation(SQLModel, table=True):
    """A one-time code that lets one Telegram user in with a role and an organisation.

    Only a hash of the code is stored: a copy of the database does not let anyone in.
    """

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("code_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64)
    role: str = Field(max_length=20)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    bestuur_id: int | None = Field(default=None, foreign_key="bestuur.id")
    school_id: int | None = Field(default=None, foreign_key="school.id")
    gemeente_id: int | None = Field(default=None, foreign_key="gemeente.id")
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime(), nullable=True))
    used_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
