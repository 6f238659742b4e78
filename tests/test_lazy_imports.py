"""What only some commands need is imported when they need it: the running bot does not carry
the spreadsheet and chart libraries (openpyxl brings numpy), nor the calendar library, for the
chat alone."""

from __future__ import annotations

import subprocess
import sys

NOT_AT_START = ("openpyxl", "numpy", "matplotlib", "PIL", "icalendar")


def test_starting_the_bot_imports_no_report_library() -> None:
    probe = (
        "import sys, bot.__main__, bot.app, bot.web.site, bot.handlers; "
        f"print([m for m in {NOT_AT_START!r} if m in sys.modules])"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_making_a_workbook_imports_it() -> None:
    probe = (
        "import sys; from bot.reports.exports import _workbook; _workbook(); "
        "print('openpyxl' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "True"


def test_making_a_calendar_feed_imports_its_library() -> None:
    probe = (
        "import sys; from datetime import date; from bot.i18n import translator; "
        "from bot.views.calendar import agenda_calendar; "
        "agenda_calendar([], tr=translator('nl'), today=date(2026, 12, 8), web_root='x'); "
        "print('icalendar' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "True"
