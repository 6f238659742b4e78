"""The sample region of the local trial: fictitious organisations, pupils, absence and people.

Everything is made up and named so that nobody can take it for real data ("fictief"). Dates are
counted back from the day it is made, so that the region always has overdue deadlines, some due
this week and later ones, whatever the day of the trial.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from bot.protocol.rules import ProtocolSettings
from bot.services.container import Services
from bot.services.importing import ABSENCE_COLUMNS, PUPIL_COLUMNS, ImportResult, import_csv
from bot.services.onboarding import (
    create_invitation,
    organisation_name,
    redeem_invitation,
    resolve_membership,
)
from bot.services.organisations import add_bestuur, add_gemeente, add_school, add_swv
from bot.storage.models import Role, Swv, User

SAMPLE_SWV = "SWV Proefregio (fictief)"
BOARDS = ("Stichting Proefpolder (fictief)", "Stichting Oefenland (fictief)")
GEMEENTEN = ("Proefstad (fictief)", "Oefendorp (fictief)")
# BRIN, name, type, holiday region, board: two boards, two holiday regions.
SCHOOLS = (
    ("99AA", "De Oefenboom (fictief)", "PO", "midden", BOARDS[0]),
    ("99BB", "Het Proefkompas (fictief)", "VO", "midden", BOARDS[0]),
    ("99CC", "De Zandbak (fictief)", "SO", "noord", BOARDS[1]),
    ("99DD", "Het Leerlab (fictief)", "VO", "noord", BOARDS[1]),
)

FIRST_NAMES = (
    "Sanne", "Daan", "Emma", "Noah", "Julia", "Sem", "Tess", "Lucas", "Mila", "Finn",
    "Zoë", "Levi", "Sara", "Milan", "Eva", "Jesse", "Lotte", "Luuk", "Anna", "Bram",
)  # fmt: skip
# Surnames nobody has: the data is visibly made up.
LAST_NAMES = (
    "Voorbeeld", "Proefmans", "Oefenaar", "Testerink", "Fictief", "Demovic", "van Proef",
    "de Oefening", "Schijnveld", "Nepperman",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    """Someone to play in the local trial: one per role."""

    telegram_id: int
    name: str
    role: Role
    organisation: str  # their school's BRIN, or the name of their board, gemeente or SWV


PEOPLE = (
    Person(900001, "Zoë Zorg (fictief)", Role.ZORGCOORDINATOR, SCHOOLS[0][0]),
    Person(900002, "Bas Boc (fictief)", Role.BOC, BOARDS[0]),
    Person(900003, "Lars Leerplicht (fictief)", Role.LEERPLICHT, GEMEENTEN[0]),
    Person(900004, "Sophie SWV (fictief)", Role.SWV, SAMPLE_SWV),
    Person(900005, "Ada Admin (fictief)", Role.ADMIN, SAMPLE_SWV),
)
PUPILS = 40
# Someone not signed in yet, to try an invitation from /uitnodigen or `invite` on the chat page.
NEWCOMER = 900099


def is_empty(session: Session) -> bool:
    """Whether the database holds no organisation yet (a fresh database)."""
    return session.exec(select(Swv.id).limit(1)).first() is None


def holds_sample_region(session: Session) -> bool:
    """Whether the database holds the sample region (and so is a trial database)."""
    return session.exec(select(Swv.id).where(Swv.name == SAMPLE_SWV)).first() is not None


def pupil_rows(today: date, seed: int = 2026) -> list[dict[str, str]]:
    """The pupils and their cases: a realistic mix of categories, starts and exemptions."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for number in range(PUPILS):
        brin, school, kind, region, board = SCHOOLS[number % len(SCHOOLS)]
        age = {"PO": (6, 11), "SO": (5, 12), "VO": (12, 17)}[kind]
        born = date(today.year - rng.randint(*age), rng.randint(1, 12), rng.randint(1, 28))
        gemeente = GEMEENTEN[number % 2]
        row = {
            "leerling_id": f"FICT{number + 1:03d}",
            "voornaam": FIRST_NAMES[number % len(FIRST_NAMES)],
            "achternaam": LAST_NAMES[(number * 3 + number // 20) % len(LAST_NAMES)],
            "geslacht": "MVX"[number % 3] if number % 7 else "V",
            "geboortedatum": born.isoformat(),
            "woonplaats": gemeente,
            "gemeente": gemeente,
            "school_brin": brin,
            "school_naam": school,
            "onderwijssoort": kind,
            "regio": region,
            "bestuur": board,
            "swv": SAMPLE_SWV,
        }
        row |= _case(number, today, rng)
        if row.get("categorie") == "B1":  # not enrolled anywhere
            row |= dict.fromkeys(("school_brin", "school_naam", "onderwijssoort", "regio"), "")
            row["bestuur"] = ""
        rows.append(row)
    return rows


def _case(number: int, today: date, rng: random.Random) -> dict[str, str]:
    """Pupil `number`'s case, if any; about a quarter of the pupils only have absence."""
    slot = number % 10
    days_ago = rng.randint(7, 100)
    start = today - timedelta(days=days_ago)
    if slot in (0, 1, 2, 3):  # at home, some for long, some with an offer found
        case = {"categorie": "B2", "startdatum": start.isoformat()}
        if slot == 3 and days_ago > 40:
            case["passend_aanbod_sinds"] = (start + timedelta(days=30)).isoformat()
        return case
    if slot == 4:
        return {"categorie": "A1", "startdatum": start.isoformat()}
    if slot in (5, 6):  # an exemption, one ending in about three months
        article = "5A" if slot == 5 else rng.choice(("5B", "5C", "5D"))
        case = {"categorie": "A2", "vrijstelling_artikel": article, "startdatum": start.isoformat()}
        if slot == 5:
            case["vrijstelling_permanent"] = "ja"
        else:
            case["vrijstelling_einddatum"] = (
                today + timedelta(days=rng.randint(80, 95))
            ).isoformat()
        return case
    if slot == 7:
        return {"categorie": "B1", "startdatum": start.isoformat()}
    if slot == 8 and number < 20:  # a case that ended: back at school
        end = min(start + timedelta(days=35), today - timedelta(days=3))
        return {"categorie": "B2", "startdatum": start.isoformat(), "einddatum": end.isoformat()}
    return {}


def absence_rows(today: date, seed: int = 2026) -> list[dict[str, str]]:
    """Recent absence for the pupils without a case: from a few hours to past 16 in 4 weeks."""
    rng = random.Random(seed + 1)
    rows: list[dict[str, str]] = []
    for number in range(PUPILS):
        if number % 10 not in (8, 9) or (number % 10 == 8 and number < 20):
            continue
        hours_wanted = (4, 10, 14, 17)[number % 4]
        day = today - timedelta(days=1)
        while hours_wanted > 0 and day > today - timedelta(days=25):
            if day.weekday() < 5 and rng.random() < 0.6:
                hours = min(hours_wanted, rng.choice((1, 2, 3, 4)))
                rows.append(
                    {
                        "leerling_id": f"FICT{number + 1:03d}",
                        "datum": day.isoformat(),
                        "uren": str(hours),
                        "soort": "ongeoorloofd",
                    }
                )
                hours_wanted -= hours
            day -= timedelta(days=1)
    return rows


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> io.StringIO:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    buffer.seek(0)
    return buffer


class SampleRefused(Exception):
    """The database already holds organisations: the sample never mixes with other data."""


def add_sample_region(
    session: Session, *, now: datetime, settings: ProtocolSettings
) -> tuple[ImportResult, ImportResult]:
    """Fill an empty database with the sample region; all or nothing, committed at the end."""
    if not is_empty(session):
        raise SampleRefused
    today = now.date()
    add_swv(session=session, name=SAMPLE_SWV, today=today)
    for board in BOARDS:
        add_bestuur(session=session, name=board, swv_name=SAMPLE_SWV, today=today)
    for gemeente in GEMEENTEN:
        add_gemeente(session=session, name=gemeente, swv_name=SAMPLE_SWV, today=today)
    for brin, name, kind, region, board in SCHOOLS:
        add_school(
            session=session,
            brin=brin,
            name=name,
            school_type=kind,
            region=region,
            bestuur_name=board,
            today=today,
        )
    results = tuple(
        import_csv(
            session=session, stream=_csv(columns, rows), today=today, now=now, settings=settings
        )
        for columns, rows in (
            (PUPIL_COLUMNS, pupil_rows(today)),
            (ABSENCE_COLUMNS, absence_rows(today)),
        )
    )
    pupils, absences = results
    if pupils.errors or absences.errors:  # a bug in this module, never the user's doing
        session.rollback()
        raise RuntimeError(f"sample region refused: {pupils.errors[:3]} {absences.errors[:3]}")
    for person in PEOPLE:
        membership = resolve_membership(
            session=session,
            role=person.role,
            **{
                {
                    Role.ZORGCOORDINATOR: "school_brin",
                    Role.BOC: "bestuur_name",
                    Role.LEERPLICHT: "gemeente_name",
                }.get(person.role, "swv_name"): person.organisation
            },
        )
        _, code = create_invitation(
            session=session,
            role=person.role,
            membership=membership,
            now=now,
            valid_for=timedelta(days=1),
        )
        # Nudges may arrive whenever someone tries the bot: working hours span the whole day.
        redeem_invitation(
            session=session,
            code=code,
            telegram_id=person.telegram_id,
            display_name=person.name,
            language="nl",
            now=now,
            work_start=time(0, 0),
            work_end=time(23, 59),
        )
    session.commit()
    return pupils, absences


def sample_region(services: Services) -> tuple[ImportResult, ImportResult]:
    """`demo-data` and the first local start: the sample region in the configured database."""
    with services.session() as session:
        return add_sample_region(
            session, now=services.clock.now(), settings=services.settings.protocol
        )


@dataclass(frozen=True)
class TrialPerson:
    """Someone the chat page offers to play: their chat id, name and role at organisation."""

    telegram_id: int
    name: str
    role: Role
    organisation: str


def trial_people(services: Services) -> list[TrialPerson]:
    """The active users of the trial database, in the order of the roles."""
    order = list(Role)
    with services.session() as session:
        users = session.exec(
            select(User).where(col(User.active).is_(True), col(User.revoked_at).is_(None))
        ).all()
        people = [
            TrialPerson(
                user.telegram_id,
                user.display_name or "",
                Role(user.role),
                organisation_name(session=session, user=user),
            )
            for user in users
        ]
    return sorted(people, key=lambda p: (order.index(p.role), p.name))
