"""Run one nudge delivery in a process of its own (so a test can kill it with SIGKILL).

python -m tests.utils.deliver_process DATABASE_URL BASE_URL NOW_ISO
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from telegram.ext import ExtBot

from bot.clock import FixedClock
from bot.config import Settings
from bot.reminders.delivery import deliver_due
from bot.reminders.limits import nudge_rate_limiter
from bot.services.container import Services
from bot.storage import crypto
from bot.storage.db import make_engine
from tests.utils.factories import DATA_KEY
from tests.utils.fake_telegram import TOKEN


async def main(database_url: str, base_url: str, now: datetime) -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_base_url=base_url,  # type: ignore[call-arg]
                        database_url=database_url, data_key=DATA_KEY)  # fmt: skip
    crypto.install(settings.key_ring())
    services = Services(settings=settings, engine=make_engine(database_url), clock=FixedClock(now))
    bot: ExtBot[None] = ExtBot(token=TOKEN, base_url=base_url, rate_limiter=nudge_rate_limiter())
    await bot.initialize()
    await deliver_due(services=services, bot=bot)
    await bot.shutdown()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])))
