"""CSV import of pupils and cases, or of absence entries (the formats in the README, "CSV import").

All or nothing: every row is checked first, and one bad row means nothing is written. Importing
the same file again changes nothing; a changed row updates that pupil.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TextIO

from sqlmodel import Session, col, select

from bot.protocol.rules import ProtocolSettings
from bot.services import audit
from bot.services.deadlines import sync_organisations, sync_pupils
from bot.services.importing.absence import _AbsenceImport
from bot.services.importing.pupils import _PupilImport
from bot.services.importing.rows import REASONS, ImportResult, RowError, _read
from bot.storage.models import AuditAction, AuditChannel, Pupil

__all__ = ["ABSENCE_COLUMNS", "PUPIL_COLUMNS", "REASONS", "ImportResult", "RowError", "import_csv"]

PUPIL_COLUMNS = (
    "leerling_id", "voornaam", "achternaam", "geslacht", "geboortedatum", "woonplaats",
    "gemeente", "school_brin", "school_naam", "onderwijssoort", "regio", "bestuur", "swv",
    "categorie", "vrijstelling_artikel", "startdatum", "einddatum", "passend_aanbod_sinds",
    "vrijstelling_einddatum", "vrijstelling_permanent",
)  # fmt: skip


ABSENCE_COLUMNS = ("leerling_id", "datum", "uren", "soort")


def import_csv(
    *, session: Session, stream: TextIO, today: date, now: datetime, settings: ProtocolSettings
) -> ImportResult:
    """Import one CSV file; the kind is recognised by its header row."""
    header, rows, errors = _read(stream)
    if errors and not header:
        return ImportResult(kind="unknown", errors=errors)
    if tuple(header) == PUPIL_COLUMNS:
        result = ImportResult(kind="pupils", errors=errors, rows=len(rows))
        _PupilImport(session, today, now, result).run(rows)
    elif tuple(header) == ABSENCE_COLUMNS:
        result = ImportResult(kind="absences", errors=errors, rows=len(rows))
        _AbsenceImport(session, today, now, result).run(rows)
    else:
        return ImportResult(kind="unknown", errors=[RowError(1, "", "unknown_header")])
    if result.errors:
        session.rollback()
        result.errors.sort(key=lambda e: (e.line, e.column))
        return result
    # Deadlines follow the data, in the same transaction.
    ids = {values.get("leerling_id", "").strip() for _, values in rows}
    touched = [
        (pid, swv_id)
        for pid, swv_id in session.exec(
            select(Pupil.id, Pupil.swv_id).where(col(Pupil.leerling_id).in_(ids))
        )
        if pid is not None
    ]
    pupil_ids = [pid for pid, _ in touched]
    audit.record_many(
        session,
        action=AuditAction.IMPORT,
        at=now,
        pupils=touched,
        channel=AuditChannel.CLI,
        detail=result.kind,
    )
    changes = sync_pupils(
        session=session, pupil_ids=pupil_ids, as_of=today, now=now, settings=settings
    )
    result.backlog, result.history = len(changes.backlog), len(changes.history)
    if result.kind == "pupils":
        sync_organisations(session=session, as_of=today, now=now, settings=settings)
    return result
