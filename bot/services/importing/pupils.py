"""Importing pupils and their cases: each row checked (a new pupil's own rules included), the
organisations it names checked against the registry, then everything written at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.services.importing.rows import ImportResult, _Row
from bot.services.organisations import normalise_brin
from bot.services.pupil_search import refresh_tokens, token_columns
from bot.storage.models import (
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

_BRIN = re.compile(r"^[0-9]{2}[A-Z0-9]{2}([0-9]{2})?$")


_LEERLING_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


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
                    {
                        "leerling_id": facts.leerling_id,
                        "created_at": self.now,
                        "updated_at": self.now,
                        **wanted,
                        **token_columns(facts.first_name, facts.last_name),
                    }
                )
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
                "pupil_id": pupil_id,
                "category": facts.category,
                "start_date": facts.start,
                "created_at": self.now,
                **wanted,
            }
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
                    "pupil_id": pupil_id,
                    "article": facts.article,
                    "start_date": facts.start,
                    "created_at": self.now,
                    **exemption_wanted,
                }
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
