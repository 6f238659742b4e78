"""Access and erasure for one pupil, and deletion after the retention period."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.__main__ import main
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.planner import plan_nudges
from bot.reminders.recompute import apply_retention_now
from bot.services import privacy
from bot.services.container import Services
from bot.services.links import link
from bot.storage.db import sqlite_path
from bot.storage.models import (
    AuditEvent,
    Case,
    CaseEntry,
    CaseFile,
    DeadlineRow,
    Nudge,
    Pupil,
    Role,
    User,
)
from tests.utils.factories import NOW, invitation_code

NOTE = "moeder belde over de diagnose van de jeugdarts"


def _sanne(session: Session) -> Pupil:
    return session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()


def _enrich(session: Session) -> Pupil:
    """Sanne gets a note, a file, a linked officer and planned nudges."""
    sanne = _sanne(session)
    case = session.exec(select(Case).where(Case.pupil_id == sanne.id)).first()
    assert case is not None
    assert case.id is not None
    session.add(CaseEntry(case_id=case.id, kind="note", day=NOW.date(), text=NOTE, created_at=NOW))
    session.add(CaseFile(case_id=case.id, file_name="plan Sanne.pdf", mime_type="application/pdf",
                         size=9, content=b"%PDF-plan", created_at=NOW))  # fmt: skip
    invitation_code(session, Role.LEERPLICHT, now=NOW, gemeente="Alphen aan den Rijn")
    officer = User(
        telegram_id=77,
        role="leerplicht",
        swv_id=sanne.swv_id,
        gemeente_id=sanne.gemeente_id,
        created_at=NOW,
    )
    boc = User(telegram_id=78, role="swv", swv_id=sanne.swv_id, created_at=NOW)
    session.add_all([officer, boc])
    session.flush()
    assert officer.id is not None
    assert sanne.id is not None
    link(session=session, user=boc, pupil_id=sanne.id, officer_id=officer.id, now=NOW)
    plan_nudges(session=session, now=NOW, tz=NOW.tzinfo, settings=PROTOCOL)  # type: ignore[arg-type]
    session.commit()
    return sanne


def _mentions(engine: Engine, pupil_id: int) -> dict[str, int]:
    """Rows anywhere that still point at the pupil (except the audit record of the erasure)."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    found = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if "pupil_id" in table.c and table.name != "audit_event":
                count = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(table.c.pupil_id == pupil_id)
                ).scalar()
                if count:
                    found[table.name] = count
        if connection.execute(
            sa.text("SELECT count(*) FROM pupil WHERE id = :id"), {"id": pupil_id}
        ).scalar():
            found["pupil"] = 1
    return found


def test_export_holds_everything_about_the_pupil_and_is_audited(registry: Session) -> None:
    sanne = _enrich(registry)
    record = privacy.pupil_record(registry, sanne, now=NOW)
    registry.commit()
    text = json.dumps(record, ensure_ascii=False)
    assert record["pupil"]["first_name"] == "Sanne"
    assert record["pupil"]["birth_date"] == sanne.birth_date.isoformat()  # type: ignore[union-attr]
    assert "token_full" not in record["pupil"]
    assert [e["text"] for e in record["case_entries"]] == [NOTE]
    assert base64.b64decode(record["files"][0]["content"]) == b"%PDF-plan"
    assert len(record["leerplicht_link"]) == 1
    assert record["deadlines"]
    assert record["nudges"]
    assert record["cases"]
    assert {a["action"] for a in record["audit_trail"]} >= {"link", "import"}
    assert "Sanne" in text
    exported = registry.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (exported.pupil_id, exported.detail) == (sanne.id, "pupil json")


def test_forget_leaves_no_trace_but_the_audit_record(registry: Session, engine: Engine) -> None:
    sanne = _enrich(registry)
    pupil_id = sanne.id
    assert pupil_id is not None
    others = registry.exec(select(sa.func.count()).select_from(Pupil)).one()
    assert set(_mentions(engine, pupil_id)) >= {"pupil", "deadline", "leerplicht_link"}
    before_nudges = registry.exec(select(sa.func.count()).select_from(Nudge)).one()
    sanne_deadlines = [
        d.id for d in registry.exec(select(DeadlineRow).where(DeadlineRow.pupil_id == pupil_id))
    ]
    sanne_nudges = registry.exec(
        select(sa.func.count()).select_from(Nudge).where(Nudge.deadline_id.in_(sanne_deadlines))
    ).one()  # type: ignore[union-attr]
    assert sanne_nudges > 0

    privacy.forget(registry, sanne, now=NOW)
    registry.commit()

    assert _mentions(engine, pupil_id) == {}
    assert registry.exec(select(sa.func.count()).select_from(Pupil)).one() == others - 1
    assert (
        registry.exec(select(sa.func.count()).select_from(Nudge)).one()
        == before_nudges - sanne_nudges
    )
    assert registry.exec(select(CaseEntry)).all() == []
    assert registry.exec(select(CaseFile)).all() == []
    trail = registry.exec(select(AuditEvent).where(AuditEvent.pupil_id == pupil_id)).all()
    assert [(a.action, a.channel) for a in trail] == [("forget", "cli")]
    # Earlier entries keep who did what, when, but no longer say to whom.
    assert (
        registry.exec(select(AuditEvent).where(AuditEvent.action == "link")).one().pupil_id is None
    )
    path = sqlite_path(str(engine.url))
    if path is not None:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert b"L00000" not in path.read_bytes()


def test_the_cli_finds_exports_and_forgets(
    registry: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    sanne = _sanne(registry)
    assert main(["pupil", "find", "sanne de vries"]) == 0
    assert capsys.readouterr().out.split("\t")[:2] == [str(sanne.id), "L00000"]
    assert main(["pupil", "export", "L00000", "--output", str(tmp_path / "sanne.json")]) == 0
    exported = json.loads((tmp_path / "sanne.json").read_text(encoding="utf-8"))
    assert exported["pupil"]["last_name"] == "de Vries"
    assert main(["pupil", "export", "L99999"]) == 1
    assert capsys.readouterr().err.strip() == "error: Er is geen leerling L99999."
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    assert main(["pupil", "forget", str(sanne.id)]) == 1
    assert "Er is niets verwijderd." in capsys.readouterr().err
    assert main(["pupil", "forget", str(sanne.id), "--yes"]) == 0
    assert f"Leerling {sanne.id} is vergeten" in capsys.readouterr().out
    assert _mentions(engine, sanne.id or 0) == {}
    assert main(["pupil", "find", "Sanne de Vries"]) == 1


def _close_case(session: Session, leerling_id: str, end: date) -> int:
    pupil = session.exec(select(Pupil).where(Pupil.leerling_id == leerling_id)).one()
    for case in session.exec(select(Case).where(Case.pupil_id == pupil.id)):
        case.end_date = end
        case.status = "closed"
        session.add(case)
    session.commit()
    assert pupil.id is not None
    return pupil.id


def test_retention_deletes_what_is_over_its_period_and_no_more(
    registry: Session, services: Services, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    today = NOW.date()
    expired = _close_case(registry, "L00000", date(today.year - 2, today.month, today.day))
    young = _close_case(
        registry, "L00001", date(today.year - 2, today.month, today.day) + timedelta(days=1)
    )
    old_open = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00002")).one().id
    # A pupil without any case, last seen three years ago.
    registry.add(Pupil(leerling_id="OLD", first_name="Oud", last_name="Gegeven", swv_id=1,
                       created_at=NOW - timedelta(days=3 * 365), updated_at=NOW,
                       token_first="", token_full="", token_short=""))  # fmt: skip
    registry.commit()
    stale = registry.exec(select(Pupil).where(Pupil.leerling_id == "OLD")).one().id
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    count = registry.exec(select(sa.func.count()).select_from(Pupil)).one()

    with time_machine.travel(NOW, tick=False):
        assert main(["retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"leerling {expired}:" in out
    assert f"leerling {stale}:" in out
    assert f"leerling {young}:" not in out
    assert f"leerling {old_open}:" not in out
    assert out.strip().endswith("2 leerlingen zouden worden verwijderd (bewaartermijn 24 maanden).")
    registry.expire_all()
    assert registry.exec(select(sa.func.count()).select_from(Pupil)).one() == count

    assert apply_retention_now(services) == 2  # the daily job
    registry.expire_all()
    assert registry.exec(select(sa.func.count()).select_from(Pupil)).one() == count - 2
    assert registry.get(Pupil, expired) is None
    assert registry.get(Pupil, young) is not None
    actions = registry.exec(
        select(AuditEvent.action, AuditEvent.channel).where(
            AuditEvent.pupil_id.in_([expired, stale])
        )
    ).all()  # type: ignore[union-attr]
    assert sorted(actions) == [("retention", "job"), ("retention", "job")]
    assert apply_retention_now(services) == 0


def test_a_shorter_retention_period_is_configurable(
    registry: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    _close_case(registry, "L00001", NOW.date() - timedelta(days=200))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RETENTION_MONTHS", "6")
    with time_machine.travel(NOW, tick=False):
        assert main(["retention", "--dry-run"]) == 0
    assert "1 leerling zou worden verwijderd (bewaartermijn 6 maanden)." in capsys.readouterr().out
