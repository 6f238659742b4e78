"""Finding a pupil by what a user types: the expected pupils written from the names' meaning
before the code ran. Each form is looked up through one token column per statement."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.services.pupil_search import find_pupils
from bot.storage.models import Role, User
from tests.utils import factories
from tests.utils.datasets import standard_pupils
from tests.utils.factories import NOW

NAMES = [
    ("Sanne", "de Vries"),
    ("Sanne", "Bakker"),
    ("Jan Willem", "Smit"),
    ("Bo", "Ĳsselmuiden"),  # the Dutch ligature, one letter that folds to two
]

CASES = [
    ("Sanne", ["Sanne de Vries", "Sanne Bakker"]),
    ("Sanne de Vries", ["Sanne de Vries"]),
    ("sanne  DE vries", ["Sanne de Vries"]),
    ("Sanne V.", ["Sanne de Vries"]),
    ("Sanne B", ["Sanne Bakker"]),
    ("Jan Willem", ["Jan Willem Smit"]),
    ("Jan Willem Smit", ["Jan Willem Smit"]),
    ("Bo IJ", ["Bo Ĳsselmuiden"]),
    ("S.V.", ["Sanne de Vries"]),
    ("Pieter", []),
]


@pytest.fixture
def named(session: Session) -> Session:
    header, first, *_ = standard_pupils(1).splitlines()
    rows = [header]
    for n, (given, family) in enumerate(NAMES):
        fields = first.split(",")
        fields[0], fields[1], fields[2] = f"L9{n:04d}", given, family
        rows.append(",".join(fields))
    factories.registry(session, "\n".join(rows) + "\n")
    return session


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_what_is_typed_finds_these_pupils(named: Session, typed: str, expected: list[str]) -> None:
    staff = User(id=1, telegram_id=1, role=Role.SWV.value, swv_id=1, active=True, created_at=NOW)
    found = find_pupils(session=named, user=staff, name=typed)
    assert [f"{p.first_name} {p.last_name}" for p in found] == expected
