"""A report as the chat and the pages sum it up."""

from __future__ import annotations

from bot.i18n import Translator
from bot.reports.overview import Overview


def summary(report: Overview, scope_name: str, tr: Translator) -> str:
    """Two lines: the totals per category, and offers / new / ended."""
    _ = tr.gettext
    totals = report.totaal
    count = sum(totals[c] for c in ("A1", "A2", "B1", "B2"))
    with_offer = sum(report.met_aanbod[c] for c in ("A1", "A2", "B1", "B2"))
    new = sum(report.nieuw[c] for c in ("A1", "A2", "B1", "B2"))
    ended = sum(report.beeindigd[c] for c in ("A1", "A2", "B1", "B2"))
    first = tr.ngettext(
        "{scope} on {date}: {count} pupil (A1 {a1}, A2 {a2}, B1 {b1}, B2 {b2}).",
        "{scope} on {date}: {count} pupils (A1 {a1}, A2 {a2}, B1 {b1}, B2 {b2}).",
        count,
    ).format(
        scope=scope_name,
        date=tr.date(report.peildatum),
        count=count,
        a1=totals["A1"],
        a2=totals["A2"],
        b1=totals["B1"],
        b2=totals["B2"],
    )
    second = _(
        "{with_offer} with a suitable offer, {without} without; {new} new and {ended} ended "
        "since {previous}."
    ).format(
        with_offer=with_offer,
        without=count - with_offer,
        new=new,
        ended=ended,
        previous=tr.date(report.vorige_peildatum),
    )
    return f"{first}\n{second}"
