"""`backup PATH` and `restore PATH`: a consistent copy of the database while the bot runs, and a
copy put back — only one the configured key opens, never over a database without `--force`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import EXIT_FAILED
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import N_, Translator
from bot.services.backups import BackupRefused, Refusal, make_backup, restore_backup
from bot.storage import crypto

REFUSALS = {
    Refusal.NOT_SQLITE: N_(
        "DATABASE_URL is not a SQLite file. A PostgreSQL database is backed up with its own "
        'tools: pg_dump --format=custom --file=PATH "$DATABASE_URL", and restored with '
        'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" PATH (see the '
        "README)."
    ),
    Refusal.NO_DATABASE: N_("There is no database at {detail}: check DATABASE_URL."),
    Refusal.NO_COPY: N_("There is no file at {detail}."),
    Refusal.EXISTS: N_(
        "{detail} exists already. To replace it, add --force (and stop the bot first when it "
        "is the bot's database)."
    ),
    Refusal.NOT_A_COPY: N_("{detail} is not a Thuiszitbot database."),
    Refusal.NEWER: N_(
        "This copy was made by a newer version of Thuiszitbot (migration {detail}): restore it "
        "with that version or a later one."
    ),
    Refusal.OTHER_KEY: N_(
        "The configured key (fingerprint {current}) does not open this data; it needs the key "
        "with fingerprint {detail}. Set DATA_KEY (or DATA_KEYS_OLD) to that key."
    ),
    Refusal.SAME_FILE: N_("{detail} is the database itself."),
}


def register(commands: Any) -> None:
    """Add `backup` and `restore` to the command line."""
    for name, help_text, force, run in (
        ("backup", "copy the database to PATH while the bot runs (SQLite), with the key's "
         "fingerprint beside it", "replace an existing PATH", _backup),
        ("restore", "put the copy at PATH back as the database (stop the bot first); only a "
         "copy the configured key opens", "replace an existing database", _restore),
    ):  # fmt: skip
        command = commands.add_parser(name, help=help_text)
        command.add_argument("path", type=Path, metavar="PATH")
        command.add_argument("--force", action="store_true", help=force)
        command.set_defaults(offline=run)


def _backup(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    crypto.install(settings.key_ring())
    now = SystemClock(settings.tz).now()
    try:
        done = make_backup(
            database_url=settings.database_url, target=args.path, now=now, force=args.force
        )
    except BackupRefused as refused:
        return _refused(refused, tr, tr.gettext("Nothing was backed up."))
    size = done.path.stat().st_size / 1_000_000
    print(
        tr.gettext(
            "Backup written to {path} ({size:.1f} MB), its manifest beside it. It opens with the "
            "key whose fingerprint is {fingerprint}: keep that key safe, and never beside the "
            "copy."
        ).format(path=done.path, size=size, fingerprint=done.manifest.key_fingerprint)
    )
    return 0


def _restore(args: argparse.Namespace, settings: Settings, tr: Translator) -> int:
    crypto.install(settings.key_ring())
    try:
        done = restore_backup(
            database_url=settings.database_url, copy=args.path,
            now=SystemClock(settings.tz).now(), force=args.force,
        )  # fmt: skip
    except BackupRefused as refused:
        return _refused(refused, tr, tr.gettext("Nothing was restored."))
    print(
        tr.gettext(
            "Restored the copy of {made} into {path}, its schema brought up to date. Start the "
            "bot again."
        ).format(made=done.manifest.made_at.strftime("%Y-%m-%d %H:%M"), path=done.path)
    )
    return 0


def _refused(refused: BackupRefused, tr: Translator, nothing: str) -> int:
    reason = tr.gettext(REFUSALS[refused.reason]).format(
        detail=refused.detail, current=crypto.active().fingerprint
    )
    print(f"error: {reason} {nothing}", file=sys.stderr)
    return EXIT_FAILED
