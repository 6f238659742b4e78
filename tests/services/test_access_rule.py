"""Property: one access rule. On random worlds — users of every role with consistent and
inconsistent memberships, active or not; pupils in either SWV, with or without school, gemeente,
case, exemption and links — the rule on facts (`may_see`, which chooses nudge recipients) keeps
exactly the pupils the database filter (`visible_pupils`, which every read uses) keeps, and every
planned nudge about a pupil goes to someone who may see that pupil."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from bot.protocol.rules import CATALOGUE_ORDER
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.nudges import pupil_facts, recipient_index
from bot.reminders.planner import plan_nudges
from bot.services.access import PupilFacts, may_see, visible_pupils
from bot.storage.models import (
    Case,
    DeadlineRow,
    Exemption,
    LeerplichtLink,
    Nudge,
    Pupil,
    Role,
    User,
)
from tests.utils.factories import NOW

TZ = ZoneInfo("Europe/Amsterdam")
# The standard organisations (tests/utils/factories.py): SWV 1 has boards 1 and 2, gemeenten 1
# and 2 and schools 1–3; SWV 2 has board 3, gemeente 3 and school 4.
Row = dict[str, Any]
SWVS, SCHOOLS, BOARDS, GEMEENTEN = [1, 2], [1, 2, 3, 4], [1, 2, 3], [1, 2, 3]


def _maybe(values: list[int]) -> st.SearchStrategy[int | None]:
    return st.none() | st.sampled_from(values)


users = st.lists(
    st.fixed_dictionaries({
        "role": st.sampled_from([r.value for r in Role]),
        "swv_id": st.sampled_from(SWVS),
        "school_id": _maybe(SCHOOLS),
        "bestuur_id": _maybe(BOARDS),
        "gemeente_id": _maybe(GEMEENTEN),
        "active": st.booleans(),
    }),
    min_size=1,
    max_size=8,
)  # fmt: skip
pupils = st.lists(
    st.fixed_dictionaries({
        "swv_id": st.sampled_from(SWVS),
        "school_id": _maybe(SCHOOLS),
        "gemeente_id": _maybe(GEMEENTEN),
        "category": st.none() | st.sampled_from(["A1", "A2", "B1", "B2"]),
        "exempt": st.booleans(),
        "linked": st.sets(st.integers(0, 7), max_size=3),
        "rule": st.sampled_from([spec.rule.value for spec in CATALOGUE_ORDER if spec.pupil]),
    }),
    min_size=1,
    max_size=8,
)  # fmt: skip


def _world(session: Session, user_rows: list[Row], pupil_rows: list[Row]) -> None:
    people = [
        User(telegram_id=50_000 + n, created_at=NOW, **row) for n, row in enumerate(user_rows)
    ]
    session.add_all(people)
    session.flush()
    for n, row in enumerate(pupil_rows):
        pupil = Pupil(leerling_id=f"P{n}", first_name="Test", last_name="Leerling", created_at=NOW,
                      updated_at=NOW,
                      swv_id=row["swv_id"], school_id=row["school_id"],
                      gemeente_id=row["gemeente_id"])  # fmt: skip
        session.add(pupil)
        session.flush()
        assert pupil.id is not None
        if row["category"]:
            session.add(Case(pupil_id=pupil.id, category=row["category"], start_date=NOW.date(),
                             created_at=NOW))  # fmt: skip
        if row["exempt"]:
            session.add(Exemption(pupil_id=pupil.id, article="5a", start_date=NOW.date(),
                                  created_at=NOW))  # fmt: skip
        for index in row["linked"]:
            if index < len(people):
                session.add(LeerplichtLink(pupil_id=pupil.id, user_id=people[index].id,
                                           created_at=NOW))  # fmt: skip
        session.add(DeadlineRow(
            identity=f"p{pupil.id}:{row['rule']}:x", swv_id=row["swv_id"], pupil_id=pupil.id,
            rule=row["rule"], due=NOW.date() + timedelta(days=7), trigger_day=NOW.date(),
            created_at=NOW, updated_at=NOW,
        ))  # fmt: skip
    session.flush()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(user_rows=users, pupil_rows=pupils)
def test_reading_and_nudging_follow_one_access_rule(
    orgs: Session, user_rows: list[Row], pupil_rows: list[Row]
) -> None:
    session = orgs
    try:
        _world(session, user_rows, pupil_rows)
        everyone = session.exec(select(User)).all()
        all_pupils = [p.id for p in session.exec(select(Pupil)) if p.id is not None]
        deadlines = session.exec(select(DeadlineRow)).all()
        full, scoped = recipient_index(session), recipient_index(session, deadlines)
        for user in everyone:
            by_database = set(session.exec(select(Pupil.id).where(visible_pupils(user))))
            by_facts = {p for p in all_pupils if may_see(user, pupil_facts(p, full))}
            assert by_facts == by_database, (user.role, user_rows, pupil_rows)
            by_scoped = {p for p in all_pupils if may_see(user, pupil_facts(p, scoped))}
            assert by_scoped == by_database

        plan_nudges(
            session=session,
            now=NOW,
            tz=TZ,
            settings=PROTOCOL,
            deadline_ids=[d.id for d in deadlines if d.id],
        )
        for nudge in session.exec(select(Nudge)):
            deadline = session.get(DeadlineRow, nudge.deadline_id)
            user = session.get(User, nudge.user_id)
            assert deadline is not None
            assert user is not None
            visible = session.exec(
                select(Pupil.id).where(col(Pupil.id) == deadline.pupil_id, visible_pupils(user))
            ).first()
            assert visible is not None, (deadline.rule, user.role)
    finally:
        session.rollback()


def test_the_property_sees_a_nudge_to_someone_who_may_not_see() -> None:
    # The check above compares two forms of the rule; here each form tells the cases apart.
    school = User(telegram_id=1, role="zorgcoordinator", swv_id=1, school_id=1, created_at=NOW)
    officer = User(id=7, telegram_id=2, role="leerplicht", swv_id=1, gemeente_id=1, created_at=NOW)
    assert may_see(school, PupilFacts(swv_id=1, school_id=1))
    assert not may_see(school, PupilFacts(swv_id=2, school_id=1))  # another SWV's pupil
    assert not may_see(officer, PupilFacts(swv_id=1, gemeente_id=1))  # not leerplicht's own
    assert may_see(officer, PupilFacts(swv_id=1, gemeente_id=1, leerplicht_own=True))
    assert may_see(officer, PupilFacts(swv_id=1, linked=frozenset({7})))
    school.active = False
    assert not may_see(school, PupilFacts(swv_id=1, school_id=1))
