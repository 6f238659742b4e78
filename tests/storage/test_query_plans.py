"""A pupil named in chat is found through its keyed name token, for every role, on a database
of 100,000 pupils: never by reading a whole school or SWV. Without the planner's statistics
SQLite took `ix_pupil_swv_id` (13–24 ms a lookup at this size, growing with the SWV); with
them, the token index (0.1 ms). The bot refreshes them at every start on SQLite
(`upgrade_database`), after the start's plan and daily."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.services.pupil_search import find_pupils
from bot.storage.db import refresh_statistics, upgrade_database
from bot.storage.models import Bestuur, Gemeente, Pupil, Role, School, Swv, User

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


@pytest.fixture
def big(engine: Engine) -> Engine:
    _fill(engine)
    upgrade_database(engine)  # as at every start: nothing to migrate (SQLite: statistics)
    if engine.dialect.name != "sqlite":
        refresh_statistics(engine)  # as after the start's plan
    return engine


def _plans(engine: Engine, user: User, name: str) -> list[str]:
    """The query plans of the statements `find_pupils` runs for `name`."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM pupil" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with Session(engine) as session:
            find_pupils(session=session, user=user, name=name)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    plans = []
    with engine.connect() as connection:
        for statement, parameters in statements:
            rows = connection.exec_driver_sql(explain + statement, parameters).all()
            plans.append(" | ".join(str(row[-1] if len(row) > 1 else row[0]) for row in rows))
    return plans


def test_a_name_is_found_through_its_token_for_every_role(big: Engine) -> None:
    for role, organisation in USERS.items():
        user = User(id=1, telegram_id=1, role=role.value, swv_id=1, active=True,
                    created_at=datetime.now(UTC), **organisation)  # fmt: skip
        for name in ("Sanne", "Sanne de Vries", "S.V.", "S.V. #12"):
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
