"""CSV datasets for tests: a realistic small SWV, and a generator for large files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bot.services.importing import ABSENCE_COLUMNS, PUPIL_COLUMNS

SWV = "SWV Rijn en Gouwe"
SCHOOLS = {
    "12AB": ("De Regenboog", "PO", "midden", "Stichting Bolder"),
    "34CD": ("Het Baken", "VO", "zuid", "Stichting Bolder"),
    "56EF": ("De Vlinder", "SO", "noord", "Stichting Kompas"),
}


def pupils_csv(rows: Iterable[dict[str, str]]) -> str:
    """A pupils-and-cases CSV with the given rows (missing columns are empty)."""
    return _csv(PUPIL_COLUMNS, rows)


def absences_csv(rows: Iterable[dict[str, str]]) -> str:
    """An absence CSV with the given rows."""
    return _csv(ABSENCE_COLUMNS, rows)


def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return buffer.getvalue()


FIRST_NAMES = [
    "Sanne", "Daan", "Emma", "Noah", "Julia", "Sem", "Tess", "Lucas", "Mila", "Finn",
    "Zoë", "Levi", "Sara", "Milan", "Eva", "Jesse", "Lotte", "Luuk", "Anna", "Bram",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits",
]  # fmt: skip
CATEGORIES = [
    ("B2", "", ""), ("A1", "", ""), ("A2", "5A", ""), ("B1", "", ""), ("B2", "", ""),
    ("A2", "5B", "ja"), ("", "", ""), ("B2", "", ""), ("A2", "5C", "nee"), ("A1", "", ""),
]  # fmt: skip


def pupil_row(number: int) -> dict[str, str]:
    """Row `number` of the standard dataset: 3 schools, a mix of categories."""
    brin = list(SCHOOLS)[number % 3]
    name, kind, region, board = SCHOOLS[brin]
    category, article, permanent = CATEGORIES[number % len(CATEGORIES)]
    row = {
        "leerling_id": f"L{number:05d}",
        "voornaam": FIRST_NAMES[number % 20],
        "achternaam": LAST_NAMES[(number * 7) % 20],
        "geslacht": "MVX"[number % 3],
        "geboortedatum": f"{2010 + number % 9}-0{1 + number % 9}-1{number % 9}",
        "woonplaats": "Gouda" if number % 2 else "Alphen aan den Rijn",
        "gemeente": "Gouda" if number % 2 else "Alphen aan den Rijn",
        "school_brin": brin,
        "school_naam": name,
        "onderwijssoort": kind,
        "regio": region,
        "bestuur": board,
        "swv": SWV,
    }
    if category:
        row |= {
            "categorie": category,
            "vrijstelling_artikel": article,
            "startdatum": f"2026-{1 + number % 10:02d}-0{1 + number % 8}",
            "vrijstelling_permanent": permanent,
        }
    if category == "B1":
        row |= {
            "school_brin": "",
            "school_naam": "",
            "onderwijssoort": "",
            "regio": "",
            "bestuur": "",
        }
    return row


def standard_pupils(count: int = 20) -> str:
    """The standard dataset of `count` pupils as a CSV file's text."""
    return pupils_csv(pupil_row(n) for n in range(count))
