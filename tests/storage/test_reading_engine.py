"""A use case that only reads goes through `Services.read`: on a SQLite file it runs on the
event loop, so it must never wait for a writer, and on every database it cannot write."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from bot.services.container import Services
from bot.storage.models import School


def _school_names(services: Services) -> list[str]:
    with services.session() as session:
        return list(session.exec(select(School.name).order_by(col(School.id))))


def _rename_first_school(services: Services) -> None:
    with services.session() as session:
        session.execute(text("UPDATE school SET name = 'Elders' WHERE id = 1"))


async def test_a_read_does_not_wait_for_a_writer_and_runs_on_the_loop_only_on_sqlite(
    services: Services, orgs: Session
) -> None:
    names = _school_names(services)
    ran_in: list[threading.Thread] = []

    def read(reader: Services) -> list[str]:
        ran_in.append(threading.current_thread())
        return _school_names(reader)

    # Another unit of work has written and not committed: it holds the write lock.
    with services.engine.connect() as writer:
        writer.execute(text("UPDATE school SET name = 'Half' WHERE id = 1"))
        assert await services.read(read) == names  # what was committed, without waiting
        writer.rollback()
    on_loop = services.engine.dialect.name == "sqlite"
    assert (ran_in == [threading.main_thread()]) is on_loop


async def test_a_read_cannot_write(services: Services, orgs: Session) -> None:
    names = _school_names(services)
    with pytest.raises(DBAPIError, match=r"(?i)read-?only"):
        await services.read(_rename_first_school)
    assert _school_names(services) == names
    _rename_first_school(services)  # the services' own connections still write
    assert _school_names(services)[0] == "Elders"
