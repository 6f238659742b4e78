"""`key rotate`: everything re-encrypted with the new key, resumably, search working throughout."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.__main__ import main
from bot.services.keys import rotate, sealed_columns
from bot.services.pupil_search import find_pupils
from bot.storage import crypto
from bot.storage.crypto import KeyRing, generate_key
from bot.storage.models import CaseEntry, Pupil, User
from tests.utils.factories import DATA_KEY, NOW


def _blobs(engine: Engine) -> list[bytes]:
    found = []
    with engine.connect() as connection:
        for spec in sealed_columns():
            for name, _ in spec.columns:
                found += [
                    bytes(v)
                    for v in connection.execute(
                        sa.text(f"SELECT {name} FROM {spec.table}")
                    ).scalars()
                    if v is not None
                ]
    return found


def _swv_user(session: Session) -> User:
    pupil = session.exec(select(Pupil)).first()
    assert pupil is not None
    return User(id=0, telegram_id=0, role="swv", swv_id=pupil.swv_id, created_at=NOW)


def test_rotation_is_resumable_and_search_works_midway(registry: Session, engine: Engine) -> None:
    registry.add(CaseEntry(case_id=1, kind="note", day=NOW.date(), text="geheim", created_at=NOW))
    registry.commit()
    new_key = generate_key()
    both = KeyRing.from_text(new_key, [DATA_KEY])
    crypto.install(both)
    total = len(_blobs(engine))
    assert total > 80
    assert not any(both.is_current(b) for b in _blobs(engine))

    # Interrupted after two batches of 5 rows: part is rotated, all of it still reads.
    partial = rotate(engine, now=NOW, batch_size=5, max_batches=2)
    assert not partial.complete
    assert partial.rows == 10
    current = sum(both.is_current(b) for b in _blobs(engine))
    assert 0 < current < total
    with Session(engine) as session:
        user = _swv_user(session)
        assert [
            p.leerling_id for p in find_pupils(session=session, user=user, name="Sanne de Vries")
        ] == ["L00000"]
        assert len(find_pupils(session=session, user=user, name="Daan")) >= 1
        names_midway = sorted((p.first_name, p.last_name) for p in session.exec(select(Pupil)))

    finished = rotate(engine, now=NOW, batch_size=5)
    assert finished.complete
    assert finished.values == total - current
    assert all(both.is_current(b) for b in _blobs(engine))
    assert rotate(engine, now=NOW).values == 0  # nothing left to do

    crypto.install(KeyRing.from_text(new_key))  # the old key is gone
    with Session(engine) as session:
        assert (
            sorted((p.first_name, p.last_name) for p in session.exec(select(Pupil))) == names_midway
        )
        assert [
            p.leerling_id
            for p in find_pupils(session=session, user=_swv_user(session), name="sanne de vries")
        ] == ["L00000"]
        assert session.exec(select(CaseEntry.text)).all() == ["geheim"]


def test_the_cli_rotates_and_says_when_the_old_key_is_missing(
    registry: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: object,
) -> None:  # fmt: skip
    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", database_url)
    new_key = generate_key()
    monkeypatch.setenv("DATA_KEY", new_key)
    monkeypatch.setenv("DATA_KEYS_OLD", DATA_KEY)
    assert main(["key", "rotate"]) == 0
    assert "DATA_KEYS_OLD kan weg" in capsys.readouterr().out
    monkeypatch.delenv("DATA_KEYS_OLD")
    assert main(["agenda"]) == 0  # runs on the new key alone

    monkeypatch.setenv("DATA_KEY", generate_key())
    monkeypatch.setenv("DATA_KEYS_OLD", generate_key())  # not the key in use: refused at start
    assert main(["key", "rotate"]) == 2
    assert "DATA_KEY does not open the stored personal data" in capsys.readouterr().err
