"""`run` (the default: the bot, or the local trial), `demo-data`, `rules` and `db upgrade`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import sys
from typing import Any

from bot.cli.common import (
    EXIT_FAILED,
    iso_date,
    open_services,
)
from bot.config import ConfigError, Settings
from bot.i18n import Translator, translator
from bot.rule_table import markdown, rule_rows
from bot.services.container import Services
from bot.services.demo import SampleRefused, holds_sample_region, sample_region

logger = logging.getLogger(__name__)


def _rules_text(tr: Translator) -> str:
    """The rule catalogue as plain text, a block per rule."""
    blocks = [
        f"{code}\n  {asks}\n  → {whom}\n  {when}\n  {due}\n  ({source})\n"
        for code, asks, whom, when, due, source in rule_rows(tr)
    ]
    return "\n".join(blocks)


def _run(args: argparse.Namespace, settings: Settings, tr: Translator) -> None:
    from bot.app import build_application, run
    from bot.web.site import Webhook, root_app, serve

    if args.local or settings.bot_token is None:
        from bot.local.trial import run_trial

        run_trial(settings, make_services=open_services, tr=tr, today=args.today)
        return
    if args.today is not None:
        raise ConfigError("--today is for the local trial only (run --local)")
    settings.require_token()
    services = open_services(settings)
    with services.session() as session:
        if holds_sample_region(session):
            raise ConfigError(
                "this database holds the fictitious sample region of the local trial; the bot "
                "needs a database of its own: set DATABASE_URL to another file"
            )
    application = build_application(services)
    updates, secret = None, None
    path = settings.webhook_path()
    if path is not None:
        # Without WEBHOOK_SECRET a fresh one per start: the webhook is set again at every start.
        given = settings.webhook_secret
        secret = given.get_secret_value() if given else secrets.token_urlsafe(32)
        updates = Webhook(path, secret, application)
        if settings.model_fields_set & {"webhook_listen", "webhook_port"}:
            logger.warning(
                "WEBHOOK_LISTEN and WEBHOOK_PORT are no longer used: Telegram's updates arrive "
                "on WEB_LISTEN/WEB_PORT at WEBHOOK_URL's path"
            )
    loop = asyncio.new_event_loop()
    try:
        stop_pages = serve(
            loop,
            root_app(services, application.bot, updates=updates, application=application),
            host=settings.web_listen,
            port=settings.web_port,
        )
    except ConfigError:
        loop.close()
        raise
    logger.info("web pages on %s", settings.web_root())
    run(application, loop=loop, cleanup=stop_pages, webhook_secret=secret)


def _demo_data(_args: argparse.Namespace, services: Services, tr: Translator) -> int:
    try:
        pupils, _absences = sample_region(services)
    except SampleRefused:
        print(
            "error: "
            + tr.gettext(
                "The database already holds organisations: the sample region goes only into an "
                "empty database."
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(
        tr.gettext(
            "The sample region was added: {pupils} fictitious pupils, one person per role."
        ).format(pupils=pupils.pupils_created)
    )
    return 0


def register(commands: Any) -> None:
    """`run`, `demo-data`, `rules` and `db`."""
    run = commands.add_parser(
        "run",
        help="run the bot (the default): long polling, or a webhook; without BOT_TOKEN the "
        "local trial in the browser",
    )
    run.add_argument(
        "--local",
        action="store_true",
        help="the local trial even with BOT_TOKEN set: a chat page on 127.0.0.1, no Telegram",
    )
    run.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="local trial only: act as if today were this day",
    )
    run.set_defaults(offline=_run)
    demo = commands.add_parser(
        "demo-data", help="fill an empty database with the fictitious sample region"
    )
    demo.set_defaults(handler=_demo_data, creates_database=True)
    rules = commands.add_parser("rules", help="the rule catalogue: codes, what and whom, sources")
    rules.add_argument("--markdown", action="store_true", help="as RULES.md (in English)")
    rules.set_defaults(offline=_rules)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    # Opening the database brings it up to date: nothing more to do.
    upgrade = db_commands.add_parser("upgrade", help="bring the database schema up to date")
    upgrade.set_defaults(handler=_upgraded, creates_database=True)


def _rules(args: argparse.Namespace, _settings: Settings, tr: Translator) -> int:
    # Needs neither the database nor the key.
    print(markdown(translator("en")) if args.markdown else _rules_text(tr), end="")
    return 0


def _upgraded(_args: argparse.Namespace, _services: Services, tr: Translator) -> int:
    print(tr.gettext("The database schema is up to date."))
    return 0
