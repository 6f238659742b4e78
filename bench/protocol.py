"""Benchmark of the protocol engine: prints figures, asserts nothing.

    .venv/bin/python bench/protocol.py [--pupils 100000] [--database-url URL]

1. Pure rule evaluation on synthetic facts (pupils per second).
2. A full recompute from the database: read the facts, compute, store the deadlines (seconds),
   first into an empty deadline table, then again (nothing changes), with peak memory.

The data are a realistic mix: about a third of the pupils have a case (B2, A1, B1, A2 with an
exemption), most of those have absence entries over the last months, some are late or sick.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.protocol.calendar import SchoolCalendar
from bot.protocol.facts import AbsenceFact, CaseFact, ExemptionFact, PupilFacts
from bot.protocol.rules import DEFAULT_SETTINGS as SETTINGS
from bot.protocol.rules import deadlines_for
from bot.services.deadlines import sync_everything
from bot.services.pupil_search import token_columns
from bot.storage import crypto
from bot.storage.db import make_engine, upgrade_database
from bot.storage.models import (
    Absence,
    Bestuur,
    Case,
    DeadlineRow,
    Exemption,
    Gemeente,
    Pupil,
    School,
    Swv,
)

AS_OF = date(2027, 3, 1)
REGIONS = ("noord", "midden", "zuid")
CALENDARS = {region: SchoolCalendar(region) for region in REGIONS}
TYPES = ("PO", "PO", "PO", "VO", "VO", "SO", "VSO")


def synthetic(rng: random.Random, pupil_id: int) -> dict[str, object]:
    """One pupil's registry, as plain values."""
    school = rng.randrange(300)
    start = AS_OF - timedelta(days=rng.randrange(10, 300))
    case = None
    roll = rng.random()
    if roll < 0.35:
        category = rng.choice(["B2", "B2", "B2", "A1", "A1", "B1", "A2"])
        end = start + timedelta(days=rng.randrange(20, 200)) if rng.random() < 0.3 else None
        offer = start + timedelta(days=rng.randrange(10, 120)) if rng.random() < 0.4 else None
        case = (category, start, end, offer, "Jan" if rng.random() < 0.5 else None)
    absences = []
    if case or rng.random() < 0.2:
        day = start
        for _ in range(rng.randrange(1, 25)):
            day += timedelta(days=rng.randrange(1, 6))
            if day > AS_OF:
                break
            kind = rng.choice(["ongeoorloofd", "ongeoorloofd", "ziek", "te_laat", "geoorloofd"])
            absences.append((day, float(rng.choice([1, 2, 4, 5, 6])), kind))
    return {
        "id": pupil_id,
        "school": school,
        "region": REGIONS[school % 3],
        "type": TYPES[school % len(TYPES)],
        "birth": date(2008 + rng.randrange(12), 1 + rng.randrange(12), 1 + rng.randrange(28)),
        "case": case,
        "absences": absences,
    }


def as_facts(data: dict[str, object]) -> PupilFacts:
    case = data["case"]
    cases: tuple[CaseFact, ...] = ()
    exemptions: tuple[ExemptionFact, ...] = ()
    if case:
        category, start, end, offer, contact = case  # type: ignore[misc]
        cases = (CaseFact(int(data["id"]), category, start, end, offer, contact),)  # type: ignore[arg-type]
        if category == "A2":
            exemptions = (ExemptionFact("5A", start, start + timedelta(days=300)),)
    return PupilFacts(
        pupil_id=int(data["id"]),  # type: ignore[arg-type]
        calendar=CALENDARS[str(data["region"])],  # one per school region, as the bot shares them
        school_type=str(data["type"]),
        birth_date=data["birth"],  # type: ignore[arg-type]
        cases=cases,
        absences=tuple(AbsenceFact(*a) for a in data["absences"]),  # type: ignore[attr-defined]
        exemptions=exemptions,
    )


def fill_database(url: str, pupils: list[dict[str, object]]) -> None:
    engine = make_engine(url)
    upgrade_database(engine)
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(Swv(id=1, name="Bench SWV", registered_on=date(2026, 8, 1)))
        session.flush()
        session.add(Gemeente(id=1, name="Bench", swv_id=1, registered_on=date(2026, 8, 1)))
        session.add(Bestuur(id=1, name="Bench bestuur", swv_id=1, registered_on=date(2026, 8, 1)))
        session.flush()
        session.execute(insert(School.__table__), [  # type: ignore[arg-type]
            {"id": n + 1, "brin": f"B{n:05d}", "name": f"School {n}",
             "onderwijssoort": TYPES[n % len(TYPES)], "regio": REGIONS[n % 3], "bestuur_id": 1,
             "registered_on": date(2026, 8, 1)} for n in range(300)
        ])  # fmt: skip
        tokens = token_columns("X", "Y")
        session.execute(insert(Pupil.__table__), [  # type: ignore[arg-type]
            {"id": p["id"], "leerling_id": f"B{p['id']}", "first_name": "X", "last_name": "Y",
             "birth_date": p["birth"], "swv_id": 1, "gemeente_id": 1,
             "school_id": int(p["school"]) + 1,  # type: ignore[call-overload]
             "created_at": now, "updated_at": now, **tokens} for p in pupils
        ])  # fmt: skip
        cases, exemptions, absences = [], [], []
        for p in pupils:
            if p["case"]:
                category, start, end, offer, contact = p["case"]  # type: ignore[misc]
                cases.append({"pupil_id": p["id"], "category": category, "start_date": start,
                              "end_date": end, "offer_since": offer, "contact_person": contact,
                              "status": "current", "created_at": now})  # fmt: skip
                if category == "A2":
                    exemptions.append({"pupil_id": p["id"], "article": "5A", "start_date": start,
                                       "end_date": start + timedelta(days=300), "permanent": False,
                                       "created_at": now})  # fmt: skip
            seen = set()
            for day, hours, kind in p["absences"]:  # type: ignore[attr-defined]
                if (day, kind) not in seen:
                    seen.add((day, kind))
                    absences.append({"pupil_id": p["id"], "day": day, "hours": hours, "kind": kind,
                                     "created_at": now})  # fmt: skip
        for table, rows in ((Case, cases), (Exemption, exemptions), (Absence, absences)):
            for start in range(0, len(rows), 20_000):
                session.execute(insert(table.__table__), rows[start : start + 20_000])  # type: ignore[arg-type]
        session.commit()
        print(f"database: {len(pupils):,} pupils, {len(cases):,} cases, "
              f"{len(absences):,} absence entries")  # fmt: skip
    engine.dispose()


# Names and birth dates are encrypted as in production; the recompute subprocess inherits the key.
crypto.install(crypto.KeyRing.from_text(os.environ.setdefault("DATA_KEY", crypto.generate_key())))


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pupils", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--recompute-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.recompute_only:
        recompute(args.database_url)
        return
    rng = random.Random(42)
    pupils = [synthetic(rng, n + 1) for n in range(args.pupils)]

    facts = [as_facts(p) for p in pupils]
    for f in facts[:200]:  # warm the calendar caches, as a running bot has them
        deadlines_for(f, AS_OF)
    started = time.perf_counter()
    produced = sum(len(deadlines_for(f, AS_OF)) for f in facts)
    pure = time.perf_counter() - started
    rate = len(facts) / pure
    print(f"pure evaluation: {len(facts):,} pupils in {pure:.2f} s = {rate:,.0f} pupils/s "
          f"({produced:,} deadlines)")  # fmt: skip
    del facts

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        fill_database(url, pupils)
        del pupils
        # In a process of its own, so its peak memory is the recompute's, not the generator's.
        subprocess.run(
            [sys.executable, __file__, "--recompute-only", "--database-url", url], check=True
        )


def recompute(url: str) -> None:
    """Two full recomputes as the bot does them; prints their time and this process's peak."""
    engine = make_engine(url)
    for label in ("full recompute (empty deadline table)", "full recompute again (no changes)"):
        with Session(engine) as session:
            started = time.perf_counter()
            changes = sync_everything(
                settings=SETTINGS, session=session, as_of=AS_OF, now=datetime.now(UTC)
            )
            session.commit()
            elapsed = time.perf_counter() - started
            stored = session.exec(select(func.count()).select_from(DeadlineRow)).one()
        print(f"{label}: {elapsed:.1f} s; {len(changes.created):,} created, "
              f"{len(changes.closed):,} closed; {stored:,} stored", flush=True)  # fmt: skip
    engine.dispose()
    print(f"peak memory of the recompute process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
