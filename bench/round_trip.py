"""Benchmark of the chat's speed: round trips of the bot next to a bare python-telegram-bot echo
bot (bench/echo_bot.py), on the built-in local Bot API, in the same run.

    .venv/bin/python bench/round_trip.py [--sizes 1000 100000] [--rounds 120]

For each size a database is filled as bench/startup.py fills it, with the users of
bench/save_and_plan.py; 120 pupils get names of their own at the first school. The bot runs as
`python -m bot run` (after its catch-up and first plan), the echo bot beside it on a Bot API of
its own; the rounds alternate between them, so that the machine's drift counts for both.

Measured from the moment an update is handed to the bot (the end of its long poll) to the
moment its answer arrives, the round trips 50 ms apart (under Telegram's 30 messages a second,
which the bot keeps): `/help` → answer and a quick update → its confirmation (the echo
bot: a message → its echo), and Opslaan → the edited confirmation (the echo bot: a press →
the edited message); for a zorgcoördinator of that school and for SWV staff. Printed: the
medians in ms and their ratios to the echo bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.save_and_plan import add_users
from bench.startup import prepare, start_planned
from bot.services.pupil_search import token_columns
from bot.storage.db import make_engine
from bot.storage.models import Pupil, User
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.process import telegram_env

HERE = Path(__file__).resolve().parent
PACE = 0.05  # seconds before each round trip: at most 20 a second
FIRST = ["Sanne", "Daan", "Emma", "Noah", "Julia", "Levi", "Tess", "Finn", "Yara", "Milan"]
LAST = ["Vermeer", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
        "Hendriks", "Dekker", "Brouwer"]  # fmt: skip
NAMES = [(first, last) for first in FIRST for last in LAST]  # 120, each its own
SCHOOL_USER = TgUser(500_000, "Zorg", "nl")  # bench/save_and_plan.py: school 1's coordinator
SWV_USER = TgUser(500_308, "Swv", "nl")  # its first SWV staff member


def name_pupils(url: str) -> None:
    """Pupils 1 to 120: at school 1, each with a name of its own (the rest are all "X Y")."""
    engine = make_engine(url)
    with Session(engine) as session:
        for pupil_id, (first, last) in enumerate(NAMES, start=1):
            session.execute(
                update(Pupil).where(col(Pupil.id) == pupil_id).values(
                    school_id=1, first_name=first, last_name=last, **token_columns(first, last)
                )
            )  # fmt: skip
        session.commit()
    engine.dispose()


def quiet_hours(url: str) -> None:
    """Every user's working hours away from now: nudges go out in working hours only, so no
    delivery shares the machine with the round trips (nor sends a message in between)."""
    hour = (datetime.now(ZoneInfo("Europe/Amsterdam")).hour + 6) % 22
    engine = make_engine(url)
    with Session(engine) as session:
        session.execute(update(User).values(work_start=dt_time(hour), work_end=dt_time(hour + 1)))
        session.commit()
    engine.dispose()


class Clocked:
    """A Bot API whose updates are timed from when the bot takes them to its answer."""

    def __init__(self) -> None:
        self.api = FakeTelegram()

    async def trip(self, push: Any, method: str, chat: int) -> tuple[float, Any]:
        # Paced below Telegram's 30 messages a second, which the bot keeps (a bare echo bot
        # does not): back to back, every 29th answer would wait for the second to pass.
        await asyncio.sleep(PACE)
        before = len(self.api.calls)
        pushed = time.perf_counter()
        push()
        call = await self.api.wait_for_call(method, chat, after=before, limit=120)
        return (time.perf_counter() - pushed) * 1000, call


async def start_echo(env: dict[str, str], cwd: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(HERE / "echo_bot.py"), env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def measure_size(size: int, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    echo, bot = Clocked(), Clocked()
    await echo.api.start()
    await bot.api.start()
    processes = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            prepare(url, size)
            add_users(url)
            name_pupils(url)
            quiet_hours(url)
            echo_process = await start_echo(telegram_env(echo.api), folder)
            # Many rounds in a minute: the per-user flood limit (20 a minute) would refuse them.
            bot_env = {**telegram_env(bot.api), "DATABASE_URL": url, "MESSAGES_PER_MINUTE": "1000"}
            processes = [echo_process]
            bot_process = await start_planned(bot_env, folder)
            processes.append(bot_process)
            assert bot_process.stderr is not None
            drain = asyncio.create_task(bot_process.stderr.read())
            someone = TgUser(4242, "Echo", "nl")
            for index in range(rounds):
                await one_round(echo, bot, someone, index, times)
            drain.cancel()
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
            await process.wait()
        await echo.api.stop()
        await bot.api.stop()
    return times


async def one_round(
    echo: Clocked, bot: Clocked, someone: TgUser, index: int, times: dict[str, list[float]]
) -> None:
    def add(kind: str, ms: float) -> None:
        times.setdefault(kind, []).append(ms)

    ms, echoed = await echo.trip(lambda: echo.api.push_message(someone, "hallo"), "sendMessage",
                                 someone.id)  # fmt: skip
    add("echo: message → answer", ms)
    ms, _ = await echo.trip(
        lambda: echo.api.push_callback(someone, echoed.result, "x"), "editMessageText", someone.id
    )
    add("echo: press → edit", ms)
    first, last = NAMES[index % len(NAMES)]
    for who, user in (("school", SCHOOL_USER), ("SWV", SWV_USER)):
        ms, _ = await bot.trip(lambda u=user: bot.api.push_message(u, "/help"), "sendMessage",
                               user.id)  # fmt: skip
        add(f"{who}: /help", ms)
        # Each round another pupil and another day, so that nothing is stored twice.
        text = f"{first} {last} 1 uur ongeoorloofd vandaag" if who == "school" else (
            f"{first} {last} 1 uur geoorloofd vandaag")  # fmt: skip
        ms, confirmation = await bot.trip(
            lambda u=user, t=text: bot.api.push_message(u, t), "sendMessage", user.id
        )
        add(f"{who}: update → confirmation", ms)
        labels = ("Opslaan", "Toch opslaan", "Optellen")  # each a Save
        saves = [b for b in confirmation.buttons if b["text"] in labels]
        if not saves:
            raise RuntimeError(f"round {index}, {who}: no Opslaan in {confirmation.text!r}")
        save = saves[0]
        ms, _ = await bot.trip(
            lambda u=user, c=confirmation, s=save: bot.api.push_callback(
                u, c.result, s["callback_data"]
            ),
            "editMessageText",
            user.id,
        )
        add(f"{who}: Opslaan → edit", ms)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--rounds", type=int, default=120)
    args = parser.parse_args()
    print("| pupils | round trip | median (ms) | ratio to the echo bot |")
    print("| ---: | --- | ---: | ---: |")
    for size in args.sizes:
        times = asyncio.run(measure_size(size, args.rounds))
        median = {kind: statistics.median(values) for kind, values in times.items()}
        answer, edit = median["echo: message → answer"], median["echo: press → edit"]
        for kind, ms in median.items():
            base = edit if "edit" in kind else answer
            print(f"| {size:,} | {kind} | {ms:.1f} | {ms / base:.2f} |", flush=True)


if __name__ == "__main__":
    main()
