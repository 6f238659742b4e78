"""CSV import: all or nothing, every bad row reported, idempotent."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.importing import RowError, import_csv
from bot.storage.models import (
    Absence,
    Bestuur,
    Case,
    Exemption,
    Gemeente,
    Pupil,
    School,
    Swv,
)
from tests.utils.datasets import absences_csv, pupil_row, pupils_csv, standard_pupils

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def _import(session: Session, text: str, today: date = TODAY):  # type: ignore[no-untyped-def]
    result = import_csv(
        settings=PROTOCOL, session=session, stream=io.StringIO(text), today=today, now=NOW
    )
    session.commit()
    return result


def _counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.exec(select(func.count()).select_from(model)).one()
        for model in (Swv, Bestuur, School, Gemeente, Pupil, Case, Exemption, Absence)
    }


def test_a_realistic_file_creates_organisations_pupils_and_cases(session: Session) -> None:
    result = _import(session, standard_pupils(20))

    assert result.ok, result.errors
    assert (result.kind, result.rows, result.pupils_created, result.cases_created) == (
        "pupils", 20, 20, 18,
    )  # fmt: skip
    assert _counts(session) == {
        "Swv": 1, "Bestuur": 2, "School": 3, "Gemeente": 2,
        "Pupil": 20, "Case": 18, "Exemption": 6, "Absence": 0,
    }  # fmt: skip
    sanne = session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    school = session.get(School, sanne.school_id)
    assert (sanne.first_name, sanne.last_name, sanne.gender) == ("Sanne", "de Vries", "M")
    assert school is not None
    assert (school.brin, school.name, school.regio) == (
        "12AB",
        "De Regenboog",
        "midden",
    )
    b1 = session.exec(select(Pupil).where(Pupil.leerling_id == "L00003")).one()
    assert b1.school_id is None
    assert b1.swv_id == sanne.swv_id


def test_reimporting_the_same_file_changes_nothing(session: Session) -> None:
    text = standard_pupils(20)
    _import(session, text)
    before = _counts(session)
    stamps = {p.leerling_id: p.updated_at for p in session.exec(select(Pupil))}

    again = _import(session, text)

    assert again.ok
    assert (again.pupils_created, again.pupils_updated, again.cases_created, again.unchanged) == (
        0, 0, 0, 20,
    )  # fmt: skip
    assert _counts(session) == before
    session.expire_all()
    assert {p.leerling_id: p.updated_at for p in session.exec(select(Pupil))} == stamps


def test_a_changed_row_updates_that_pupil_and_case(session: Session) -> None:
    _import(session, standard_pupils(5))
    rows = [pupil_row(n) for n in range(5)]
    rows[0] = rows[0] | {"woonplaats": "Waddinxveen", "einddatum": "2026-11-01"}

    result = _import(session, pupils_csv(rows))

    assert (result.pupils_updated, result.cases_updated, result.unchanged) == (1, 1, 4)
    sanne = session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    assert sanne.residence == "Waddinxveen"
    [case] = session.exec(select(Case).where(Case.pupil_id == sanne.id)).all()
    assert (case.end_date, case.status) == (date(2026, 11, 1), "closed")


def test_dutch_dates_are_accepted(session: Session) -> None:
    row = pupil_row(0) | {"geboortedatum": "29-02-2016", "startdatum": "15-03-2026"}
    assert _import(session, pupils_csv([row])).ok
    pupil = session.exec(select(Pupil)).one()
    assert pupil.birth_date == date(2016, 2, 29)


BAD_ROWS = [
    ({"onderwijssoort": "HAVO"}, "onderwijssoort", "bad_choice"),
    ({"geboortedatum": "31-02-2015"}, "geboortedatum", "bad_date"),
    ({"geboortedatum": "2015/03/01"}, "geboortedatum", "bad_date"),
    ({"geboortedatum": "2030-01-01"}, "geboortedatum", "future"),
    ({"categorie": "C3"}, "categorie", "bad_choice"),
    ({"regio": "west"}, "regio", "bad_choice"),
    ({"geslacht": "Q"}, "geslacht", "bad_choice"),
    ({"voornaam": ""}, "voornaam", "bad_first_name"),
    ({"swv": ""}, "swv", "required"),
    ({"school_brin": "XYZ"}, "school_brin", "bad_brin"),
    ({"categorie": "A2", "vrijstelling_artikel": ""}, "vrijstelling_artikel", "required"),
    ({"categorie": "B2", "vrijstelling_artikel": "5A"}, "vrijstelling_artikel", "article_without_a2"),
    ({"categorie": "B2", "startdatum": ""}, "startdatum", "required"),
    ({"startdatum": "2026-05-01", "einddatum": "2026-04-01"}, "einddatum", "end_before_start"),
    ({"vrijstelling_permanent": "misschien"}, "vrijstelling_permanent", "bad_choice"),
    (
        {"school_brin": "12AB", "school_naam": "Andere naam", "onderwijssoort": "PO",
         "regio": "midden", "bestuur": "Stichting Bolder"},
        "school_naam",
        "conflicting_school",
    ),
    ({"leerling_id": "L 1"}, "leerling_id", "bad_id"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "column", "reason"), BAD_ROWS)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(
    session: Session, change: dict[str, str], column: str, reason: str
) -> None:
    rows = [pupil_row(n) for n in range(4)]
    plain_b2 = {"categorie": "B2", "startdatum": "2026-09-01", "vrijstelling_artikel": ""}
    rows[2] = rows[2] | plain_b2 | {"vrijstelling_permanent": ""} | change
    before = _counts(session)

    result = _import(session, pupils_csv(rows))

    assert not result.ok
    assert RowError(4, column, reason, result.errors[0].value) in result.errors
    assert {e.line for e in result.errors} == {4}
    assert _counts(session) == before


def test_every_bad_row_is_reported_not_just_the_first(session: Session) -> None:
    rows = [pupil_row(n) for n in range(6)]
    rows[1] |= {"geboortedatum": "2030-01-01"}
    rows[4] |= {"onderwijssoort": "MBO"}

    result = _import(session, pupils_csv(rows))

    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (3, "geboortedatum", "future"),
        (6, "onderwijssoort", "bad_choice"),
    ]
    assert _counts(session)["Pupil"] == 0


def test_a_duplicate_pupil_id_with_conflicting_data_is_an_error(session: Session) -> None:
    rows = [pupil_row(0), pupil_row(1), pupil_row(0) | {"achternaam": "Anders"}]
    result = _import(session, pupils_csv(rows))
    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (4, "leerling_id", "conflicting_pupil")
    ]


def test_a_duplicate_pupil_id_with_the_same_data_adds_a_second_case(session: Session) -> None:
    second = pupil_row(0) | {"categorie": "A1", "startdatum": "2026-10-01"}
    result = _import(session, pupils_csv([pupil_row(0), second]))
    assert result.ok, result.errors
    assert (result.pupils_created, result.cases_created) == (1, 2)


def test_an_existing_school_of_another_swv_is_refused(session: Session, orgs: Session) -> None:
    row = pupil_row(0) | {"school_brin": "78GH", "school_naam": "", "bestuur": ""}
    result = _import(session, pupils_csv([row]))
    assert not result.ok


def test_unknown_header_and_broken_files(session: Session) -> None:
    assert _import(session, "naam,datum\nSanne,2026-01-01\n").errors == [
        RowError(1, "", "unknown_header")
    ]
    assert _import(session, "").errors == [RowError(1, "", "unknown_header")]
    broken = standard_pupils(2) + "L9,too,few\n"
    result = _import(session, broken)
    assert [(e.line, e.reason) for e in result.errors] == [(4, "column_count")]
    assert _counts(session)["Pupil"] == 0


def test_absences_import_and_reimport(session: Session) -> None:
    _import(session, standard_pupils(3))
    rows = [
        {"leerling_id": "L00000", "datum": "2026-11-16", "uren": "4", "soort": "ongeoorloofd"},
        {"leerling_id": "L00000", "datum": "17-11-2026", "uren": "2,5", "soort": "te_laat"},
        {"leerling_id": "L00001", "datum": "2026-11-16", "uren": "6", "soort": "ziek"},
    ]
    result = _import(session, absences_csv(rows))
    assert (result.kind, result.absences_created) == ("absences", 3)
    late = session.exec(select(Absence).where(Absence.kind == "te_laat")).one()
    assert (late.day, late.hours) == (date(2026, 11, 17), 2.5)

    again = _import(session, absences_csv(rows))
    assert (again.absences_created, again.absences_updated, again.unchanged) == (0, 0, 3)

    rows[2]["uren"] = "5"
    changed = _import(session, absences_csv(rows))
    assert (changed.absences_updated, changed.unchanged) == (1, 2)


BAD_ABSENCES = [
    ({"leerling_id": "L99999"}, "leerling_id", "unknown_pupil"),
    ({"datum": "2026-11-23"}, "datum", "future_date"),
    ({"datum": "gisteren"}, "datum", "bad_date"),
    ({"uren": "0"}, "uren", "bad_hours"),
    ({"uren": "25"}, "uren", "bad_hours"),
    ({"uren": "veel"}, "uren", "bad_hours"),
    ({"soort": "spijbelen"}, "soort", "bad_choice"),
]


@pytest.mark.parametrize(("change", "column", "reason"), BAD_ABSENCES)
def test_each_kind_of_bad_absence_row_is_reported(
    session: Session, change: dict[str, str], column: str, reason: str
) -> None:
    _import(session, standard_pupils(3))
    good = {"leerling_id": "L00000", "datum": "2026-11-16", "uren": "4", "soort": "ongeoorloofd"}

    result = _import(session, absences_csv([good, good | change]))

    assert [(e.line, e.column, e.reason) for e in result.errors] == [(3, column, reason)]
    assert _counts(session)["Absence"] == 0


def test_conflicting_absence_rows_in_one_file(session: Session) -> None:
    _import(session, standard_pupils(1))
    row = {"leerling_id": "L00000", "datum": "2026-11-16", "uren": "4", "soort": "ongeoorloofd"}
    result = _import(session, absences_csv([row, row | {"uren": "3"}]))
    assert [(e.line, e.reason) for e in result.errors] == [(3, "conflicting_absence")]


def test_ten_thousand_rows_import(session: Session) -> None:
    result = _import(session, standard_pupils(10_000))
    assert result.ok
    assert _counts(session)["Pupil"] == 10_000


def test_an_exemption_end_date_ends_its_a2_case_as_on_every_other_path(session: Session) -> None:
    # The README's way: `vrijstelling_einddatum` filled, `einddatum` empty. Pupil 2 is A2-5A.
    ended = pupil_row(2) | {"startdatum": "2026-01-05", "vrijstelling_einddatum": "2026-07-31"}
    running = pupil_row(12) | {"startdatum": "2026-09-01", "vrijstelling_einddatum": "2027-07-31"}
    assert _import(session, pupils_csv([ended, running])).ok
    cases = {
        session.get(Pupil, case.pupil_id).leerling_id: case  # type: ignore[union-attr]
        for case in session.exec(select(Case))
    }
    assert (cases["L00002"].end_date, str(cases["L00002"].status)) == (date(2026, 7, 31), "closed")
    assert (cases["L00012"].end_date, str(cases["L00012"].status)) == (date(2027, 7, 31), "current")
    # Updated by a later import of the same row with another end: the case follows.
    shorter = running | {"vrijstelling_einddatum": "2027-06-30"}
    assert _import(session, pupils_csv([ended, shorter])).ok
    session.expire_all()
    assert session.get(Case, cases["L00012"].id).end_date == date(2027, 6, 30)  # type: ignore[union-attr]
