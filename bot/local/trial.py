"""The local trial: the real bot against the built-in local Bot API, with the chat page.

Same code path as with Telegram: the same Application, its base URL pointing at the local Bot API
served from this process on 127.0.0.1. Only a fresh database (filled with the sample region) or
the sample region's own database is used, never one with other data: anyone at this computer can
talk as any user on the chat page.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from aiohttp import web
from pydantic import SecretStr

from bot.app import build_application, run
from bot.clock import Clock, ShiftedClock, SystemClock
from bot.config import ConfigError, Settings
from bot.i18n import Translator
from bot.local import chat
from bot.local.botapi import LocalBotApi, secret_token
from bot.services.container import Services
from bot.services.demo import add_sample_region, holds_sample_region, is_empty
from bot.storage import crypto
from bot.web.site import add_web, serve

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"  # never another interface: the chat page lets anyone act as any user
ENV_FILE = Path(".env")
EXAMPLE_FILE = Path(".env.example")


def ensure_data_key(settings: Settings, tr: Translator, say: Callable[[str], None]) -> Settings:
    """The trial needs a DATA_KEY like the bot: without one, write a new one to .env."""
    if settings.data_key is not None:
        return settings
    key = crypto.generate_key()
    text = ENV_FILE.read_text(encoding="utf-8") if ENV_FILE.exists() else ""
    if not text and EXAMPLE_FILE.exists():
        text = EXAMPLE_FILE.read_text(encoding="utf-8")
    if re.search(r"^DATA_KEY=\s*$", text, flags=re.MULTILINE):
        text = re.sub(r"^DATA_KEY=\s*$", f"DATA_KEY={key}", text, count=1, flags=re.MULTILINE)
    else:
        text += ("" if not text or text.endswith("\n") else "\n") + f"DATA_KEY={key}\n"
    ENV_FILE.write_text(text, encoding="utf-8")
    say(tr.gettext("A new DATA_KEY was written to .env (the local trial needs one too)."))
    return settings.model_copy(update={"data_key": SecretStr(key)})


def trial_clock(settings: Settings, today: date | None) -> Clock:
    """The real clock, or one on which today is `today` (a trainer's --today)."""
    if today is None:
        return SystemClock(settings.tz)
    return ShiftedClock.to_day(settings.tz, today)


def prepare_database(services: Services, tr: Translator, say: Callable[[str], None]) -> None:
    """Fill a fresh database with the sample region; refuse one that holds other data."""
    with services.session() as session:
        if is_empty(session):
            pupils, _ = add_sample_region(
                session, now=services.clock.now(), settings=services.settings.protocol
            )
            say(
                tr.gettext(
                    "The sample region was added: {pupils} fictitious pupils, one person per role."
                ).format(pupils=pupils.pupils_created)
            )
        elif not holds_sample_region(session):
            raise ConfigError(
                "this database holds data other than the sample region; the local trial runs "
                "only on a new database: set DATABASE_URL to another file, or set BOT_TOKEN"
            )


def run_trial(
    settings: Settings,
    *,
    make_services: Callable[[Settings, Clock], Services],
    tr: Translator,
    today: date | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Run the bot on the local Bot API with the chat page, until a stop signal."""
    settings = ensure_data_key(settings, tr, say)
    root = f"http://{HOST}:{settings.web_port}"
    api = LocalBotApi(bot_username="thuiszitbot_lokaal", api_token=secret_token())
    api.served_at(root)
    settings = settings.model_copy(
        update={
            "bot_token": SecretStr(api.token),
            "telegram_base_url": api.base_url,
            "telegram_base_file_url": api.base_file_url,
            "webhook_url": None,
            # The chat page shows no Mini App: /web's sign-in links open the pages here.
            "web_base_url": None,
        }
    )
    services = make_services(settings, trial_clock(settings, today))
    prepare_database(services, tr, say)
    application = build_application(services)

    app = web.Application(client_max_size=chat.MAX_UPLOAD + 1024 * 1024)
    api.add_routes(app)
    chat.add_routes(app, api=api, services=services)
    add_web(app, services, application.bot, health=False)  # the chat page has /healthz
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        stop_pages = serve(loop, app, host=HOST, port=settings.web_port)
    except ConfigError:
        loop.close()
        raise
    on_day = (
        ""
        if today is None
        else " " + tr.gettext("Today is {date} in this trial.").format(date=tr.date(today))
    )
    say(
        tr.gettext(
            "Local trial, without Telegram: open {url} in your browser. Stop with Ctrl-C."
        ).format(url=f"{root}/chat")
        + on_day
    )
    run(application, loop=loop, cleanup=stop_pages)
