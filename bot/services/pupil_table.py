"""The list of pupils on the web pages: search, filter, sort and paginate what a user may see.

Names are stored encrypted, so the database can neither search nor sort them. A search for a
name, a label or a case number is answered through the keyed name tokens (`find_pupils`): only
the pupils it names are read and opened. Anything else (part of a name, a school) and the list
without a search read the visible pupils once and filter them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.services.access import visible_pupils
from bot.services.container import Services
from bot.services.deadlines import open_deadline_counts
from bot.services.naming import close_names, pupil_label
from bot.services.pupil_search import find_pupils
from bot.storage.crypto import fold_name
from bot.storage.models import Case, Pupil, School, Swv, User

SORTS = ("name", "start", "deadlines")
NO_CASE = "none"


@dataclass(frozen=True)
class PupilFilter:
    """What the list page asks for; every field comes from a query string and is checked."""

    text: str = ""
    category: str = ""  # "", or one of Category
    status: str = ""  # "", one of CaseStatus, or NO_CASE
    open_deadlines: bool = False
    sort: str = "name"
    page: int = 0


@dataclass(frozen=True)
class PupilRow:
    """One pupil in the table (the full name only reaches the web page, never the chat)."""

    pupil_id: int
    label: str
    full_name: str
    school: str
    category: str | None
    status: str | None
    start_date: date | None
    open_deadlines: int
    first_name: str = ""


def _latest(cases: list[Case]) -> Case | None:
    """The open case, else the one that ended last (as `cases.latest_case`)."""
    if not cases:
        return None

    def order(case: Case) -> tuple[bool, date, int]:
        is_open = case.end_date is None
        return (is_open, case.start_date if is_open else case.end_date or date.min, case.id or 0)

    return max(cases, key=order)


def _rows(session: Session, user: User, pupils: list[Pupil] | None = None) -> list[PupilRow]:
    """The table's rows of `pupils` (by default every pupil `user` may see)."""
    if pupils is None:
        pupils = list(session.exec(select(Pupil).where(visible_pupils(user))))
    ids = [p.id for p in pupils if p.id is not None]
    cases: dict[int, list[Case]] = {}
    for case in session.exec(select(Case).where(col(Case.pupil_id).in_(ids))):
        cases.setdefault(case.pupil_id, []).append(case)
    counts = open_deadline_counts(session=session, pupil_ids=ids)
    school_ids = {p.school_id for p in pupils if p.school_id is not None}
    schools = {
        s.id: s.name for s in session.exec(select(School).where(col(School.id).in_(school_ids)))
    }
    swv = session.get(Swv, user.swv_id)
    naming = swv.pupil_naming if swv is not None else "initials"
    rows = []
    for pupil in pupils:
        assert pupil.id is not None
        latest = _latest(cases.get(pupil.id, []))
        rows.append(
            PupilRow(
                pupil_id=pupil.id,
                label=pupil_label(
                    pupil.first_name, pupil.last_name, latest.id if latest else None, naming
                ),
                full_name=f"{pupil.first_name} {pupil.last_name}",
                school=schools.get(pupil.school_id, "") if pupil.school_id else "",
                category=latest.category if latest else None,
                status=latest.status if latest else None,
                start_date=latest.start_date if latest else None,
                open_deadlines=counts.get(pupil.id, 0),
                first_name=pupil.first_name,
            )
        )
    return rows


def _wanted(row: PupilRow, wanted: PupilFilter, text: str) -> bool:
    if text and text not in fold_name(f"{row.full_name} {row.label} {row.school}"):
        return False
    if wanted.category and row.category != wanted.category:
        return False
    if wanted.status == NO_CASE:
        if row.status is not None:
            return False
    elif wanted.status and row.status != wanted.status:
        return False
    return not (wanted.open_deadlines and row.open_deadlines == 0)


def pupil_table(
    services: Services, *, user: User, wanted: PupilFilter, per_page: int
) -> tuple[list[PupilRow], int]:
    """One page of the pupils `user` may see that match `wanted`, and how many match."""
    text = fold_name(wanted.text)
    with services.session() as session:
        named = find_pupils(session=session, user=user, name=text) if text else []
        rows = _rows(session, user, named) if named else _rows(session, user)
    # The named pupils are shown whatever else of theirs matches the text (the label "S.V.").
    found = [row for row in rows if _wanted(row, wanted, "" if named else text)]
    by_name = sorted(found, key=lambda r: (fold_name(r.full_name), r.pupil_id))
    if wanted.sort == "start":
        # Longest at home first; pupils without a case last.
        by_name.sort(key=lambda r: r.start_date or date.max)
    elif wanted.sort == "deadlines":
        by_name.sort(key=lambda r: -r.open_deadlines)
    start = max(0, wanted.page) * per_page
    return by_name[start : start + per_page], len(found)


def close_rows(services: Services, *, user: User, text: str, limit: int = 3) -> list[PupilRow]:
    """ "Did you mean …?" for a search that found nobody: the pupils `user` may see whose name
    is close to `text` (a typo), closest first."""
    with services.session() as session:
        rows = _rows(session, user)
    by_id = {row.pupil_id: row for row in rows}
    names = [(r.pupil_id, r.first_name, r.full_name[len(r.first_name) + 1 :]) for r in rows]
    return [by_id[pupil_id] for pupil_id in close_names(text, names, limit=limit)]
