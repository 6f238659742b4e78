"""The web list's search: a name is found through its keyed token, reading and opening only the
pupils it names; other text (part of a name, a school) still filters the whole list."""

from __future__ import annotations

from sqlmodel import Session

from bot.services.container import Services
from bot.services.pupil_table import PupilFilter, pupil_table
from bot.storage.models import Role, User
from tests.utils.factories import NOW
from tests.utils.statements import statements_on

# Written from the standard 20 pupils before running: Sanne de Vries is L00000 (and the only
# Sanne); "S.V." is her label's initials; "Vries" is part of a name (a scan); "Baken" a school.
CASES = [
    ("Sanne", ["Sanne de Vries"], True),
    ("sanne de vries", ["Sanne de Vries"], True),
    ("Sanne V.", ["Sanne de Vries"], True),
    ("Vries", ["Sanne de Vries"], False),
]


def _user(session: Session) -> User:
    user = User(telegram_id=1, role=Role.SWV.value, swv_id=1, active=True, created_at=NOW)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def test_a_searched_name_reads_only_the_pupils_it_names(
    registry: Session, services: Services
) -> None:
    user = _user(registry)
    for text, names, by_token in CASES:
        with statements_on(services.engine, "pupil") as read:
            rows, total = pupil_table(services, user=user, wanted=PupilFilter(text=text),
                                      per_page=25)  # fmt: skip
        assert [row.full_name for row in rows] == names, text
        assert total == len(names)
        wheres = [statement.partition("WHERE")[2] for statement, _ in read]
        every_read_by_token = all("token_" in where for where in wheres)
        assert every_read_by_token is by_token, (text, read)


def test_a_school_name_still_finds_its_pupils(registry: Session, services: Services) -> None:
    user = _user(registry)
    rows, total = pupil_table(services, user=user, wanted=PupilFilter(text="Baken"), per_page=25)
    assert total > 1
    assert {row.school for row in rows} == {"Het Baken"}
