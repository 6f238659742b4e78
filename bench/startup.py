"""Benchmark of start-up: how long after `python -m bot run` the bot answers a first message.

    .venv/bin/python bench/startup.py [--sizes 1000 100000]

For each size a database is filled as in bench/protocol.py (pupils, cases, absence, and their
deadlines computed), the bot is started as a process against the local fake Bot API, and a
message is sent at once. Printed: seconds from the start of the process to the answer, and the
ratio to the aim of 5 seconds. The catch-up on deadlines and the first full plan run in the
background after start; the answer must not wait for them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.protocol import fill_database, synthetic
from bot.protocol.rules import DEFAULT_SETTINGS as SETTINGS
from bot.services.deadlines import sync_everything
from bot.storage.db import make_engine
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.process import telegram_env

AIM_SECONDS = 5.0


def prepare(url: str, pupils: int) -> None:
    rng = random.Random(42)
    fill_database(url, [synthetic(rng, n + 1) for n in range(pupils)])
    engine = make_engine(url)
    with Session(engine) as session:
        sync_everything(
            settings=SETTINGS,
            session=session,
            as_of=datetime.now(UTC).date(),
            now=datetime.now(UTC),
        )
        session.commit()
    engine.dispose()


# The log line after which the bot has caught up on deadlines and planned every nudge.
PLANNED = b"planned the nudges at start"


async def start_planned(env: dict[str, str], folder: str) -> asyncio.subprocess.Process:
    """`python -m bot run`, once its log says the start's catch-up and first plan are done; its
    stderr is left to the caller to read on (or the bot would block on a full pipe)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=folder,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    log: list[str] = []
    try:
        while PLANNED not in (line := await asyncio.wait_for(process.stderr.readline(), 1800)):
            if not line:
                raise RuntimeError("the bot stopped before its first plan:\n" + "".join(log))
            log.append(line.decode())
    except BaseException:
        if process.returncode is None:
            process.terminate()
        await process.wait()
        raise
    return process


async def first_answer(url: str, folder: str) -> float:
    telegram = FakeTelegram()
    await telegram.start()
    # The pages on a free port: 8080 may be taken.
    env = {**telegram_env(telegram), "DATABASE_URL": url}
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=folder,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    stranger = TgUser(4242, "Nieuw", "nl")
    telegram.push_message(stranger, "/help")
    try:
        await telegram.wait_for_call("sendMessage", stranger.id, limit=300)
        return time.perf_counter() - started
    finally:
        process.terminate()
        await process.wait()
        await telegram.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    args = parser.parse_args()
    print("| pupils | first answer after start (s) | ratio to the 5 s aim |")
    print("| ---: | ---: | ---: |")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            prepare(url, size)
            seconds = asyncio.run(first_answer(url, folder))
        print(f"| {size:,} | {seconds:.1f} | {seconds / AIM_SECONDS:.2f} |", flush=True)


if __name__ == "__main__":
    main()
