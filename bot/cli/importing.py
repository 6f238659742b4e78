"""`import`: pupils and cases, or absence entries, from a CSV file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import (
    EXIT_FAILED,
)
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.importing import REASONS, import_csv

# Columns whose values are personal: an error names the line and column, not the value.
_PERSONAL_COLUMNS = frozenset({"voornaam", "achternaam", "geboortedatum", "woonplaats"})


def _import(args: argparse.Namespace, services: Services, tr: Translator) -> int:
    _ = tr.gettext
    now = services.clock.now()
    try:
        with (
            args.file.open(encoding="utf-8-sig", newline="") as stream,
            services.session() as session,
        ):
            result = import_csv(
                session=session,
                stream=stream,
                today=now.date(),
                now=now,
                settings=services.settings.protocol,
            )
    except OSError:
        print(_("error: cannot read {file}").format(file=args.file), file=sys.stderr)
        return EXIT_FAILED
    if not result.ok:
        for error in result.errors:
            reason = _(REASONS.get(error.reason, error.reason))
            shown = error.value if error.value and error.column not in _PERSONAL_COLUMNS else ""
            where = _("line {line}, column {column}").format(line=error.line, column=error.column)
            if not error.column:
                where = _("line {line}").format(line=error.line)
            suffix = f" ({shown})" if shown else ""
            print(f"{where}: {reason}{suffix}", file=sys.stderr)
        print(
            tr.ngettext(
                "error: nothing was imported because of {count} error.",
                "error: nothing was imported because of {count} errors.",
                len(result.errors),
            ).format(count=len(result.errors)),
            file=sys.stderr,
        )
        return EXIT_FAILED
    if result.kind == "pupils":
        print(
            _(
                "Imported {rows} rows: {created} new pupils, {updated} updated, {cases} new "
                "cases, {cases_updated} cases updated, {unchanged} unchanged."
            ).format(
                rows=result.rows,
                created=result.pupils_created,
                updated=result.pupils_updated,
                cases=result.cases_created,
                cases_updated=result.cases_updated,
                unchanged=result.unchanged,
            )
        )
    else:
        print(
            _(
                "Imported {rows} absence rows: {created} new, {updated} updated, "
                "{unchanged} unchanged."
            ).format(
                rows=result.rows,
                created=result.absences_created,
                updated=result.absences_updated,
                unchanged=result.unchanged,
            )
        )
    if result.backlog:
        print(
            tr.ngettext(
                "{count} deadline was overdue already (achterstand): `agenda` lists it, and its "
                "recipients hear of it in one message.",
                "{count} deadlines were overdue already (achterstand): `agenda` lists them, and "
                "their recipients hear of them in one message.",
                result.backlog,
            ).format(count=result.backlog)
        )
    if result.history:
        print(
            tr.ngettext(
                "{count} deadline was due long ago with nothing going on: kept as history.",
                "{count} deadlines were due long ago with nothing going on: kept as history.",
                result.history,
            ).format(count=result.history)
        )
    return 0


def register(commands: Any) -> None:
    """`import`."""
    importer = commands.add_parser(
        "import", help="import pupils and cases, or absence entries, from a CSV file"
    )
    importer.add_argument("file", metavar="FILE.csv", type=Path)
    importer.set_defaults(handler=_import)
