"""Benchmark of memory: the bot process's peak resident memory through its start, the catch-up
on deadlines and the first full plan of nudges, next to a bare python-telegram-bot echo bot.

    .venv/bin/python bench/memory.py [--sizes 1000 100000]

For each size a database is filled as bench/startup.py fills it (pupils, cases, absence, their
deadlines), with the users of bench/save_and_plan.py so that the plan has recipients. Then
`python -m bot run` is started against the local fake Bot API and, once its log says the first
plan is done, its peak resident memory (VmHWM in /proc) and its memory then (VmRSS) are read.
The echo bot (bench/echo_bot.py) runs on the same fake in the same run, answers one message,
and is read the same way. Printed: MB, the ratio to the 250 MB aim, and the ratio to the echo
bot's peak.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.save_and_plan import add_users
from bench.startup import prepare, start_planned
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.process import telegram_env

AIM_MB = 250.0
HERE = Path(__file__).resolve().parent


def memory_mb(pid: int) -> tuple[float, float]:
    """(peak, now) resident memory of a running process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value
    return (int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024)


async def bot_memory(url: str, folder: str, telegram: FakeTelegram) -> tuple[float, float]:
    process = await start_planned({**telegram_env(telegram), "DATABASE_URL": url}, folder)
    try:
        return memory_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()


async def echo_memory(telegram: FakeTelegram) -> tuple[float, float]:
    env = telegram_env(telegram)
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(HERE / "echo_bot.py"), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        someone = TgUser(4242, "Echo", "nl")
        telegram.push_message(someone, "hallo")
        await telegram.wait_for_call("sendMessage", someone.id, limit=120)
        return memory_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()


async def measure(sizes: list[int]) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    try:
        echo_peak, echo_now = await echo_memory(telegram)
        print(f"echo bot: peak {echo_peak:.0f} MB, after one answer {echo_now:.0f} MB\n")
        print("| pupils | peak (MB) | after the first plan (MB) | ratio to the 250 MB aim "
              "| ratio to the echo bot's peak |")  # fmt: skip
        print("| ---: | ---: | ---: | ---: | ---: |")
        for size in sizes:
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{folder}/bench.db"
                prepare(url, size)
                add_users(url)
                peak, now = await bot_memory(url, folder, telegram)
            print(f"| {size:,} | {peak:.0f} | {now:.0f} | {peak / AIM_MB:.2f} "
                  f"| {peak / echo_peak:.1f} |", flush=True)  # fmt: skip
    finally:
        await telegram.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    asyncio.run(measure(parser.parse_args().sizes))


if __name__ == "__main__":
    main()
