"""Benchmark of nudge delivery: prints figures, asserts nothing.

    .venv/bin/python bench/delivery.py [--nudges 10000 --users 2000] [--rule RULE]

Due nudges for many users go through the local fake Bot API, which enforces Telegram's limits
(30 messages per second overall, 1 per second per chat) and answers 429 like Telegram. For
each shape (nudges × users) and rule (one whose nudges carry a draft workbook, one whose do
not) it prints messages per second, the ratio to the ideal min(30, chats) messages per second,
workbook uploads, 429 answers, duplicates and losses. Without --nudges it runs four shapes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session
from telegram.ext import ExtBot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FixedClock
from bot.config import Settings
from bot.reminders.delivery import deliver_due
from bot.reminders.limits import nudge_rate_limiter
from bot.services.container import Services
from bot.storage.db import make_engine, upgrade_database
from bot.storage.models import DeadlineRow, Gemeente, Nudge, Swv, User
from tests.utils.fake_telegram import TOKEN, FakeTelegram

NOW = datetime(2027, 3, 17, 9, 0, tzinfo=UTC)


def fill(url: str, nudges: int, users: int, rule: str) -> None:
    engine = make_engine(url)
    upgrade_database(engine)
    with Session(engine) as session:
        session.add(Swv(id=1, name="Bench", registered_on=date(2026, 8, 1)))
        session.flush()
        session.add(Gemeente(id=1, name="Bench", swv_id=1, registered_on=date(2026, 8, 1)))
        session.flush()
        session.execute(insert(User.__table__), [  # type: ignore[arg-type]
            {"id": n + 1, "telegram_id": 100_000 + n, "display_name": f"User {n}",
             "role": "leerplicht", "swv_id": 1, "gemeente_id": 1, "language": "nl",
             "work_start": time_of_day(0, 0), "work_end": time_of_day(23, 59),
             "active": True, "created_at": NOW}
            for n in range(users)
        ])  # fmt: skip
        session.execute(insert(DeadlineRow.__table__), [  # type: ignore[arg-type]
            {"id": n + 1, "identity": f"gemeente1:BENCH_{n}:2027-03-17", "swv_id": 1,
             "org_kind": "gemeente", "org_id": 1, "rule": rule,
             "due": date(2027, 3, 17), "trigger_day": date(2027, 3, 17), "status": "open",
             "created_at": NOW, "updated_at": NOW}
            for n in range(nudges)
        ])  # fmt: skip
        session.execute(insert(Nudge.__table__), [  # type: ignore[arg-type]
            {"key": f"bench:{n}", "deadline_id": n + 1, "user_id": n % users + 1, "kind": "due",
             "planned_at": NOW - timedelta(minutes=1), "status": "planned", "attempts": 0,
             "late": False, "created_at": NOW}
            for n in range(nudges)
        ])  # fmt: skip
        session.commit()
    engine.dispose()


@dataclass(frozen=True)
class Result:
    nudges: int
    users: int
    rule: str
    messages: int
    seconds: float
    too_many: int
    duplicates: int
    lost: int
    uploads: int

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    @property
    def ideal(self) -> float:
        """Telegram's limits: 30 messages per second overall, one per second per chat."""
        return float(min(30, self.users))


async def run(nudges: int, users: int, url: str, rule: str) -> Result:
    fill(url, nudges, users, rule)
    telegram = FakeTelegram(enforce_limits=True)
    await telegram.start()
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_base_url=telegram.base_url,  # type: ignore[call-arg]
                        database_url=url)  # fmt: skip
    services = Services(settings=settings, engine=make_engine(url), clock=FixedClock(NOW))
    bot: ExtBot[None] = ExtBot(token=TOKEN, base_url=telegram.base_url,
                               rate_limiter=nudge_rate_limiter())  # fmt: skip
    await bot.initialize()
    started = time.perf_counter()
    while True:
        report = await deliver_due(services=services, bot=bot, limit=nudges)
        if not (report.sent or report.retried):
            break
    elapsed = time.perf_counter() - started
    await bot.shutdown()
    await telegram.stop()

    sent = [c for c in telegram.calls if c.method in ("sendMessage", "sendDocument")]
    delivered = Counter(
        button["callback_data"].split(":")[2]
        for call in sent
        for button in call.buttons
        if button["callback_data"].startswith("n:d:")
    )
    return Result(
        nudges=nudges, users=users, rule=rule, messages=len(sent), seconds=elapsed,
        too_many=telegram.too_many_requests,
        duplicates=sum(count - 1 for count in delivered.values() if count > 1),
        lost=nudges - len(delivered), uploads=telegram.uploads,
    )  # fmt: skip


# (nudges, users): few chats; one nudge per chat; many per chat; digests (100 per chat).
SHAPES = ((50, 10), (200, 200), (1_000, 200), (2_000, 20))
# MAANDOVERZICHT_SWV carries a draft workbook with every nudge; LEERPLICHT_VERIFICATIE none.
RULES = ("MAANDOVERZICHT_SWV", "LEERPLICHT_VERIFICATIE")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nudges", type=int, help="one shape only: this many due nudges")
    parser.add_argument("--users", type=int, default=2_000, help="... for this many users")
    parser.add_argument("--rule", choices=RULES, help="one rule only")
    args = parser.parse_args()
    shapes = [(args.nudges, args.users)] if args.nudges else SHAPES
    rules = [args.rule] if args.rule else RULES
    print("| nudges × users | rule | messages | seconds | msg/s | ideal msg/s | ratio "
          "| uploads | 429 | duplicates | lost |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for nudges, users in shapes:
        for rule in rules:
            with tempfile.TemporaryDirectory() as folder:
                r = asyncio.run(run(nudges, users, f"sqlite:///{folder}/bench.db", rule))
            print(f"| {nudges:,} × {users:,} | {rule} | {r.messages:,} | {r.seconds:.1f} "
                  f"| {r.rate:.1f} | {r.ideal:.0f} | {r.rate / r.ideal:.2f} | {r.uploads} "
                  f"| {r.too_many} | {r.duplicates} | {r.lost} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
