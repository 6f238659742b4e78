"""Command line: `python -m bot COMMAND` (also installed as `thuiszitbot`); `--help` lists them.

Each command group is a module of `bot.cli` with a `register(commands)` that adds its parsers
and sets, on each, the function that runs it: `handler(args, services, tr)` for the commands
that need the database, `offline(args, settings, tr)` for those that do not open it as the bot
does (backup and restore handle the file themselves).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.cli import agenda, backups, importing, invite, orgs, privacy, reports, running
from bot.cli.common import EXIT_CONFIG, EXIT_FAILED, open_services, organisation_error
from bot.config import ConfigError, load_settings
from bot.i18n import translator
from bot.logs import configure_logging, describe_exception
from bot.services.organisations import OrganisationError

logger = logging.getLogger(__name__)

# In the order `--help` lists them.
COMMAND_GROUPS = (running, orgs, agenda, importing, reports, invite, privacy, backups)


def _parser() -> argparse.ArgumentParser:
    invoked_as = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(
        prog="thuiszitbot" if invoked_as == "thuiszitbot" else "python -m bot",
        description="Thuiszitbot: a Telegram bot that keeps thuiszitters in view.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('thuiszitbot')}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `python -m bot` alone is `run`
        args = parser.parse_args(["run"])
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(level=logging.getLevelNamesMapping()[settings.log_level],
                      style=settings.log_format)  # fmt: skip
    tr = translator(settings.bot_locale)
    try:
        offline = getattr(args, "offline", None)
        if offline is not None:
            return offline(args, settings, tr) or 0
        services = open_services(settings, create=getattr(args, "creates_database", False))
        try:
            return args.handler(args, services, tr) or 0
        finally:
            services.close()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except OrganisationError as error:
        print(f"error: {organisation_error(error, tr)}", file=sys.stderr)
        return EXIT_FAILED
    except privacy.CommandFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, SQLAlchemyError) as error:
        # Only the kind of failure: a database's message may quote stored values.
        logger.debug("database unavailable:\n%s", describe_exception(error))
        print(
            f"error: the database cannot be opened or written ({type(error).__name__}); check "
            "DATABASE_URL, that its folder exists and is writable, and that the disk has room",
            file=sys.stderr,
        )
        return EXIT_CONFIG


if __name__ == "__main__":
    sys.exit(main())
