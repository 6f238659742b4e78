"""Column types shared by the tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.storage import crypto


class AwareDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every database.

    SQLite has no time zone type and hands back naive values; this type makes both databases
    behave alike: naive datetimes are refused on the way in, UTC-aware ones come back out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EnumText(TypeDecorator[StrEnum]):
    """A `StrEnum` member stored as its value in a VARCHAR, and read back as the member.

    No database enum type, so adding a value needs no migration; a value outside the enum is
    refused on the way in rather than stored.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(self.enum(value).value)

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


class _Sealed(TypeDecorator[Any]):
    """A personal value stored encrypted (bot.storage.crypto); the column holds only bytes.

    `context` names the column and is bound into the ciphertext. Such a column cannot be
    compared or sorted in SQL: search goes through keyed tokens instead.
    """

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def encode(self, value: Any) -> bytes:
        """The plaintext bytes of a value (subclasses: text, dates; here: bytes as they are)."""
        return bytes(value)

    def decode(self, raw: bytes) -> Any:
        """The value from its plaintext bytes."""
        return raw

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return crypto.active().seal(self.encode(value), self.context)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.decode(crypto.active().open(bytes(value), self.context))


class SealedText(_Sealed):
    """Encrypted text (names, notes)."""

    cache_ok = True

    def encode(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def decode(self, raw: bytes) -> str:
        return raw.decode("utf-8")


class SealedDate(_Sealed):
    """An encrypted date (date of birth)."""

    cache_ok = True

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, date):
            raise TypeError("a date is expected")
        return value.isoformat().encode("ascii")

    def decode(self, raw: bytes) -> date:
        return date.fromisoformat(raw.decode("ascii"))


class SealedBytes(_Sealed):
    """Encrypted file content."""

    cache_ok = True
