"""Updates that start with their kind: "actie Sanne: …", "doel …", "notitie …"."""

from __future__ import annotations

import re
from datetime import date

from bot.protocol.dates import (
    Day,
    find_dates,
)
from bot.protocol.parsing.names import _free_text, split_name
from bot.protocol.parsing.others import _offer, _variawet
from bot.protocol.parsing.values import (
    ContactPerson,
    Entry,
    Evaluation,
    FailureReason,
    Hint,
    Offer,
    ParseFailure,
    ParseResult,
    QuickUpdate,
    Result,
    Variawet,
)
from bot.protocol.parsing.words import _CONFIDENTIAL, _PREFIX_KINDS, _PREFIX_WORDS
from bot.protocol.vocabulary import EntryKind


def _prefixed(text: str, today: date) -> ParseResult | None:
    """ "actie Sanne: RTG met ouders op 12 maart" and friends; None when not of this form."""
    head, colon, body = text.partition(":")
    if not colon:
        return None
    confidential = bool(_CONFIDENTIAL.search(head))
    head = " ".join(_CONFIDENTIAL.sub(" ", head).split())
    first = re.match(
        rf"^({_PREFIX_WORDS})(?:\s+(?:voor|for|van|of|bij))?\s+(.{{1,60}})$", head, re.IGNORECASE
    )
    last = re.match(rf"^(.{{1,60}}?)\s+({_PREFIX_WORDS})$", head, re.IGNORECASE)
    if first is not None:
        keyword, name = first.group(1), first.group(2).strip()
    elif last is not None:
        name, leftover = split_name(last.group(1).strip())
        # "Sanne passend aanbod: …": words like "passend" belong to the keyword, not the name.
        if not name or leftover.lower() not in ("", "passend", "passende", "suitable", "een", "a"):
            return None
        keyword = last.group(2)
    else:
        return None
    kind = _PREFIX_KINDS[keyword.lower()]
    body = body.strip()
    if kind is Offer:
        return _offer(name, body, today)
    if kind is Variawet:
        return _variawet(name, body, today)
    if kind is Evaluation or kind is ContactPerson or kind is Result:
        # Free text: dates in it are part of what was written, not when it happened.
        described = _free_text(body)
        if not described:
            return ParseFailure(FailureReason.NO_TEXT, name=name, hint=Hint.ENTRY)
        return QuickUpdate(name, (kind(described),))
    assert isinstance(kind, EntryKind)
    lowered = body.lower()
    # An action's date is the one it mentions ("RTG met ouders op 12 maart"); in a note, goal
    # or party a date is part of what was written ("vader belt morgen terug").
    dated = kind is EntryKind.ACTION
    matches = [m for m in find_dates(lowered, today) if dated and isinstance(m.value, Day)]
    day = today
    description = body
    if matches:
        # The date of an action is the one it mentions ("… op 12 maart"), the first one only.
        first_date = matches[0]
        assert isinstance(first_date.value, Day)
        day = first_date.value.value
        # "MDO op 18 maart gepland" → "MDO gepland": the date goes with its preposition.
        before = re.sub(r"\b(?:op|on|per)\s*$", "", body[: first_date.start], flags=re.I)
        description = before + " " + body[first_date.end :]
    description = _free_text(description)
    if not description:
        return ParseFailure(FailureReason.NO_TEXT, name=name, hint=Hint.ENTRY)
    return QuickUpdate(name, (Entry(kind, day, description, confidential),))
