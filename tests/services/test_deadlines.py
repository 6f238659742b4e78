"""Stored deadlines follow the data: created, closed with a reason, reopened; done stays done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.cases import label, latest_case
from bot.services.deadlines import agenda, open_deadline_counts, sync_everything, sync_pupils
from bot.services.naming import pupil_label
from bot.storage.models import Absence, Case, DeadlineRow, Pupil
from tests.utils.factories import NOW, TODAY
from tests.utils.statements import statements_on


def _rows(session: Session, pupil: Pupil) -> dict[str, tuple[str, str | None]]:
    session.expire_all()
    return {
        row.identity: (row.status, row.closed_reason)
        for row in session.exec(select(DeadlineRow).where(DeadlineRow.pupil_id == pupil.id))
    }


def _sanne(session: Session) -> Pupil:
    return session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()


def test_import_stores_the_deadlines_and_recomputing_changes_nothing(registry: Session) -> None:
    sanne = _sanne(registry)
    before = _rows(registry, sanne)
    # Sanne: B2 since 1 January 2026 at a PO school (midden), no offer, no contact person.
    assert {identity.split(":")[1] for identity in before} >= {
        "VIER_WEKEN_VERZUIM", "ZONDER_AANBOD_2M", "ZONDER_AANBOD_3M", "PLAN_VAN_AANPAK", "GEEN_ACTIE",
    }  # fmt: skip
    assert f"p{sanne.id}:VIER_WEKEN_VERZUIM:2026-01-30" in before  # day 1: Monday 5 January
    total = registry.exec(select(func.count()).select_from(DeadlineRow)).one()

    changes = sync_everything(settings=PROTOCOL, session=registry, as_of=TODAY, now=NOW)
    registry.commit()

    assert (changes.created, changes.closed, changes.reopened) == ([], [], [])
    assert registry.exec(select(func.count()).select_from(DeadlineRow)).one() == total


def test_a_deadline_no_longer_triggered_is_closed_with_the_reason_and_reopened(
    registry: Session,
) -> None:
    sanne = _sanne(registry)
    case = registry.exec(select(Case).where(Case.pupil_id == sanne.id)).one()
    identity = f"p{sanne.id}:PLAN_VAN_AANPAK:2026-02-13"
    assert _rows(registry, sanne)[identity] == ("open", None)

    case.contact_person = "Jan Jansen (IB)"
    registry.add(case)
    changes = sync_pupils(
        settings=PROTOCOL, session=registry, pupil_ids=[sanne.id], as_of=TODAY, now=NOW
    )
    registry.commit()
    assert [d.identity for d in changes.closed] == [identity]
    assert _rows(registry, sanne)[identity] == ("closed", "no_longer_triggered")

    case.contact_person = None
    registry.add(case)
    changes = sync_pupils(
        settings=PROTOCOL, session=registry, pupil_ids=[sanne.id], as_of=TODAY, now=NOW
    )
    registry.commit()
    assert [d.identity for d in changes.reopened] == [identity]
    assert _rows(registry, sanne)[identity] == ("open", None)


def test_a_deadline_marked_done_stays_done_and_leaves_the_agenda(registry: Session) -> None:
    sanne = _sanne(registry)
    identity = f"p{sanne.id}:ZONDER_AANBOD_3M:2026-04-01"
    row = registry.exec(select(DeadlineRow).where(DeadlineRow.identity == identity)).one()
    row.status = "done"
    registry.add(row)
    registry.commit()
    case = registry.exec(select(Case).where(Case.pupil_id == sanne.id)).one()
    case.offer_since = date(2026, 2, 1)  # now it would not be triggered at all
    registry.add(case)

    sync_pupils(settings=PROTOCOL, session=registry, pupil_ids=[sanne.id], as_of=TODAY, now=NOW)
    registry.commit()

    assert _rows(registry, sanne)[identity] == ("done", None)
    case.offer_since = None
    registry.add(case)
    registry.commit()
    # Imported long after they were due, both are history: listed only when asked for.
    listed = agenda(settings=PROTOCOL, session=registry, as_of=TODAY, days=30, include_history=True)
    assert not [i for i in listed if i.leerling_id == "L00000" and i.rule == "ZONDER_AANBOD_3M"]
    assert [i for i in listed if i.leerling_id == "L00000" and i.rule == "ZONDER_AANBOD_2M"]


def test_the_follow_up_reports_appear_as_the_days_pass(registry: Session) -> None:
    sanne = _sanne(registry)
    for day in (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5),
                date(2026, 11, 12), date(2026, 11, 19)):  # fmt: skip
        registry.add(
            Absence(pupil_id=sanne.id, day=day, hours=4, kind="ongeoorloofd", created_at=NOW)
        )
    sync_pupils(
        settings=PROTOCOL, session=registry, pupil_ids=[sanne.id], as_of=date(2026, 11, 13), now=NOW
    )
    rules = {i.split(":", 1)[1] for i in _rows(registry, sanne) if "MELDING" in i}
    assert rules == {"MELDING_16_UUR:2026-11-12"}

    sync_pupils(
        settings=PROTOCOL,
        session=registry,
        pupil_ids=[sanne.id],
        as_of=TODAY,
        now=NOW + timedelta(days=10),
    )
    rules = {i.split(":", 1)[1] for i in _rows(registry, sanne) if "MELDING" in i}
    assert rules == {"MELDING_16_UUR:2026-11-12", "VERVOLGMELDING_16_UUR:2026-11-19"}


def test_open_deadline_counts(registry: Session) -> None:
    sanne = _sanne(registry)
    counts = open_deadline_counts(session=registry, pupil_ids=[sanne.id])
    assert (
        counts[sanne.id]
        == registry.exec(
            select(func.count())
            .select_from(DeadlineRow)
            .where(
                DeadlineRow.pupil_id == sanne.id,
                DeadlineRow.status == "open",
                col(DeadlineRow.history).is_(False),  # history is never counted as open work
            )
        ).one()
    )
    assert open_deadline_counts(session=registry, pupil_ids=[]) == {}


# (cases of one pupil as (start, end), in the order stored; which one is the latest: its index)
LATEST_CASES = [
    ([], None),
    ([(date(2026, 9, 1), None)], 0),
    ([(date(2026, 9, 1), date(2026, 10, 1)), (date(2026, 11, 1), None)], 1),  # open wins
    ([(date(2026, 11, 1), None), (date(2026, 9, 1), date(2026, 10, 1))], 0),
    ([(date(2025, 3, 1), date(2025, 12, 1)), (date(2026, 9, 1), None)], 1),
    ([(date(2026, 3, 1), date(2026, 12, 1)), (date(2026, 9, 1), date(2026, 10, 1))], 0),  # ended last
    ([(date(2026, 9, 1), date(2026, 10, 1)), (date(2026, 3, 1), date(2026, 12, 1))], 1),
    ([(date(2026, 9, 1), None), (date(2026, 11, 1), None)], 1),  # two open: started last
    ([(date(2026, 11, 1), None), (date(2026, 9, 1), None)], 0),
    ([(date(2026, 9, 1), date(2026, 10, 1)), (date(2026, 9, 15), date(2026, 10, 1))], 1),  # stored last
]  # fmt: skip


@pytest.mark.parametrize(("cases", "latest"), LATEST_CASES)
def test_the_latest_case_is_the_open_one_else_the_one_that_ended_last(
    orgs: Session, cases: list[tuple[date, date | None]], latest: int | None
) -> None:
    pupil = Pupil(leerling_id="L1", first_name="A", last_name="B", birth_date=date(2015, 1, 1),
                  swv_id=1, created_at=NOW, updated_at=NOW)  # fmt: skip
    orgs.add(pupil)
    orgs.flush()
    stored = []
    for start, end in cases:
        case = Case(pupil_id=pupil.id, category="B2", start_date=start, end_date=end,
                    created_at=NOW)  # fmt: skip
        orgs.add(case)
        orgs.flush()
        stored.append(case.id)

    found = latest_case(session=orgs, pupil_id=pupil.id)  # type: ignore[arg-type]
    with statements_on(orgs.get_bind(), "") as read:  # every statement
        shown = label(session=orgs, pupil=pupil)

    expected = None if latest is None else stored[latest]
    assert (found.id if found else None) == expected
    # The chat's label carries the same case's number, read with the SWV's naming at once.
    assert shown == pupil_label("A", "B", expected, "initials")
    assert len(read) == 1


def test_a_done_deadline_moved_to_a_working_day_stays_done(registry: Session) -> None:
    # Before due dates moved to working days, Sanne's 2 months (from Thursday 1 January 2026)
    # fell on Sunday 1 March and was marked done there; now it falls on Monday 2 March.
    sanne = _sanne(registry)
    [row] = registry.exec(
        select(DeadlineRow).where(
            DeadlineRow.pupil_id == sanne.id, DeadlineRow.rule == "ZONDER_AANBOD_2M"
        )
    ).all()
    assert row.due == date(2026, 3, 2)
    done_at = NOW - timedelta(days=200)
    row.identity, row.due = f"p{sanne.id}:ZONDER_AANBOD_2M:2026-03-01", date(2026, 3, 1)
    row.status, row.done_at, row.closed_reason = "done", done_at, None
    registry.add(row)
    registry.commit()

    changes = sync_pupils(
        settings=PROTOCOL, session=registry, pupil_ids=[sanne.id], as_of=TODAY, now=NOW
    )
    registry.commit()

    rows = _rows(registry, sanne)
    assert rows[f"p{sanne.id}:ZONDER_AANBOD_2M:2026-03-01"] == ("done", None)
    assert rows[f"p{sanne.id}:ZONDER_AANBOD_2M:2026-03-02"] == ("done", None)
    moved = registry.exec(
        select(DeadlineRow).where(
            DeadlineRow.identity == f"p{sanne.id}:ZONDER_AANBOD_2M:2026-03-02"
        )
    ).one()
    assert moved.done_at is not None
    assert moved.done_at.timestamp() == done_at.timestamp()
    assert [d.rule for d in changes.created] == []
