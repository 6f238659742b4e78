"""The protocol's project defaults set in the environment (PROTOCOL__<NAME>) are the ones the
use cases work with: what a quick update stores, and the deadlines a registration computes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.config import Settings
from bot.protocol.parsing import QuickUpdate, parse_quick_update
from bot.protocol.rules import DEFAULT_SETTINGS, Rule
from bot.services.container import Services
from bot.services.new_pupil import NewPupil
from bot.services.registration import register_new
from bot.services.update_flow import Confirm, next_step
from bot.storage.models import DeadlineRow, Pupil, Role, User
from tests.utils.factories import DATA_KEY, NOW

TODAY = NOW.date()


def _services(engine: Engine, monkeypatch: pytest.MonkeyPatch, **defaults: str) -> Services:
    for name, value in defaults.items():
        monkeypatch.setenv(f"PROTOCOL__{name.upper()}", value)
    settings = Settings(
        _env_file=None,
        database_url=engine.url.render_as_string(hide_password=False),
        data_key=DATA_KEY,
    )  # type: ignore[call-arg]
    return Services(settings=settings, engine=engine, clock=FixedClock(NOW))


def _staff(session: Session) -> User:
    staff = User(telegram_id=9001, role=Role.SWV.value, swv_id=1, created_at=NOW)
    session.add(staff)
    session.commit()
    return staff


@pytest.mark.parametrize(("late_hours", "stored"), [(None, 1.0), ("0.5", 0.5)])
def test_a_late_arrival_counts_as_the_environment_says(
    registry: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    late_hours: str | None, stored: float,
) -> None:  # fmt: skip
    services = _services(
        engine, monkeypatch, **({"late_arrival_hours": late_hours} if late_hours else {})
    )
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    parsed = parse_quick_update("Sanne 1x te laat vandaag", TODAY)
    assert isinstance(parsed, QuickUpdate)
    assert sanne.id is not None
    step = next_step(services, user=_staff(registry), pupil_id=sanne.id, parsed=parsed)
    assert isinstance(step, Confirm)
    assert [row.hours for row in step.prepared.checked.rows] == [stored]


@pytest.mark.parametrize(("days", "due"), [(None, 28), ("14", 14)])
def test_a_registration_computes_its_deadlines_with_the_environments_defaults(
    registry: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch, days: str | None, due: int
) -> None:
    services = _services(engine, monkeypatch, **({"geen_actie_days": days} if days else {}))
    start = TODAY - timedelta(days=3)
    new = NewPupil.read({"first_name": "Test", "last_name": "Leerling",
                         "birth_date": TODAY.replace(year=2015), "school_id": 1, "gemeente_id": 1,
                         "category": "B2", "article": None, "start": start}, today=TODAY)  # fmt: skip
    pupil_id = register_new(services, user=_staff(registry), new=new).pupil_id
    registry.expire_all()
    dues = registry.exec(
        select(DeadlineRow.due).where(
            DeadlineRow.pupil_id == pupil_id, DeadlineRow.rule == Rule.GEEN_ACTIE
        )
    ).all()
    assert dues == [start + timedelta(days=due)]
    assert DEFAULT_SETTINGS.geen_actie_days == 28  # the default this test relies on
