"""Benchmark of one save and the planning of its nudges: prints figures, asserts nothing.

    .venv/bin/python bench/save_and_plan.py [--sizes 1000 10000 100000] [--saves 100]

For each database size (pupils stored, with the mix of bench/protocol.py, their deadlines
computed and every nudge planned) it saves quick updates ("2 uur ongeoorloofd") for different
pupils as the chat does — prepare, store, recompute that pupil's deadlines, commit — and then
plans the nudges of what changed, as the delivery job does. Printed: the median milliseconds
of the save, of the plan and of both, and the ratio of each size to the smallest. The sizes take
turns, one save each, so that the machine's drift counts for all alike. The aim: the time does
not grow with the size of the database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.protocol import fill_database, synthetic
from bot.protocol.parsing import QuickUpdate, parse_quick_update
from bot.protocol.rules import DEFAULT_SETTINGS as SETTINGS
from bot.reminders.planner import plan_flagged
from bot.services.cases import apply_update, prepare_update
from bot.services.deadlines import sync_everything
from bot.storage.db import make_engine
from bot.storage.models import DeadlineRow, Role, User

TZ = ZoneInfo("Europe/Amsterdam")
TODAY = date(2027, 3, 10)  # a Wednesday in term time in every region
NOW = datetime(2027, 3, 10, 11, 0, tzinfo=TZ)


def add_users(url: str) -> None:
    """A zorgcoördinator per school, BOC-ers, leerplicht officers, SWV staff and an admin."""
    engine = make_engine(url)
    rows = [(Role.ZORGCOORDINATOR, {"school_id": n + 1}) for n in range(300)]
    rows += [(Role.BOC, {"bestuur_id": 1})] * 3 + [(Role.LEERPLICHT, {"gemeente_id": 1})] * 5
    rows += [(Role.SWV, {})] * 3 + [(Role.ADMIN, {})]
    with Session(engine) as session:
        session.execute(insert(User.__table__), [  # type: ignore[arg-type]
            {"telegram_id": 500_000 + n, "display_name": f"User {n}", "role": role.value,
             "swv_id": 1, "language": "nl", "work_start": time_of_day(0, 0),
             "work_end": time_of_day(23, 59), "active": True, "created_at": NOW,
             "school_id": None, "bestuur_id": None, "gemeente_id": None, **org}
            for n, (role, org) in enumerate(rows)
        ])  # fmt: skip
        session.commit()
    engine.dispose()


def prepare(url: str, pupils: int) -> None:
    rng = random.Random(42)
    fill_database(url, [synthetic(rng, n + 1) for n in range(pupils)])
    add_users(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_everything(settings=SETTINGS, session=session, as_of=TODAY, now=NOW)
        plan_flagged(session=session, now=NOW, tz=TZ, settings=SETTINGS, everything=True)
        session.commit()
    engine.dispose()


class Database:
    """One prepared database, and the saves measured on it."""

    def __init__(self, url: str, pupils: int, saves: int) -> None:
        self.engine = make_engine(url)
        self.pupil_ids = random.Random(7).sample(range(1, pupils + 1), saves)
        self.save_ms: list[float] = []
        self.plan_ms: list[float] = []
        with Session(self.engine) as session:
            staff = session.exec(select(User).where(User.role == Role.SWV.value)).first()
            assert staff is not None
        self.staff = staff

    def measure_one(self, parsed: QuickUpdate) -> None:
        pupil_id = self.pupil_ids[len(self.save_ms)]
        started = time.perf_counter()
        with Session(self.engine) as session:
            prepared = prepare_update(session=session, user=self.staff, pupil_id=pupil_id,
                                      update=parsed, today=TODAY, settings=SETTINGS)  # fmt: skip
            apply_update(session=session, user=self.staff, prepared=prepared, replace=False,
                         now=NOW, settings=SETTINGS)  # fmt: skip
            session.commit()
        saved = time.perf_counter()
        with Session(self.engine) as session:
            # As if the save had changed every deadline of the pupil (most saves change none
            # or one): the plan then has the most a single save can give it to do.
            session.execute(
                update(DeadlineRow).where(col(DeadlineRow.pupil_id) == pupil_id)
                .values(plan_needed=True)
            )  # fmt: skip
            session.commit()
        flagged = time.perf_counter()
        with Session(self.engine) as session:
            plan_flagged(session=session, now=NOW, tz=TZ, settings=SETTINGS, everything=False)
            session.commit()
        self.save_ms.append((saved - started) * 1000)
        self.plan_ms.append((time.perf_counter() - flagged) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--saves", type=int, default=100)
    args = parser.parse_args()
    print("| pupils | save (ms) | plan (ms) | save + plan (ms) | × smallest |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    parsed = parse_quick_update("X 2 uur ongeoorloofd vandaag", TODAY)
    assert isinstance(parsed, QuickUpdate), parsed
    with tempfile.TemporaryDirectory() as folder:
        databases = []
        for size in args.sizes:
            url = f"sqlite:///{folder}/bench-{size}.db"
            prepare(url, size)
            databases.append(Database(url, size, args.saves))
        # The sizes take turns, one save each: the machine's speed drifts (a shared virtual
        # machine's CPU varies by a third within minutes), and then drifts for every size alike.
        for _ in range(args.saves):
            for database in databases:
                database.measure_one(parsed)
        baseline = None
        for size, database in zip(args.sizes, databases, strict=True):
            database.engine.dispose()
            save, plan = statistics.median(database.save_ms), statistics.median(database.plan_ms)
            both = statistics.median(
                s + p for s, p in zip(database.save_ms, database.plan_ms, strict=True)
            )
            baseline = baseline or both
            print(f"| {size:,} | {save:.1f} | {plan:.1f} | {both:.1f} | {both / baseline:.2f} |",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
