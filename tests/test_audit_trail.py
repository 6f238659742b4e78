"""Every view of a dossier, change, export, link and unlink leaves an audit entry: who, when,
which pupil, what kind — never the content."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import time_machine
from sqlmodel import Session, select

from bot.__main__ import main
from bot.storage.models import AuditEvent, Pupil, User
from tests.handlers.test_registry_flows import BOC, CARE, LP, SWV, _sign_in
from tests.utils.factories import NOW
from tests.utils.fake_telegram import FakeTelegram
from tests.utils.harness import BotHarness
from tests.utils.personal_data import personal_data_in

NOTE = "moeder belde over de diagnose van de jeugdarts"


def _trail(session: Session, since: int) -> list[tuple[str | None, str, str, bool]]:
    """(actor's display name, action, detail, whether it names Sanne) after entry `since`."""
    session.expire_all()
    sanne = session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    names = {u.id: u.display_name for u in session.exec(select(User))}
    return [
        (names.get(e.actor_id), e.action, e.detail, e.pupil_id == sanne.id)
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.id > since).order_by(AuditEvent.id)
        )
    ]


def _last_id(session: Session) -> int:
    return max([e.id or 0 for e in session.exec(select(AuditEvent))] or [0])


async def test_each_kind_of_action_in_chat_is_recorded(
    bot: BotHarness, registry: Session, telegram: FakeTelegram
) -> None:
    await _sign_in(bot, registry, CARE, BOC, SWV, LP)
    start = _last_id(registry)
    [question] = await bot.send(CARE, f"notitie Sanne (vertrouwelijk): {NOTE}")
    await bot.press(CARE, question, "Opslaan")
    await bot.handled(telegram.push_document(
        CARE, file_name="plan.pdf", mime_type="application/pdf", content=b"%PDF-1.4", caption="Sanne",
    ))  # fmt: skip
    [card] = await bot.send(CARE, "/dossier Sanne")
    await bot.press(CARE, card, "📎 plan.pdf")
    [question] = await bot.send(BOC, "/koppel Sanne")
    await bot.press(BOC, question, "Lea Leerplicht (Alphen aan den Rijn)")
    [question] = await bot.send(BOC, "/ontkoppel Sanne")
    await bot.press(BOC, question, "Lea Leerplicht (Alphen aan den Rijn)")
    await bot.send(SWV, "/kwartaal")
    await bot.send(CARE, "/leerlingen")  # a list of initials, not a dossier: not recorded

    assert _trail(registry, start) == [
        ("Zorg", "change", "note", True),
        ("Zorg", "add_file", "application/pdf", True),
        ("Zorg", "view_dossier", "", True),
        ("Zorg", "view_file", "", True),
        ("Bo Bestuur", "link", "", True),
        ("Bo Bestuur", "unlink", "", True),
        ("Sam SWV", "export", "quarterly swv pupils", False),
    ]


def test_the_cli_records_imports_and_exports_and_writes_the_trail_as_csv(
    registry: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    start = _last_id(registry)
    with time_machine.travel(NOW, tick=False):
        assert main(["report", "quarterly", "--format", "json"]) == 0
        assert main(["pupil", "export", "L00000"]) == 0
        assert main(["agenda", "--json"]) == 0
    assert _trail(registry, start) == [
        (None, "export", "quarterly json", False),
        (None, "export", "pupil json", True),
        (None, "export", "agenda", False),
    ]
    capsys.readouterr()
    assert main(["audit", "export", "--output", str(tmp_path / "audit.csv")]) == 0
    assert "auditregels geschreven" in capsys.readouterr().err
    text = (tmp_path / "audit.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["id", "at", "actor_id", "actor_role", "channel", "action",
                             "pupil_id", "subject_user_id", "swv_id", "detail"]  # fmt: skip
    assert sum(r["action"] == "import" for r in rows) == 20  # one per imported pupil
    assert {r["channel"] for r in rows} == {"cli"}
    assert personal_data_in(text) == []
