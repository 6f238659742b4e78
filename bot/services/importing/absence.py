"""Importing absence entries: per pupil, day and kind, hours that add up to a school day at most."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.protocol.vocabulary import AbsenceKind
from bot.services.importing.rows import ImportResult, _Row
from bot.storage.models import Absence, Pupil, table_of


class _AbsenceImport:
    def __init__(self, session: Session, today: date, now: datetime, result: ImportResult) -> None:
        self.session = session
        self.today = today
        self.now = now
        self.result = result

    def run(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        ids = {values.get("leerling_id", "").strip() for _, values in rows}
        pupils = {
            p.leerling_id: p.id
            for p in self.session.exec(select(Pupil).where(col(Pupil.leerling_id).in_(ids)))
        }
        entries: dict[tuple[int, date, str], tuple[int, float]] = {}
        for line, values in rows:
            row = _Row(line, values, self.result.errors)
            before = len(self.result.errors)
            leerling_id = row.text("leerling_id", required=True, max_length=40)
            pupil_id = pupils.get(leerling_id or "")
            if leerling_id and pupil_id is None:
                row.fail("leerling_id", "unknown_pupil")
            day = row.day("datum", required=True)
            if day is not None and day > self.today:
                row.fail("datum", "future_date")
            hours = _hours(row)
            kind = row.choice("soort", [k.value for k in AbsenceKind], required=True)
            if len(self.result.errors) > before or pupil_id is None or day is None:
                continue
            assert hours is not None
            assert kind is not None
            key = (pupil_id, day, kind)
            earlier = entries.setdefault(key, (line, hours))
            if earlier[1] != hours:
                row.fail("uren", "conflicting_absence")
        if self.result.errors:
            return
        pupil_ids = {key[0] for key in entries}
        existing = {
            (a.pupil_id, a.day, str(a.kind)): a
            for a in self.session.exec(select(Absence).where(col(Absence.pupil_id).in_(pupil_ids)))
        }
        new_rows: list[dict[str, object]] = []
        for key, (_, hours) in entries.items():
            absence = existing.get(key)
            if absence is None:
                pupil_id, day, kind = key
                new_rows.append(
                    {
                        "pupil_id": pupil_id,
                        "day": day,
                        "kind": kind,
                        "hours": hours,
                        "created_at": self.now,
                    }
                )
            elif absence.hours != hours:
                absence.hours = hours
                self.session.add(absence)
                self.result.absences_updated += 1
            else:
                self.result.unchanged += 1
        self.session.flush()
        if new_rows:
            self.session.execute(insert(table_of(Absence)), new_rows)
        self.result.absences_created = len(new_rows)
        self.session.flush()


def _hours(row: _Row) -> float | None:
    value = row.values.get("uren", "").strip().replace(",", ".")
    if not value:
        row.fail("uren", "required")
        return None
    try:
        hours = float(value)
    except ValueError:
        row.fail("uren", "bad_hours")
        return None
    if not 0 < hours <= 24:
        row.fail("uren", "bad_hours")
        return None
    return hours
