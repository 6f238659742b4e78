"""How chat messages name a pupil: initials and case number, never more than the SWV chose."""

from __future__ import annotations

from bot.storage.models import PupilNaming

# Dutch surname prefixes (tussenvoegsels) are not part of the initial: "de Vries" → "V.".
_PREFIXES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "in", "op", "la", "le", "du",
     "di", "da", "el", "al", "von", "vd", "v.d.", "d'"}
)  # fmt: skip


def surname_initial(last_name: str) -> str:
    """The initial of the surname proper, skipping prefixes like "van der"."""
    words = last_name.split()
    for word in words:
        if word.lower() not in _PREFIXES:
            return word[0].upper()
    return words[-1][0].upper() if words else ""


def pupil_label(first_name: str, last_name: str, case_id: int | None, naming: str) -> str:
    """ "S.V. #42", or "Sanne V. #42" where the SWV chose first names."""
    first = first_name.strip()
    initial = surname_initial(last_name)
    if naming == PupilNaming.FIRST_NAME.value:
        name = f"{first} {initial}." if initial else first
    else:
        name = f"{first[:1].upper()}.{initial}." if initial else f"{first[:1].upper()}."
    return f"{name} #{case_id}" if case_id is not None else name
