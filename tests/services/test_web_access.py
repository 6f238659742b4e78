"""The checks at the web pages' door: a Mini App's initData, the one-time sign-in links and the
sessions they open."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.services import privacy
from bot.services.container import Services
from bot.services.identity import mini_app_caller
from bot.services.web_access import (
    InitDataRefused,
    WebSessions,
    init_data_user,
    sign_init_data,
)
from bot.services.web_state import DatabaseSessions
from bot.storage.models import Pupil, Role, User
from tests.utils import factories

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)
TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz012345678"
OTHER_TOKEN = "987654321:AAEabcdefghijklmnopqrstuvwxyz012345678"


def _init_data(user_id: int = 4242, *, signed_at: datetime = NOW, token: str = TOKEN) -> str:
    return sign_init_data(
        {
            "auth_date": str(int(signed_at.timestamp())),
            "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
            "user": json.dumps({"id": user_id, "first_name": "Zoë"}),
        },
        bot_token=token,
    )


def test_valid_init_data_gives_its_user() -> None:
    assert init_data_user(_init_data(), bot_token=TOKEN, now=NOW) == 4242
    # Up to an hour old.
    assert init_data_user(_init_data(), bot_token=TOKEN, now=NOW + timedelta(minutes=60)) == 4242


@pytest.mark.parametrize(
    ("case", "init_data", "reason"),
    [
        ("forged hash", _init_data()[:-4] + "0000", "hash"),
        ("another user put in", _init_data().replace("4242", "4243"), "hash"),
        ("other bot's token", _init_data(token=OTHER_TOKEN), "hash"),
        ("older than an hour", _init_data(signed_at=NOW - timedelta(minutes=61)), "expired"),
        ("from the future", _init_data(signed_at=NOW + timedelta(minutes=10)), "expired"),
        ("no hash", "auth_date=1&user=%7B%22id%22%3A1%7D", "hash"),
        ("not a query string", "%%%", "malformed"),
        ("10 kB", "a=" + "x" * 10_000, "too_long"),
    ],
)
def test_init_data_is_refused(case: str, init_data: str, reason: str) -> None:
    with pytest.raises(InitDataRefused) as refused:
        init_data_user(init_data, bot_token=TOKEN, now=NOW)
    assert refused.value.args == (reason,), case


def test_a_replayed_init_data_of_a_revoked_user_opens_nothing(
    services: Services, session: Session, orgs: Session
) -> None:
    user = User(telegram_id=555001, role=Role.SWV, swv_id=1, created_at=factories.NOW)
    session.add(user)
    session.commit()
    token = services.settings.require_token()
    signed = _init_data(555001, signed_at=services.clock.now(), token=token)
    assert mini_app_caller(services, signed) is not None
    revoked = session.get(User, user.id)
    assert revoked is not None
    revoked.active = False
    session.add(revoked)
    session.commit()
    assert mini_app_caller(services, signed) is None
    # Unknown to the bot: nothing either.
    assert mini_app_caller(services, _init_data(1, signed_at=services.clock.now(),
                                                    token=token)) is None  # fmt: skip


def _granted(user_id: int) -> int | None:
    """Every user still has the access they had (generation 0)."""
    return 0


def _sessions(services: Services, *, idle: timedelta = timedelta(minutes=30)) -> WebSessions:
    """Links and sessions in the test's database, as the bot keeps them."""
    return WebSessions(DatabaseSessions(services.session), idle=idle)


def test_a_sign_in_link_opens_one_session_once_within_ten_minutes(services: Services) -> None:
    sessions = _sessions(services)
    token = sessions.new_link(7, now=NOW)
    opened = sessions.redeem(token, now=NOW + timedelta(minutes=9), current=_granted)
    assert opened is not None
    assert opened[1].user_id == 7
    assert sessions.redeem(token, now=NOW + timedelta(minutes=9), current=_granted) is None
    late = sessions.new_link(7, now=NOW)
    expired = NOW + timedelta(minutes=10, seconds=1)
    assert sessions.redeem(late, now=expired, current=_granted) is None
    assert sessions.redeem("made-up", now=NOW, current=_granted) is None


def test_a_session_ends_after_its_idle_time_and_on_sign_out(services: Services) -> None:
    sessions = _sessions(services, idle=timedelta(minutes=30))
    session_id, session = sessions.open(7, now=NOW)
    # Each use by a user who still has access keeps it alive.
    assert sessions.get(session_id, now=NOW + timedelta(minutes=29)) is session
    sessions.keep(session, now=NOW + timedelta(minutes=29))
    assert sessions.get(session_id, now=NOW + timedelta(minutes=58)) is session
    sessions.keep(session, now=NOW + timedelta(minutes=58))
    assert sessions.get(session_id, now=NOW + timedelta(minutes=89)) is None
    other_id, _ = sessions.open(8, now=NOW)
    sessions.close(other_id)
    assert sessions.get(other_id, now=NOW) is None
    third, _ = sessions.open(9, now=NOW)
    sessions.close_user(9)
    assert sessions.get(third, now=NOW) is None


def test_a_link_from_before_a_change_of_access_opens_nothing(services: Services) -> None:
    sessions = _sessions(services)
    revoked = sessions.new_link(7, now=NOW, generation=0)
    assert sessions.redeem(revoked, now=NOW, current=lambda user_id: None) is None
    regranted = sessions.new_link(7, now=NOW, generation=0)
    assert sessions.redeem(regranted, now=NOW, current=lambda user_id: 1) is None
    current = sessions.new_link(7, now=NOW, generation=1)
    opened = sessions.redeem(current, now=NOW, current=lambda user_id: 1)
    assert opened is not None
    assert opened[1].generation == 1


def test_one_user_opening_many_sessions_replaces_only_their_own(services: Services) -> None:
    sessions = _sessions(services)
    other_id, _ = sessions.open(8, now=NOW)
    mine = [sessions.open(7, now=NOW + timedelta(milliseconds=n))[0] for n in range(12)]
    assert sessions.get(other_id, now=NOW + timedelta(minutes=1)) is not None
    alive = [s for s in mine if sessions.get(s, now=NOW + timedelta(minutes=1)) is not None]
    assert alive == mine[-5:]  # the newest five


def _stored(services: Services, table: str) -> list[bytes]:
    """Every row of `table` as the database holds it (sealed columns still sealed)."""
    with services.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT * FROM {table}").all()
    return [b"|".join(v if isinstance(v, bytes) else str(v).encode() for v in r) for r in rows]


def test_links_and_sessions_outlive_the_process_that_made_them(services: Services) -> None:
    first = _sessions(services)
    link = first.new_link(7, now=NOW)
    session_id, session = first.open(8, now=NOW)
    session.kept["pending"] = {"a1b2": "Sanne 2 uur ongeoorloofd"}
    first.remember(session)

    second = _sessions(services)  # another process: a restart, or the standby taking over
    found = second.get(session_id, now=NOW + timedelta(minutes=29))
    assert found is not None
    assert found is not session
    assert (found.user_id, found.csrf, found.generation) == (8, session.csrf, 0)
    assert found.kept == {"pending": {"a1b2": "Sanne 2 uur ongeoorloofd"}}
    opened = second.redeem(link, now=NOW + timedelta(minutes=1), current=_granted)
    assert opened is not None
    assert opened[1].user_id == 7
    # Used once, whichever process is asked.
    assert first.redeem(link, now=NOW + timedelta(minutes=1), current=_granted) is None
    # The database holds digests of the secrets and sealed values only.
    stored = b" ".join(_stored(services, "web_session") + _stored(services, "web_link"))
    for secret in (session_id, opened[0], link, session.csrf, "Sanne"):
        assert secret.encode() not in stored


def test_a_sessions_last_use_is_written_at_most_once_a_minute(services: Services) -> None:
    sessions = _sessions(services, idle=timedelta(minutes=30))
    session_id, session = sessions.open(8, now=NOW)
    sessions.keep(session, now=NOW + timedelta(seconds=59))
    after_restart = _sessions(services, idle=timedelta(minutes=30))
    # The use 59 s in was not written: after a restart the session ends up to a minute early.
    assert after_restart.get(session_id, now=NOW + timedelta(minutes=30, seconds=30)) is None
    session_id, session = sessions.open(8, now=NOW)
    sessions.keep(session, now=NOW + timedelta(minutes=1))
    after_restart = _sessions(services, idle=timedelta(minutes=30))
    assert after_restart.get(session_id, now=NOW + timedelta(minutes=30, seconds=30)) is not None


def test_withdrawn_access_and_old_sessions_leave_no_rows(services: Services) -> None:
    sessions = _sessions(services, idle=timedelta(minutes=30))
    sessions.new_link(7, now=NOW)
    sessions.open(7, now=NOW)
    kept_id, _ = sessions.open(8, now=NOW + timedelta(minutes=10))
    sessions.close_user(7)
    assert len(_stored(services, "web_session")) == 1
    assert _stored(services, "web_link") == []
    sessions.new_link(8, now=NOW + timedelta(minutes=10))
    # Old links and unused sessions are swept when the next ones are made.
    sessions.new_link(9, now=NOW + timedelta(minutes=45))
    assert _stored(services, "web_session") == []
    assert len(_stored(services, "web_link")) == 1
    assert sessions.get(kept_id, now=NOW + timedelta(minutes=45)) is None


def test_forgetting_a_pupil_clears_what_every_web_session_kept(
    services: Services, registry: Session
) -> None:
    sessions = _sessions(services)
    session_id, session = sessions.open(8, now=NOW)
    session.kept["pending"] = {"a1b2": "Sanne 2 uur ongeoorloofd"}
    sessions.remember(session)
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    privacy.forget(registry, sanne, now=NOW)
    registry.commit()
    found = _sessions(services).get(session_id, now=NOW)  # the bot started again
    assert found is not None
    assert found.kept == {}


def test_a_session_alive_in_memory_is_not_swept_from_the_database(services: Services) -> None:
    sessions = _sessions(services, idle=timedelta(minutes=30))
    session_id, session = sessions.open(8, now=NOW)
    sessions.keep(session, now=NOW + timedelta(seconds=59))  # not written: within the minute
    later = NOW + timedelta(minutes=30, seconds=30)
    sessions.new_link(9, now=later)  # the expired links and sessions are swept
    assert sessions.get(session_id, now=later) is session  # 29.5 minutes unused: alive
    sessions.keep(session, now=later)
    # Its row was kept, so its use was written: a restart keeps it signed in.
    assert _sessions(services).get(session_id, now=later + timedelta(minutes=1)) is not None
