"""`python -m bot user …`: list (and unused accounts), revoke, change role."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlmodel import Session, select

from bot.__main__ import main
from bot.storage.models import AuditEvent, User
from tests.utils.factories import NOW


def _user(session: Session, telegram_id: int, role: str, **org: int) -> User:
    user = User(telegram_id=telegram_id, display_name=f"Collega {telegram_id}", role=role,
                swv_id=1, created_at=NOW - timedelta(days=200), **org)  # fmt: skip
    session.add(user)
    session.commit()
    return user


def test_list_revoke_and_change_role(
    registry: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    database_url: str, tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    idle = _user(registry, 111, "swv")
    busy = _user(registry, 222, "leerplicht", gemeente_id=1)
    busy.last_seen_at = NOW - timedelta(days=3)
    registry.add(busy)
    registry.commit()

    with time_machine.travel(NOW, tick=False):
        assert main(["user", "list"]) == 0
        assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == [
            "111",
            "222",
        ]
        assert main(["user", "list", "--inactive"]) == 0
        assert capsys.readouterr().out.splitlines() == ["111\tswv\tCollega 111\t2026-05-07"]
        assert main(["user", "role", "222", "--role", "boc", "--bestuur", "Stichting Bolder"]) == 0
        out = capsys.readouterr().out
        assert "Rol gewijzigd: bovenschools ondersteuningscoördinator (BOC-er)." in out
        assert main(["user", "revoke", "111"]) == 0
        assert main(["user", "revoke", "111"]) == 0
        assert capsys.readouterr().out.splitlines() == [
            "Toegang ingetrokken.",
            "De toegang van die gebruiker was al ingetrokken.",
        ]
        assert main(["user", "role", "111", "--role", "admin", "--swv", "SWV Rijn en Gouwe"]) == 1
        assert main(["user", "revoke", "999"]) == 1
    registry.expire_all()
    assert registry.get(User, idle.id).revoked_at is not None  # type: ignore[union-attr]
    changed = registry.get(User, busy.id)
    assert changed is not None
    assert (changed.role, changed.gemeente_id, changed.bestuur_id) == ("boc", None, 1)
    actions = registry.exec(select(AuditEvent.action, AuditEvent.channel).where(
        AuditEvent.subject_user_id.is_not(None)  # type: ignore[union-attr]
    )).all()  # fmt: skip
    assert actions == [("role", "cli"), ("revoke", "cli")]
