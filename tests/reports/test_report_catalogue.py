"""Reports have one home: the catalogue says who may have which report and how it is named, and
nothing outside `bot/reports/` computes a report's figures itself — the chat, the pages, the
command line and the nudges' drafts all go through `make_report`."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from bot.reports.catalogue import ReportKind, file_stem, reports_for
from bot.storage.models import Role, User

BOT = Path(__file__).resolve().parents[2] / "bot"
QUARTERLY, OVERVIEW, INSPECTIE = ReportKind.QUARTERLY, ReportKind.OVERVIEW, ReportKind.INSPECTIE

WHO_HAS_WHAT = [
    (Role.ZORGCOORDINATOR, []),
    (Role.BOC, [QUARTERLY]),
    (Role.LEERPLICHT, [OVERVIEW]),
    (Role.SWV, [QUARTERLY, INSPECTIE]),
    (Role.ADMIN, [QUARTERLY, INSPECTIE]),
]


@pytest.mark.parametrize(("role", "reports"), WHO_HAS_WHAT)
def test_who_may_have_which_report(role: Role, reports: list[ReportKind]) -> None:
    assert reports_for(User(telegram_id=1, role=role.value)) == reports


NAMES = [
    (ReportKind.QUARTERLY, "swv", date(2026, 9, 15), "kwartaal-2026Q3"),
    # The draft of a peildatum has one name, made in chat or carried by a nudge.
    (ReportKind.DRAFT, "swv", date(2026, 12, 15), "kwartaal-2026Q4-concept"),
    (ReportKind.DRAFT, "bestuur", date(2026, 12, 15), "kwartaal-2026Q4-concept"),
    (ReportKind.DRAFT, "gemeente", date(2026, 12, 1), "overzicht-2026-12-01-concept"),
    (ReportKind.OVERVIEW, "gemeente", date(2026, 11, 23), "overzicht-2026-11-23"),
    (ReportKind.INSPECTIE, "swv", date(2026, 11, 23), "inspectie-2026-11-23"),
]


@pytest.mark.parametrize(("kind", "scope", "day", "stem"), NAMES)
def test_a_report_is_named_the_same_wherever_it_is_made(
    kind: ReportKind, scope: str, day: date, stem: str
) -> None:
    assert file_stem(kind, scope, day) == stem


_FIGURES = {"overview", "inspectie_rows", "scoped_records", "case_records", "pupil_lines"}


def _computes_figures(tree: ast.AST) -> list[str]:
    """The report-computing functions this module imports (outside the catalogue)."""
    return sorted(
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module in ("bot.reports.data", "bot.reports.overview")
        for alias in node.names
        if alias.name in _FIGURES
    )


def test_reports_are_made_only_through_the_catalogue() -> None:
    found = {
        str(path.relative_to(BOT)): names
        for path in BOT.rglob("*.py")
        if path.parts[-2] != "reports"
        and (names := _computes_figures(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}
    sample = "from bot.reports.overview import overview, peildatum"
    assert _computes_figures(ast.parse(sample)) == ["overview"]
