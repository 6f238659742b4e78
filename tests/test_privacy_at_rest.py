"""Personal data at rest: without DATA_KEY the database shows no pupil's name, birth date or
note, and the bot refuses to start without the (right) key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import MetaData, insert, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.__main__ import main
from bot.services.pupil_search import token_columns
from bot.storage import crypto
from bot.storage.crypto import KeyRing, generate_key
from bot.storage.db import downgrade_database, sqlite_path, upgrade_database
from bot.storage.models import Pupil, Role
from tests.utils.datasets import pupil_row
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness
from tests.utils.personal_data import personal_data_in

CARE = TgUser(1301, "Zorg", "nl")
NOTE = "moeder belde over de diagnose van de jeugdarts"


def _raw_text(engine: Engine) -> str:
    """Every value of every table as the database holds it, read without the key."""
    metadata = MetaData()
    metadata.reflect(engine)
    parts: list[str] = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    parts.append(
                        value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    )
    return "\n".join(parts)


def _file_bytes(engine: Engine) -> str:
    path = sqlite_path(str(engine.url))
    if path is None:
        return ""
    return "".join(
        Path(f"{path}{suffix}").read_bytes().decode("latin-1")
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )


async def test_the_database_without_the_key_shows_no_names_birth_dates_or_notes(
    bot: BotHarness, registry: Session, telegram: FakeTelegram, engine: Engine
) -> None:
    await bot.send(
        CARE, f"/start {invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school='12AB')}"
    )
    [question] = await bot.send(CARE, f"notitie Sanne (vertrouwelijk): {NOTE}")
    await bot.press(CARE, question, "Opslaan")
    await bot.handled(telegram.push_document(
        CARE, file_name="verslag Sanne de Vries.pdf", mime_type="application/pdf",
        content=b"%PDF-1.4 verslag over Sanne de Vries", caption="Sanne",
    ))  # fmt: skip
    # The data is there and readable with the key ...
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).scalar_one()
    assert (sanne.first_name, sanne.last_name) == ("Sanne", "de Vries")
    assert sanne.birth_date == date.fromisoformat(pupil_row(0)["geboortedatum"])
    # ... but not in the tables, nor in the file on disk (SQLite), read without it.
    stored = _raw_text(engine) + _file_bytes(engine)
    assert "L00000" in stored  # the scan does see the rows
    assert personal_data_in(stored) == []
    assert NOTE not in stored
    assert "verslag over Sanne" not in stored


def test_without_data_key_nothing_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    database_url: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("DATA_KEY")
    assert main(["org", "list"]) == 2
    assert capsys.readouterr().err.startswith("error: DATA_KEY is not set")
    monkeypatch.setenv("DATA_KEY", "not a key")
    assert main(["org", "list"]) == 2
    assert "DATA_KEY or DATA_KEYS_OLD is malformed" in capsys.readouterr().err


def test_a_wrong_data_key_is_refused_before_anything_happens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    registry: Session, database_url: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_KEY", generate_key())
    assert main(["agenda"]) == 2
    assert "DATA_KEY does not open the stored personal data" in capsys.readouterr().err


def test_the_upgrade_encrypts_existing_plain_data_and_the_downgrade_decrypts_it(
    engine: Engine,
) -> None:
    downgrade_database(engine, "0004")
    metadata = MetaData()
    metadata.reflect(engine)
    swv, pupil, case, entry = (
        metadata.tables[n] for n in ("swv", "pupil", "thuiszit_case", "case_entry")
    )
    with engine.begin() as connection:
        connection.execute(
            insert(swv).values(
                id=1, name="SWV", registered_on=date(2026, 1, 1), pupil_naming="initials"
            )
        )
        connection.execute(insert(pupil).values(
            id=7, leerling_id="P7", first_name="Zoë", last_name="van Dijk", birth_date=date(2014, 2, 28),
            residence="Gouda", swv_id=1, created_at=NOW, updated_at=NOW,
        ))  # fmt: skip
        connection.execute(insert(case).values(
            id=3, pupil_id=7, category="B2", start_date=date(2026, 9, 1), status="current",
            evaluation="geheim", created_at=NOW,
        ))  # fmt: skip
        connection.execute(insert(entry).values(
            case_id=3, kind="note", day=date(2026, 9, 2), text=NOTE, confidential=True, created_at=NOW,
        ))  # fmt: skip

    upgrade_database(engine)

    stored = _raw_text(engine)
    assert "van Dijk" not in stored
    assert "2014-02-28" not in stored
    assert NOTE not in stored
    with Session(engine) as session:
        zoe = session.get(Pupil, 7)
        assert zoe is not None
        assert (zoe.first_name, zoe.last_name, zoe.birth_date, zoe.residence) == (
            "Zoë",
            "van Dijk",
            date(2014, 2, 28),
            "Gouda",
        )
        assert zoe.token_full == crypto.active().token("zoe van dijk")
        # The migration's frozen copy makes the tokens as the live code does.
        columns = token_columns("Zoë", "van Dijk")
        assert {column: getattr(zoe, column) for column in columns} == columns
    downgrade_database(engine, "0004")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT first_name, birth_date FROM pupil")).one()
        note = connection.execute(text("SELECT text FROM case_entry")).scalar()
    assert row[0] == "Zoë"
    assert str(row[1]) == "2014-02-28"
    assert note == NOTE
    upgrade_database(engine)


def test_an_upgrade_of_plain_data_without_a_key_stops_with_a_clear_error(engine: Engine) -> None:
    downgrade_database(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO swv (id, name, registered_on, pupil_naming) VALUES (1, 'S', '2026-01-01', 'initials')"
        ))  # fmt: skip
        connection.execute(
            text(
                "INSERT INTO pupil (id, leerling_id, first_name, last_name, swv_id, created_at, updated_at) "
                "VALUES (1, 'P1', 'Sanne', 'de Vries', 1, :now, :now)"
            ),
            {"now": NOW},
        )
    crypto.install(None)
    with pytest.raises(crypto.DataKeyError, match="no data key"):
        upgrade_database(engine)
    crypto.install(KeyRing.from_text(generate_key()))
    upgrade_database(engine)
