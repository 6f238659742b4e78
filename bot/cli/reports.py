"""`report`: the quarterly overview and the Inspectie's registration, as files."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from bot.cli.common import (
    iso_date,
)
from bot.i18n import Translator
from bot.reports.catalogue import ReportKind, file_stem, make_report, report_files
from bot.reports.exports import (
    overview_csv,
    overview_json,
    overview_png,
    overview_xlsx,
)
from bot.reports.overview import (
    peildatum,
)
from bot.services.container import Services
from bot.services.organisations import (
    OrganisationError,
    list_organisations,
)
from bot.storage.models import OrgKind


def _scope_name(services: Services) -> str:
    """Whose pupils a report from the command line counts: every SWV in the database."""
    with services.session() as session:
        rows = list_organisations(session=session)
    return ", ".join(row.name for row in rows if row.kind is OrgKind.SWV)


def _report(args: argparse.Namespace, services: Services, tr: Translator) -> None:
    now = services.clock.now()
    who = f"{getpass.getuser()} (python -m bot report)"
    if args.report_command == "inspectie":
        made = make_report(
            services,
            kind=ReportKind.INSPECTIE,
            user=None,
            day=args.peildatum or now.date(),
            detail="xlsx",
        )
        assert made is not None
        args.output.write_bytes(report_files(made, who).main.content)
        print(tr.gettext("Written: {path}").format(path=args.output))
        return
    day = None
    if args.quarter is not None:
        try:
            day = peildatum(args.quarter)
        except (ValueError, IndexError):
            raise OrganisationError("bad_quarter") from None
    made = make_report(services, kind=ReportKind.QUARTERLY, user=None, day=day, detail=args.format)
    assert made is not None and made.overview is not None
    report = made.overview
    if args.format in ("json", "csv"):
        text = overview_json(report) if args.format == "json" else overview_csv(report)
        if args.output is None:
            print(text, end="" if text.endswith("\n") else "\n")
            return
        args.output.write_text(text, encoding="utf-8")
    else:
        data = (
            overview_xlsx(report, who, now)
            if args.format == "xlsx"
            else overview_png(report, _scope_name(services), who, now)
        )
        stem = file_stem(ReportKind.QUARTERLY, None, made.day)
        output = args.output or Path(f"{stem}.{args.format}")
        output.write_bytes(data)
        args.output = output
    print(tr.gettext("Written: {path}").format(path=args.output))


def register(commands: Any) -> None:
    """`report quarterly` and `report inspectie`."""
    report = commands.add_parser("report", help="the quarterly overview, the Inspectie's list")
    reports = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    quarterly = reports.add_parser("quarterly", help="the overview on a quarter's peildatum")
    quarterly.add_argument("--quarter", help="YYYYQn, e.g. 2026Q4 (default: the latest peildatum)")
    quarterly.add_argument("--format", choices=["xlsx", "csv", "json", "png"], default="xlsx")
    quarterly.add_argument(
        "--output", type=Path, help="file to write (json and csv: default stdout)"
    )
    inspectie = reports.add_parser(
        "inspectie", help="the cumulative, anonymised registration for the Inspectie (XLSX)"
    )
    inspectie.add_argument("--peildatum", type=iso_date, help="YYYY-MM-DD (default: today)")
    inspectie.add_argument("--output", type=Path, required=True, metavar="FILE.xlsx")
    report.set_defaults(handler=_report)
