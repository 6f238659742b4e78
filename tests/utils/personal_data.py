"""The personal data in the tests' datasets, to look for where it must never be (logs)."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache
from pathlib import Path

from tests.utils import datasets

DATA = Path(__file__).parent.parent / "data"
# Words typed in chat tests that must stay there (notes, unknown names, file names).
CHAT_SECRETS = (
    "moeder belde over de diagnose", "Pietje Puk", "verslag Sanne", "Daan van Dijk",
    "Sanne de Vries", "Jan Jansen", "terug naar school sinds", "diagnose volgt",
    "gesprek met jeugdarts", "RTG met ouders", "elke ochtend 2 uur", "jeugdarts GGD",
    "wacht op diagnose", "goed verlopen", "moeder gebeld", "huisbezoek", "dagbesteding",
)  # fmt: skip


def _dates(text: str) -> set[str]:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return {text} if text else set()
    return {day.isoformat(), day.strftime("%d-%m-%Y")}


@cache
def _patterns() -> re.Pattern[str]:
    rows = [datasets.pupil_row(n) for n in range(200)]
    for path in sorted(DATA.glob("*/pupils.csv")):
        with path.open(encoding="utf-8") as stream:
            rows += list(csv.DictReader(stream))
    words: set[str] = set(CHAT_SECRETS)
    for row in rows:
        words |= {f"{row['voornaam']} {row['achternaam']}", row["achternaam"]}
        words |= _dates(row["geboortedatum"])
        words.add(row["voornaam"])
    # Whole words, case-sensitive: "Eva" is a name, "Evaluation" is not.
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def personal_data_in(text: str) -> list[str]:
    """The names and birth dates of the test data that occur in `text`."""
    return sorted(set(_patterns().findall(text)))
