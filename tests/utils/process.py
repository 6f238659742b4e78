"""The bot in a process of its own, as `make run` starts it."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

from bot.local.botapi import LocalBotApi

PIPE = asyncio.subprocess.PIPE


@asynccontextmanager
async def bot_process(
    *args: str,
    env: dict[str, str],
    cwd: Path,
    stdout: int | IO[Any] = PIPE,
    stderr: int | IO[Any] = PIPE,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot ARGS`; killed when the test ends before the process does."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd, stdout=stdout, stderr=stderr
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def telegram_env(telegram: LocalBotApi) -> dict[str, str]:
    """The environment of a bot that talks to `telegram` (the tests' local Bot API), its pages
    on a free port: the default 8080 may be taken (the suite takes it, see conftest)."""
    return {**os.environ, "BOT_TOKEN": telegram.token, "TELEGRAM_BASE_URL": telegram.base_url,
            "TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
            "WEB_PORT": str(free_port())}  # fmt: skip


def free_port() -> int:
    """A port nothing listens on now, chosen by the system."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def by_webhook(telegram: LocalBotApi, address: str, secret: str) -> None:
    """The one pending update posted to a bot's webhook `address` with its secret, as Telegram
    delivers it to a bot that set a webhook."""
    import aiohttp

    [update] = telegram.take_pending()
    async with aiohttp.ClientSession() as client:
        sent = await client.post(
            address, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
        )
        assert sent.status == 200
