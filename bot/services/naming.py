"""How chat messages name a pupil: initials and case number, never more than the SWV chose."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.storage.crypto import fold_name
from bot.storage.models import PupilNaming

# How close a typed name must be to a pupil's (0–100, rapidfuzz's ratio) to be suggested:
# "Sane" for Sanne scores 89, "Mila Demovik" for Mila Demovic 92; "Tom" for Tim 67.
CLOSE_ENOUGH = 80.0

# Dutch surname prefixes (tussenvoegsels) are not part of the initial: "de Vries" → "V.".
_PREFIXES = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "ter",
        "ten",
        "te",
        "'t",
        "in",
        "op",
        "la",
        "le",
        "du",
        "di",
        "da",
        "el",
        "al",
        "von",
        "vd",
        "v.d.",
        "d'",
    }
)


def surname_initial(last_name: str) -> str:
    """The initial of the surname proper, skipping prefixes like "van der"."""
    words = last_name.split()
    for word in words:
        if word.lower() not in _PREFIXES:
            return word[0].upper()
    return words[-1][0].upper() if words else ""


def initials(first_name: str, last_name: str) -> str:
    """ "S.V." for Sanne de Vries."""
    first = first_name.strip()[:1].upper()
    initial = surname_initial(last_name)
    return f"{first}.{initial}." if initial else f"{first}."


def pupil_label(first_name: str, last_name: str, case_id: int | None, naming: str) -> str:
    """ "S.V. #42", or "Sanne V. #42" where the SWV chose first names."""
    first = first_name.strip()
    initial = surname_initial(last_name)
    if naming == PupilNaming.FIRST_NAME.value:
        name = f"{first} {initial}." if initial else first
    else:
        name = initials(first_name, last_name)
    return f"{name} #{case_id}" if case_id is not None else name


def close_names(typed: str, pupils: Iterable[tuple[int, str, str]], *, limit: int = 3) -> list[int]:
    """The ids of the pupils (id, first name, last name) whose first or full name is close to
    what was typed, closest first: "Did you mean …?" for a typo. Three letters at least."""
    wanted = fold_name(typed).rstrip(".")
    if len(wanted) < 3:
        return []
    scored: list[tuple[float, int]] = []
    for pupil_id, first, last in pupils:
        names = [fold_name(f"{first} {last}")]
        if " " not in wanted:
            names.append(fold_name(first))
        score = max(fuzz.ratio(wanted, name) for name in names)
        if score >= CLOSE_ENOUGH:
            scored.append((score, pupil_id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [pupil_id for _, pupil_id in scored[:limit]]
