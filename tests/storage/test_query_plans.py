"""A pupil named in chat is found through its keyed name token, for every role, on a database
of 100,000 pupils: never by reading a whole school or SWV — with the planner's statistics and
without them. Before migration 0012 SQLite without statistics took `ix_pupil_swv_id` (13–24 ms
a lookup at this size, growing with the SWV), and with skewed ones it did still for an SWV
user: a lookup asked for two token columns at once (OR) in the order of the pupils' ids. Now
each statement asks one token column, unordered, served by an index on (token, SWV, school).
The bot also refreshes the statistics at every start on SQLite (`upgrade_database`), after the
start's plan and daily. And delivery finds the due nudges by status and time, not by reading
every planned one."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.reminders.queue import Claimed, claim_due
from bot.services.container import Services
from bot.services.pupil_search import find_pupils
from bot.storage.db import refresh_statistics, upgrade_database
from bot.storage.models import (
    Bestuur,
    DeadlineRow,
    Gemeente,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Pupil,
    Role,
    School,
    Swv,
    User,
)
from tests.utils.statements import statements_on

PUPILS = 100_000
SCHOOLS = 300


def _fill(engine: Engine) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(Swv(id=1, name="SWV", registered_on=date(2026, 8, 1)))
        session.flush()
        session.add(Gemeente(id=1, name="Gemeente", swv_id=1, registered_on=date(2026, 8, 1)))
        session.add(Bestuur(id=1, name="Bestuur", swv_id=1, registered_on=date(2026, 8, 1)))
        session.flush()
        session.execute(insert(School.__table__), [  # type: ignore[arg-type]
            {"id": n + 1, "brin": f"B{n:05d}", "name": f"School {n}", "onderwijssoort": "PO",
             "regio": "midden", "bestuur_id": 1, "registered_on": date(2026, 8, 1)}
            for n in range(SCHOOLS)
        ])  # fmt: skip
        # The tokens are opaque: what counts for the planner is how many pupils share one
        # (a first name is common, a full name nearly unique, initials shared by many).
        session.execute(insert(Pupil.__table__), [  # type: ignore[arg-type]
            {"id": n + 1, "leerling_id": f"L{n}", "first_name": "X", "last_name": "Y",
             "swv_id": 1, "gemeente_id": 1, "school_id": n % SCHOOLS + 1, "created_at": now,
             "updated_at": now, "token_first": f"{n % 3000:032x}",
             "token_full": secrets.token_hex(16), "token_short": secrets.token_hex(16),
             "token_initials": f"{n % 600:032x}"}
            for n in range(PUPILS)
        ])  # fmt: skip
        session.commit()


USERS = {
    Role.ZORGCOORDINATOR: {"school_id": 5},
    Role.BOC: {"bestuur_id": 1},
    Role.SWV: {},
    Role.ADMIN: {},
    Role.LEERPLICHT: {"gemeente_id": 1},
}


@pytest.fixture(params=["statistics", "none"])
def big(engine: Engine, request: pytest.FixtureRequest) -> Engine:
    _fill(engine)
    if request.param == "statistics":
        upgrade_database(engine)  # as at every start: nothing to migrate (SQLite: statistics)
        if engine.dialect.name != "sqlite":
            refresh_statistics(engine)  # as after the start's plan
    elif engine.dialect.name == "sqlite":
        # As before a first start refreshed them: none of the rows are in the statistics.
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
            connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat4")
        engine.dispose()
    return engine


def _plans_of(engine: Engine, run: Callable[[], object], table: str) -> list[str]:
    """The query plans of the statements on `table` that `run` makes the database run."""
    with statements_on(engine, table) as statements:
        run()
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    plans = []
    with engine.connect() as connection:
        for statement, parameters in statements:
            rows = connection.exec_driver_sql(explain + statement, parameters).all()
            plans.append(" | ".join(str(row[-1] if len(row) > 1 else row[0]) for row in rows))
    return plans


def _plans(engine: Engine, user: User, name: str) -> list[str]:
    """The query plans of the statements `find_pupils` runs for `name`."""

    def run() -> None:
        with Session(engine) as session:
            find_pupils(session=session, user=user, name=name)

    return _plans_of(engine, run, "pupil")


def test_a_name_is_found_through_its_token_for_every_role(big: Engine) -> None:
    for role, organisation in USERS.items():
        user = User(id=1, telegram_id=1, role=role.value, swv_id=1, active=True,
                    created_at=datetime.now(UTC), **organisation)  # fmt: skip
        for name in ("Sanne", "Sanne de Vries", "Sanne V.", "S.V.", "S.V. #12", "Jan Willem"):
            plans = _plans(big, user, name)
            assert plans, name
            for plan in plans:
                # The pupil table is entered through a token index (or the case's number), not
                # through the school or SWV index.
                entered = ("ix_pupil_token_", "pupil_pkey", "PRIMARY KEY")
                assert any(way in plan for way in entered), (role, name, plan)
                assert "Seq Scan on pupil" not in plan, (role, name, plan)
                if big.dialect.name == "sqlite":
                    # One index per table: the token's, not the organisation's. (PostgreSQL
                    # may AND the token's index with the school's: that reads no more.)
                    assert "ix_pupil_swv_id" not in plan, (role, name, plan)
                    assert "ix_pupil_school_id" not in plan, (role, name, plan)


NUDGES = 40_000


@pytest.fixture(params=["statistics", "none"])
def many_nudges(engine: Engine, request: pytest.FixtureRequest) -> Engine:
    """40,000 nudges of one deadline: half sent in the past, half planned for the coming days."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(Swv(id=1, name="SWV", registered_on=date(2026, 8, 1)))
        session.flush()
        session.add(User(id=1, telegram_id=1, role=Role.SWV.value, swv_id=1, active=True,
                         created_at=now))  # fmt: skip
        session.add(DeadlineRow(id=1, identity="swv:1:X:2026-12-07", swv_id=1, org_kind="swv",
                                org_id=1, rule="X", due=now.date(), trigger_day=now.date(),
                                created_at=now, updated_at=now))  # fmt: skip
        session.flush()
        session.execute(insert(Nudge.__table__), [  # type: ignore[arg-type]
            {"id": n + 1, "key": f"k{n}", "deadline_id": 1, "user_id": 1,
             "kind": NudgeKind.DUE.value, "attempts": 0, "late": False, "created_at": now,
             "status": (NudgeStatus.SENT if n % 2 else NudgeStatus.PLANNED).value,
             "planned_at": now + timedelta(minutes=(n - NUDGES / 2 if n % 2 else n + 10))}
            for n in range(NUDGES)
        ])  # fmt: skip
        session.commit()
    if request.param == "statistics":
        refresh_statistics(engine)
    return engine


def test_delivery_reads_the_due_nudges_by_status_and_time(
    many_nudges: Engine, services: Services
) -> None:
    claimed: list[Claimed] = []
    plans = _plans_of(
        many_nudges, lambda: claimed.append(claim_due(services, datetime.now(UTC), 100)), "nudge"
    )
    per_user, _, _ = claimed[0]
    assert per_user == {}  # none due: the planned ones are all in the future
    [plan] = plans  # one statement reads the nudge table: the due ones, oldest first

    assert "Seq Scan on nudge" not in plan, plan
    if many_nudges.dialect.name == "sqlite":
        assert "ix_nudge_status_planned_at (status=? AND planned_at<?)" in plan, plan
