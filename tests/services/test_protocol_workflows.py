"""The protocol's own workflows through the stored data: early warning, switching it off, a
recorded action resetting GEEN_ACTIE, and no noise from closed cases or imported history."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.planner import plan_nudges
from bot.services.deadlines import agenda, sync_pupils
from bot.services.importing import import_csv
from bot.services.onboarding import redeem_invitation
from bot.services.organisations import OrganisationError, switch_rules_off
from bot.storage.models import (
    Absence,
    Case,
    CaseEntry,
    DeadlineRow,
    DeadlineStatus,
    Nudge,
    NudgeStatus,
    Pupil,
    Role,
)
from tests.utils.datasets import pupil_row, pupils_csv
from tests.utils.factories import NOW, TODAY, invitation_code, organisations

AMS = ZoneInfo("Europe/Amsterdam")


def _open(session: Session, pupil: Pupil, rule: str) -> list[date]:
    session.expire_all()
    rows = session.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == pupil.id, DeadlineRow.rule == rule, DeadlineRow.status == "open"
        )
    )
    return sorted(row.due for row in rows)


def _pupil(session: Session, leerling_id: str) -> Pupil:
    return session.exec(select(Pupil).where(Pupil.leerling_id == leerling_id)).one()


def _hours(session: Session, pupil: Pupil, *days: date, hours: float = 5) -> None:
    for day in days:
        session.add(Absence(pupil_id=pupil.id, day=day, hours=hours, kind="ongeoorloofd",
                            created_at=NOW))  # fmt: skip
    sync_pupils(session=session, pupil_ids=[pupil.id or 0], as_of=TODAY, now=NOW, settings=PROTOCOL)
    session.commit()


def test_ten_hours_warn_the_school_before_the_report_is_due(registry: Session) -> None:
    sanne = _pupil(registry, "L00000")  # De Regenboog (PO)
    _hours(registry, sanne, date(2026, 11, 19), date(2026, 11, 20))  # Thursday, Friday

    assert _open(registry, sanne, "DREIGEND_16_UUR") == [date(2026, 11, 20)]
    assert _open(registry, sanne, "MELDING_16_UUR") == []
    # It is nudged: planned for the school's care coordinator, at once.
    care = redeem_invitation(
        session=registry, code=invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB"),
        telegram_id=4242, display_name="Zorg", language="nl", now=NOW,
        work_start=time(8, 0), work_end=time(18, 0),
    ).user  # fmt: skip
    assert care is not None
    plan_nudges(session=registry, now=NOW, tz=AMS, settings=PROTOCOL)
    [warning] = registry.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == sanne.id, DeadlineRow.rule == "DREIGEND_16_UUR"
        )
    ).all()
    assert warning.history is False
    nudges = registry.exec(select(Nudge).where(Nudge.deadline_id == warning.id)).all()
    # At once (it is due already), then weekly while open, as every deadline.
    assert {n.user_id for n in nudges} == {care.id}
    assert min(n.planned_at for n in nudges).astimezone(AMS).date() == TODAY

    _hours(registry, sanne, date(2026, 11, 23), hours=6)  # 16: now the report
    assert _open(registry, sanne, "MELDING_16_UUR") == [date(2026, 11, 30)]
    # The warning is overtaken by the report it warned of: closed with that reason, out of
    # every view, its planned nudges cancelled.
    assert _open(registry, sanne, "DREIGEND_16_UUR") == []
    registry.refresh(warning)
    assert (warning.status, warning.closed_reason, warning.history) == (
        DeadlineStatus.CLOSED, "superseded", True,
    )  # fmt: skip
    plan_nudges(session=registry, now=NOW, tz=AMS, settings=PROTOCOL)
    assert all(
        n.status != NudgeStatus.PLANNED
        for n in registry.exec(select(Nudge).where(Nudge.deadline_id == warning.id))
    )


def test_an_swv_can_switch_an_early_warning_off_and_on(registry: Session) -> None:
    sanne = _pupil(registry, "L00000")
    _hours(registry, sanne, date(2026, 11, 19), date(2026, 11, 20))

    switch_rules_off(session=registry, swv_name="SWV Rijn en Gouwe", codes=["dreigend_16_uur"],
                     as_of=TODAY, now=NOW, settings=PROTOCOL)  # fmt: skip
    assert _open(registry, sanne, "DREIGEND_16_UUR") == []
    switch_rules_off(session=registry, swv_name="SWV Rijn en Gouwe", codes=[],
                     as_of=TODAY, now=NOW, settings=PROTOCOL)  # fmt: skip
    assert _open(registry, sanne, "DREIGEND_16_UUR") == [date(2026, 11, 20)]
    with pytest.raises(OrganisationError):
        switch_rules_off(session=registry, swv_name="SWV Rijn en Gouwe",
                         codes=["MELDING_16_UUR"], as_of=TODAY, now=NOW, settings=PROTOCOL)  # fmt: skip


def test_a_planned_meeting_recorded_today_resets_geen_actie_from_today(registry: Session) -> None:
    sanne = _pupil(registry, "L00000")
    case = registry.exec(select(Case).where(Case.pupil_id == sanne.id)).one()
    # The meeting itself is on 12 December; it is recorded today, Monday 23 November.
    registry.add(CaseEntry(case_id=case.id or 0, kind="action", day=date(2026, 12, 12),
                           text="RTG met ouders", created_at=NOW))  # fmt: skip
    sync_pupils(session=registry, pupil_ids=[sanne.id or 0], as_of=TODAY, now=NOW,
                settings=PROTOCOL)  # fmt: skip
    registry.commit()

    assert _open(registry, sanne, "GEEN_ACTIE") == [TODAY + timedelta(days=28)]


def test_an_imported_history_of_closed_cases_makes_no_noise(session: Session) -> None:
    organisations(session)
    closed = pupil_row(0) | {"categorie": "B2", "startdatum": "2025-09-01",
                              "einddatum": "2025-12-01"}  # fmt: skip
    absolute = pupil_row(7) | {"leerling_id": "L00007", "categorie": "B1",
                               "startdatum": "2025-09-01", "einddatum": "2026-03-01"}  # fmt: skip
    result = import_csv(settings=PROTOCOL, session=session, today=TODAY, now=NOW,
                        stream=io.StringIO(pupils_csv([closed, absolute])))  # fmt: skip
    assert result.ok, result.errors
    session.commit()
    ids = {p.id for p in session.exec(select(Pupil))}

    plan_nudges(session=session, now=NOW, tz=AMS, settings=PROTOCOL)

    nudged = session.exec(
        select(Nudge).join(DeadlineRow, col(Nudge.deadline_id) == col(DeadlineRow.id))
        .where(col(DeadlineRow.pupil_id).in_(ids))
    ).all()  # fmt: skip
    assert nudged == []
    listed = agenda(session=session, as_of=TODAY, days=30, settings=PROTOCOL)
    assert [i for i in listed if i.leerling_id in ("L00000", "L00007")] == []
    # What needed the case open is closed with the reason; the rest is kept as history.
    rows = session.exec(select(DeadlineRow).where(col(DeadlineRow.pupil_id).in_(ids))).all()
    assert all(row.closed_reason == "case_closed" or row.history for row in rows)
    assert any(row.rule == "ABSOLUUT_VERZUIM_CONTROLE" for row in rows)
    assert not [r for r in rows if r.status == "open" and not r.history]
