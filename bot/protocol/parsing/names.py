"""Where the pupil's name ends: a message starts with a name (or a label, "S.V. #24"), or with
several joined by "en"."""

from __future__ import annotations

import difflib
import re
from datetime import date

from bot.protocol.dates import (
    MONTHS,
    NUMBER_WORDS,
    find_dates,
)
from bot.protocol.dates import (
    PATTERNS as DATE_PATTERNS,
)
from bot.protocol.parsing.words import (
    _AMOUNT_PATTERNS,
    _BACK_RE,
    _EXEMPTION_RE,
    _FILLERS,
    _KIND_PHRASES,
    _KIND_RE,
    _KIND_TYPOS,
    _MOVEMENT_RE,
    _NAME_STOP,
    _NEGATION,
    _NEW_SCHOOL_RE,
    _OFFER_RE,
    _PARTICLES,
    _PREFIX_KINDS,
    _REASON,
    _SINCE,
    _SUSPENSION_RE,
    _UNTIL_INCLUSIVE,
    _UNTIL_OPEN,
    _VARIAWET_STEPS,
)


def split_name(text: str) -> tuple[str, str]:
    """The pupil's name and the rest: a leading name ("Sanne de Vries 4 uur …", "Sanne V. …",
    the bot's own label "S.V. #12"), or, when the message starts with what happened, a trailing
    one ("… afwezig Milan")."""
    tokens = text.split()
    name = _leading_name(tokens)
    if name:
        return " ".join(name), " ".join(tokens[len(name) :])
    # Nothing leads ("vandaag ziek Milan", "vrijstelling Sanne 5A"): the one run of capitalised
    # unknown words anywhere is the name; with none, or more than one, there is no name.
    runs = _name_runs(tokens)
    if len(runs) != 1:
        return "", text
    found = runs[0]
    name_text = " ".join(_name_word(tokens[i]) for i in found)
    rest = " ".join(t for i, t in enumerate(tokens) if i not in found)
    return name_text, rest


# The case number of a label ("S.V. #12"): it ends the name.
_LABEL_NUMBER = re.compile(r"#\d{1,9}")


def _leading_name(tokens: list[str]) -> list[str]:
    """The words of the name the tokens start with (none when they start otherwise)."""
    name: list[str] = []
    for index, token in enumerate(tokens):
        bare = token.strip(":,;!")
        if _LABEL_NUMBER.fullmatch(bare) and len(name) < 4:
            name.append(bare)
            break
        if bare.lower() in _PARTICLES and name and len(name) < 4:
            # "Sanne van Dijk", but not "Sanne van 9 tot 11".
            following = tokens[index + 1].strip(":,;!") if index + 1 < len(tokens) else ""
            if following and not _ends_name(following):
                name.append(bare)
                continue
            break
        if not bare or _ends_name(bare) or len(name) == 4:
            break
        if name and name[0][:1].isupper() and not bare[:1].isupper():
            # "Finn kwam …": after a capitalised first name only capitalised words (and the
            # particles above) belong to the name; "sanne de vries" typed in lower case still is.
            break
        name.append(bare)
        if token.endswith((":", ",", ";", "!")):
            break
    return name


def _name_runs(tokens: list[str]) -> list[list[int]]:
    """The runs of capitalised unknown words (and label numbers), as token indexes."""
    runs: list[list[int]] = []
    for index, token in enumerate(tokens):
        bare = token.strip(":,;!.")
        label_number = bool(_LABEL_NUMBER.fullmatch(bare))
        if bare and (label_number or (bare[0].isupper() and not _ends_name(bare))):
            if runs and runs[-1][-1] == index - 1 and len(runs[-1]) < 4:
                runs[-1].append(index)
            else:
                runs.append([index])
    return runs


def _name_run(tokens: list[str]) -> str:
    """The one name among the tokens ("" with none, or more than one)."""
    runs = _name_runs(tokens)
    if len(runs) != 1:
        return ""
    return " ".join(_name_word(tokens[i]) for i in runs[0])


def _name_word(token: str) -> str:
    """A word of a name without the punctuation around it; initials keep their dots ("S.V.",
    "V.") while a full stop after a word goes ("… Milan.")."""
    word = token.strip(":,;!")
    if word.endswith(".") and word.count(".") == 1 and len(word) > 2:
        return word[:-1]
    return word


_CONNECTOR = frozenset({"en", "and", "&", "+"})


# "Daan en Sem allebei …": says the same of each, nothing of its own.
_EACH = re.compile(
    r"(?<![\w-])(?:allebei|beiden|beide|both|samen|together|alle\s+(?:twee|drie|vier|vijf)|"
    r"all\s+(?:two|three|four|five))(?![\w-])",
    re.IGNORECASE,
)


def _leading_names(text: str) -> tuple[list[str], str]:
    """The names a message starts with ("Daan, Sem en Lotte …") and what is said of each; for
    one name (or none) the rest is left to the one-pupil reading."""
    tokens = text.split()
    names: list[str] = []
    start = 0
    while start < len(tokens):
        words = _leading_name(tokens[start:])
        if not words or (names and names[0][:1].isupper() and not _capitalised(words[0])):
            break
        names.append(" ".join(words))
        start += len(words)
        after_comma = tokens[start - 1].endswith(",")
        if start < len(tokens) and tokens[start].lower() in _CONNECTOR:
            start += 1
        elif not after_comma:
            break
    if len(names) < 2:
        return names, ""
    return names, " ".join(_EACH.sub(" ", " ".join(tokens[start:])).split())


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or bool(_LABEL_NUMBER.fullmatch(word))


def split_caption(caption: str) -> tuple[str, str]:
    """A file's caption: the pupil's name it starts with ("Julia Oefenaar", "S.V. #12") and the
    rest as the file's description. A caption of more words that starts in lower case names
    nobody ("verslag RTG"); one word alone is a name ("sanne")."""
    tokens = caption.split()
    if len(tokens) == 1 and not _ends_name(tokens[0].strip(":,;!")):
        return tokens[0].strip(":,;!"), ""
    if not tokens or not _capitalised(tokens[0].strip(":,;!")):
        return "", " ".join(tokens).strip(" :,-")
    name = _leading_name(tokens)
    return " ".join(name), " ".join(tokens[len(name) :]).strip(" :,-")


def _vocabulary() -> frozenset[str]:
    """Every word the parser reads: none of them can be part of a pupil's name."""
    sources = [p for p, _ in _KIND_PHRASES] + [p.pattern for p, _ in _AMOUNT_PATTERNS]
    sources += [p.pattern for p, _ in DATE_PATTERNS]
    sources += [
        r.pattern
        for r in (
            _BACK_RE,
            _EXEMPTION_RE,
            _SUSPENSION_RE,
            _MOVEMENT_RE,
            _OFFER_RE,
            _REASON,
            _NEW_SCHOOL_RE,
        )
    ]
    sources += [_SINCE, _UNTIL_INCLUSIVE, _UNTIL_OPEN, *(words for _, words in _VARIAWET_STEPS)]
    words = {w for source in sources for w in re.findall(r"[a-zé]{2,}", source)}
    words |= _FILLERS | _NEGATION | set(NUMBER_WORDS) | set(_PREFIX_KINDS)
    # Month names are names too ("Jan", "May"); a date needs a number, so they are not needed.
    return frozenset(words - set(MONTHS) - _PARTICLES - {"a", "an"})


def _ends_name(word: str) -> bool:
    lowered = word.lower().strip(".")
    stem = re.sub(r"['’]s$", "", lowered)
    if _NAME_STOP.match(lowered) or lowered in _VOCABULARY or stem in _VOCABULARY:
        return True
    if any(pattern.fullmatch(lowered) for pattern, _ in [*_KIND_RE, *_AMOUNT_PATTERNS]):
        return True
    if find_dates(lowered, date(2000, 1, 3)):
        return True
    if lowered in NUMBER_WORDS and lowered not in {"a", "an"}:
        return True
    # A mistyped kind word ("ongeoorlofd") ends the name too; real names are not that close.
    return len(lowered) >= 7 and bool(difflib.get_close_matches(lowered, _KIND_TYPOS, cutoff=0.82))


def _free_text(text: str) -> str:
    return " ".join(text.strip(" :,-").split())


_VOCABULARY = _vocabulary()
