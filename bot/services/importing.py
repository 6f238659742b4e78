"""CSV import of pupils and cases, or of absence entries (the formats in the README, "CSV import").

All or nothing: every row is checked first, and one bad row means nothing is written. Importing
the same file again changes nothing; a changed row updates that pupil.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.i18n import N_
from bot.protocol.rules import ProtocolSettings
from bot.protocol.vocabulary import AbsenceKind
from bot.services import audit
from bot.services.deadlines import sync_organisations, sync_pupils
from bot.services.new_pupil import REFUSALS, Refused, read_field
from bot.services.organisations import normalise_brin
from bot.services.pupil_search import refresh_tokens, token_columns
from bot.storage.models import (
    Absence,
    AuditAction,
    AuditChannel,
    Bestuur,
    Case,
    CaseStatus,
    Category,
    Exemption,
    ExemptionArticle,
    Gemeente,
    Gender,
    Pupil,
    Region,
    School,
    SchoolType,
    Swv,
    table_of,
)

PUPIL_COLUMNS = (
    "leerling_id", "voornaam", "achternaam", "geslacht", "geboortedatum", "woonplaats",
    "gemeente", "school_brin", "school_naam", "onderwijssoort", "regio", "bestuur", "swv",
    "categorie", "vrijstelling_artikel", "startdatum", "einddatum", "passend_aanbod_sinds",
    "vrijstelling_einddatum", "vrijstelling_permanent",
)  # fmt: skip
ABSENCE_COLUMNS = ("leerling_id", "datum", "uren", "soort")

MAX_ROWS = 200_000
_BRIN = re.compile(r"^[0-9]{2}[A-Z0-9]{2}([0-9]{2})?$")
_LEERLING_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


# What each reason means, for people (message ids; translated where shown). A new pupil's names
# and date of birth are refused as in chat and on the web, in the same words (`REFUSALS`).
REASONS: dict[str, str] = REFUSALS | {
    "unreadable": N_("the file is not a readable UTF-8 CSV file"),
    "unknown_header": N_(
        "the header row is neither the pupils-and-cases format nor the absence format"
    ),
    "too_many_rows": N_("the file has too many rows"),
    "column_count": N_("the row has a different number of columns than the header"),
    "required": N_("this column is required here"),
    "too_long": N_("the value is too long"),
    "bad_id": N_("a pupil id may only contain letters, digits, '.', '_' and '-'"),
    "bad_date": N_("not a valid date (use YYYY-MM-DD or DD-MM-YYYY)"),
    "future_date": N_("the date is in the future"),
    "bad_choice": N_("not one of the allowed values"),
    "bad_brin": N_("not a BRIN number (like 12AB or 12AB00)"),
    "article_without_a2": N_("an exemption article belongs only to category A2"),
    "end_before_start": N_("the end date is before the start date"),
    "before_start": N_("the date is before the start date"),
    "conflicting_pupil": N_("this pupil id appears earlier in the file with other data"),
    "conflicting_school": N_("this school is registered with another value"),
    "in_other_swv": N_("this organisation belongs to another samenwerkingsverband"),
    "unknown_pupil": N_("there is no pupil with this id; import the pupils first"),
    "bad_hours": N_("hours must be a number above 0 and at most 24"),
    "conflicting_absence": N_("the same pupil, date and kind appear earlier with other hours"),
}


@dataclass(frozen=True)
class RowError:
    """One problem: the file's line number (the header is line 1), the column and why."""

    line: int
    column: str
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    pupils_created: int = 0
    pupils_updated: int = 0
    cases_created: int = 0
    cases_updated: int = 0
    absences_created: int = 0
    absences_updated: int = 0
    unchanged: int = 0
    # Deadlines the import found overdue: achterstand (kept in view) and history.
    backlog: int = 0
    history: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Row:
    """Typed access to one CSV row, collecting errors instead of raising."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.line = line
        self.values = values
        self.errors = errors

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason, self.values.get(column, "")[:60]))

    def text(self, column: str, *, required: bool = False, max_length: int = 100) -> str | None:
        value = " ".join(self.values.get(column, "").split())
        if not value:
            if required:
                self.fail(column, "required")
            return None
        if len(value) > max_length:
            self.fail(column, "too_long")
            return None
        return value

    def day(self, column: str, *, required: bool = False) -> date | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.fail(column, "required")
            return None
        parsed = parse_csv_date(value)
        if parsed is None:
            self.fail(column, "bad_date")
        return parsed

    def new_pupil(self, column: str, field: str, value: object, today: date) -> Any:
        """A value of a new pupil, checked by its own rules (`bot.services.new_pupil`): the
        same refusals as in chat and on the web."""
        checked = read_field(field, value, today=today)
        if isinstance(checked, Refused):
            self.fail(column, checked)
            return None
        return checked

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = False) -> str | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.fail(column, "required")
            return None
        for option in allowed:
            if value.casefold() == option.casefold():
                return option
        self.fail(column, "bad_choice")
        return None


def parse_csv_date(value: str) -> date | None:
    """An ISO (2027-03-15) or Dutch (15-03-2027) date; None when neither, or impossible."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


def _read(stream: TextIO) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[RowError]]:
    try:
        reader = csv.reader(stream)
        header = [name.strip().lstrip("\ufeff").lower() for name in next(reader, [])]
        rows: list[tuple[int, dict[str, str]]] = []
        errors: list[RowError] = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                errors.append(RowError(line, "", "too_many_rows"))
                break
            if len(values) != len(header):
                errors.append(RowError(line, "", "column_count", str(len(values))))
                continue
            rows.append((line, dict(zip(header, values, strict=True))))
        return header, rows, errors
    except (csv.Error, UnicodeDecodeError):
        return [], [], [RowError(0, "", "unreadable")]


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


@dataclass(frozen=True)
class _PupilFacts:
    leerling_id: str
    first_name: str
    last_name: str
    gender: str | None
    birth_date: date | None
    residence: str | None
    gemeente: str | None
    school_brin: str | None
    school_name: str | None
    school_type: str | None
    region: str | None
    bestuur: str | None
    swv: str


@dataclass(frozen=True)
class _CaseFacts:
    category: str
    article: str | None
    start: date
    end: date | None
    offer_since: date | None
    exemption_end: date | None
    permanent: bool


class _PupilImport:
    def __init__(self, session: Session, today: date, now: datetime, result: ImportResult) -> None:
        self.session = session
        self.today = today
        self.now = now
        self.result = result
        self.swvs = {s.name: s for s in session.exec(select(Swv))}
        self.besturen = {b.name: b for b in session.exec(select(Bestuur))}
        self.gemeenten = {g.name: g for g in session.exec(select(Gemeente))}
        self.schools = {s.brin: s for s in session.exec(select(School))}
        # The board named for each school that this file introduces.
        self._new_school_board: dict[str, str] = {}

    def run(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        parsed: list[tuple[int, _PupilFacts, _CaseFacts | None]] = []
        first_seen: dict[str, tuple[int, _PupilFacts]] = {}
        for line, values in rows:
            row = _Row(line, values, self.result.errors)
            before = len(self.result.errors)
            facts, case = self._parse(row)
            if facts is None or len(self.result.errors) > before:
                continue
            previous = first_seen.setdefault(facts.leerling_id, (line, facts))
            if previous[1] != facts:
                row.fail("leerling_id", "conflicting_pupil")
                continue
            self._check_organisations(row, facts)
            parsed.append((line, facts, case))
        if self.result.errors:
            return
        self._write(parsed)

    def _parse(self, row: _Row) -> tuple[_PupilFacts | None, _CaseFacts | None]:
        leerling_id = row.text("leerling_id", required=True, max_length=40)
        if leerling_id and not _LEERLING_ID.match(leerling_id):
            row.fail("leerling_id", "bad_id")
        first = row.new_pupil("voornaam", "first_name", row.values.get("voornaam", ""), self.today)
        last = row.new_pupil(
            "achternaam", "last_name", row.values.get("achternaam", ""), self.today
        )
        gender = row.choice("geslacht", [g.value for g in Gender])
        birth = row.day("geboortedatum")
        if birth is not None:
            birth = row.new_pupil("geboortedatum", "birth_date", birth, self.today)
        brin_raw = row.text("school_brin", max_length=10)
        brin = normalise_brin(brin_raw) if brin_raw else None
        if brin is not None and not _BRIN.match(brin):
            row.fail("school_brin", "bad_brin")
        school_type = row.choice("onderwijssoort", [t.value for t in SchoolType])
        region = row.choice("regio", [r.value for r in Region])
        swv = row.text("swv", required=True, max_length=200)
        category = row.choice("categorie", [c.value for c in Category])
        article = row.choice("vrijstelling_artikel", [a.value for a in ExemptionArticle])
        start = row.day("startdatum", required=category is not None)
        end = row.day("einddatum")
        offer = row.day("passend_aanbod_sinds")
        exemption_end = row.day("vrijstelling_einddatum")
        permanent = row.choice("vrijstelling_permanent", ["ja", "nee"])
        if category == Category.A2 and not row.values.get("vrijstelling_artikel", "").strip():
            row.fail("vrijstelling_artikel", "required")
        if category != Category.A2 and article is not None:
            row.fail("vrijstelling_artikel", "article_without_a2")
        if category is None and any(
            row.values.get(c, "").strip()
            for c in ("startdatum", "einddatum", "passend_aanbod_sinds")
        ):
            row.fail("categorie", "required")
        if start and end and end < start:
            row.fail("einddatum", "end_before_start")
        if start and offer and offer < start:
            row.fail("passend_aanbod_sinds", "before_start")
        if start and exemption_end and exemption_end < start:
            row.fail("vrijstelling_einddatum", "end_before_start")
        if brin is None and any(
            row.values.get(c, "").strip() for c in ("school_naam", "onderwijssoort", "regio")
        ):
            row.fail("school_brin", "required")
        if not (leerling_id and first and last and swv):
            return None, None
        facts = _PupilFacts(
            leerling_id=leerling_id,
            first_name=first,
            last_name=last,
            gender=gender,
            birth_date=birth,
            residence=row.text("woonplaats"),
            gemeente=row.text("gemeente", max_length=200),
            school_brin=brin,
            school_name=row.text("school_naam", max_length=200),
            school_type=school_type,
            region=region,
            bestuur=row.text("bestuur", max_length=200),
            swv=swv,
        )
        case = None
        if category is not None and start is not None:
            case = _CaseFacts(
                category=category,
                article=article,
                start=start,
                end=end,
                offer_since=offer,
                exemption_end=exemption_end,
                permanent=permanent == "ja",
            )
        return facts, case

    def _check_organisations(self, row: _Row, facts: _PupilFacts) -> None:
        """Named organisations must agree with what is registered (or with earlier rows)."""
        swv = self.swvs.get(facts.swv)
        if facts.bestuur:
            board = self.besturen.get(facts.bestuur)
            if board is not None and (swv is None or board.swv_id != swv.id):
                row.fail("bestuur", "in_other_swv")
        if facts.gemeente:
            gemeente = self.gemeenten.get(facts.gemeente)
            if gemeente is not None and (swv is None or gemeente.swv_id != swv.id):
                row.fail("gemeente", "in_other_swv")
        if facts.school_brin is None:
            return
        school = self.schools.get(facts.school_brin)
        if school is None:
            for column, value in (
                ("school_naam", facts.school_name),
                ("onderwijssoort", facts.school_type),
                ("regio", facts.region),
                ("bestuur", facts.bestuur),
            ):
                if not value:
                    row.fail(column, "required")
            # Later rows must describe the new school the same way.
            if all((facts.school_name, facts.school_type, facts.region, facts.bestuur)):
                self.schools[facts.school_brin] = School(
                    brin=facts.school_brin,
                    name=facts.school_name or "",
                    onderwijssoort=facts.school_type or "",
                    regio=facts.region or "",
                    bestuur_id=-1,
                    registered_on=self.today,
                )
                self._new_school_board[facts.school_brin] = facts.bestuur or ""
            return
        board_name = self._new_school_board.get(facts.school_brin)
        if board_name is None:
            registered_board = next(
                (b.name for b in self.besturen.values() if b.id == school.bestuur_id), None
            )
        else:
            registered_board = board_name
        for column, value, registered in (
            ("school_naam", facts.school_name, school.name),
            ("onderwijssoort", facts.school_type, school.onderwijssoort),
            ("regio", facts.region, school.regio),
            ("bestuur", facts.bestuur, registered_board),
        ):
            if value and value != registered:
                row.fail(column, "conflicting_school")

    def _organisation(self, facts: _PupilFacts) -> tuple[int, int | None, int | None]:
        swv = self.swvs.get(facts.swv)
        if swv is None:
            swv = self.swvs[facts.swv] = Swv(name=facts.swv, registered_on=self.today)
            self.session.add(swv)
            self.session.flush()
        assert swv.id is not None
        gemeente_id = None
        if facts.gemeente:
            gemeente = self.gemeenten.get(facts.gemeente)
            if gemeente is None:
                gemeente = Gemeente(name=facts.gemeente, swv_id=swv.id, registered_on=self.today)
                self.gemeenten[facts.gemeente] = gemeente
                self.session.add(gemeente)
                self.session.flush()
            gemeente_id = gemeente.id
        school_id = None
        if facts.school_brin:
            school = self.schools[facts.school_brin]
            if school.id is None:
                board = self.besturen.get(facts.bestuur or "")
                if board is None:
                    board = Bestuur(
                        name=facts.bestuur or "", swv_id=swv.id, registered_on=self.today
                    )
                    self.besturen[board.name] = board
                    self.session.add(board)
                    self.session.flush()
                assert board.id is not None
                school.bestuur_id = board.id
                self.session.add(school)
                self.session.flush()
            school_id = school.id
        return swv.id, gemeente_id, school_id

    def _write(self, parsed: list[tuple[int, _PupilFacts, _CaseFacts | None]]) -> None:
        ids = {facts.leerling_id for _, facts, _ in parsed}
        pupils = {
            p.leerling_id: p
            for p in self.session.exec(select(Pupil).where(col(Pupil.leerling_id).in_(ids)))
        }
        # New rows go in as plain Core inserts: building 10,000 validated SQLModel objects
        # takes longer than writing them.
        new_pupils: list[dict[str, object]] = []
        changed_rows: set[int] = set()
        seen: set[str] = set()
        for line, facts, _ in parsed:
            if facts.leerling_id in seen:
                continue
            seen.add(facts.leerling_id)
            swv_id, gemeente_id, school_id = self._organisation(facts)
            wanted = {
                "first_name": facts.first_name,
                "last_name": facts.last_name,
                "gender": facts.gender,
                "birth_date": facts.birth_date,
                "residence": facts.residence,
                "swv_id": swv_id,
                "gemeente_id": gemeente_id,
                "school_id": school_id,
            }
            pupil = pupils.get(facts.leerling_id)
            if pupil is None:
                new_pupils.append(
                    {"leerling_id": facts.leerling_id, "created_at": self.now,
                     "updated_at": self.now, **wanted,
                     **token_columns(facts.first_name, facts.last_name)}
                )  # fmt: skip
                changed_rows.add(line)
            elif _apply(pupil, wanted):
                refresh_tokens(pupil)
                pupil.updated_at = self.now
                self.session.add(pupil)
                self.result.pupils_updated += 1
                changed_rows.add(line)
        self.session.flush()
        if new_pupils:
            self.session.execute(insert(table_of(Pupil)), new_pupils)
            self.result.pupils_created = len(new_pupils)
        pupil_ids = dict(
            self.session.execute(
                select(Pupil.leerling_id, Pupil.id).where(col(Pupil.leerling_id).in_(ids))
            ).all()
        )
        known = list(pupil_ids.values())
        cases = {
            (c.pupil_id, str(c.category), c.start_date): c
            for c in self.session.exec(select(Case).where(col(Case.pupil_id).in_(known)))
        }
        exemptions = {
            (e.pupil_id, e.article, e.start_date): e
            for e in self.session.exec(select(Exemption).where(col(Exemption.pupil_id).in_(known)))
        }
        new_cases: dict[tuple[int, str, date], dict[str, object]] = {}
        new_exemptions: dict[tuple[int, str, date], dict[str, object]] = {}
        for line, facts, case_facts in parsed:
            if case_facts is None:
                continue
            pupil_id = pupil_ids[facts.leerling_id]
            if self._write_case(pupil_id, case_facts, cases, exemptions, new_cases, new_exemptions):
                changed_rows.add(line)
        if new_cases:
            self.session.execute(insert(table_of(Case)), list(new_cases.values()))
        if new_exemptions:
            self.session.execute(insert(table_of(Exemption)), list(new_exemptions.values()))
        self.result.cases_created = len(new_cases)
        self.result.unchanged = len(parsed) - len(changed_rows)
        self.session.flush()

    def _write_case(
        self,
        pupil_id: int,
        facts: _CaseFacts,
        cases: dict[tuple[int, str, date], Case],
        exemptions: dict[tuple[int, str, date], Exemption],
        new_cases: dict[tuple[int, str, date], dict[str, object]],
        new_exemptions: dict[tuple[int, str, date], dict[str, object]],
    ) -> bool:
        # An exemption's end date ends its A2 case, as on every other path (the README's CSV
        # fills `vrijstelling_einddatum` and leaves `einddatum` empty).
        end = facts.end
        if end is None and facts.category == Category.A2:
            end = facts.exemption_end
        closed = end is not None and end <= self.today
        wanted: dict[str, object] = {
            "exemption_article": facts.article,
            "end_date": end,
            "offer_since": facts.offer_since,
            "status": CaseStatus.CLOSED if closed else CaseStatus.CURRENT,
        }
        key = (pupil_id, facts.category, facts.start)
        changed = False
        case = cases.get(key)
        if case is None:
            new_cases[key] = {
                "pupil_id": pupil_id, "category": facts.category, "start_date": facts.start,
                "created_at": self.now, **wanted,
            }  # fmt: skip
            changed = True
        elif _apply(case, wanted):
            self.session.add(case)
            self.result.cases_updated += 1
            changed = True
        if facts.category == Category.A2 and facts.article is not None:
            exemption_key = (pupil_id, facts.article, facts.start)
            exemption_wanted: dict[str, object] = {
                "end_date": facts.exemption_end,
                "permanent": facts.permanent,
            }
            exemption = exemptions.get(exemption_key)
            if exemption is None:
                new_exemptions[exemption_key] = {
                    "pupil_id": pupil_id, "article": facts.article, "start_date": facts.start,
                    "created_at": self.now, **exemption_wanted,
                }  # fmt: skip
                changed = True
            elif _apply(exemption, exemption_wanted):
                self.session.add(exemption)
                changed = True
        return changed


def _apply(target: object, wanted: Mapping[str, object]) -> bool:
    changed = False
    for name, value in wanted.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


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
                    {"pupil_id": pupil_id, "day": day, "kind": kind, "hours": hours,
                     "created_at": self.now}
                )  # fmt: skip
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
