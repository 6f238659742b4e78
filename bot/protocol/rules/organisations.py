"""The rules computed from an organisation's facts: the quarterly and monthly overviews, the
verification of the registration, the consultations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from bot.protocol.facts import OrganisationFacts
from bot.protocol.rules.base import Deadline, ProtocolSettings, Rule


def _yearly(
    org: OrganisationFacts, as_of: date, horizon_days: int, dates: Iterable[tuple[int, int]]
) -> Iterator[date]:
    horizon = as_of + timedelta(days=horizon_days)
    for year in range(org.registered_on.year, horizon.year + 1):
        for month, day in dates:
            occurrence = date(year, month, day)
            if org.registered_on <= occurrence <= horizon:
                yield occurrence


def kwartaal_peildatum(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The quarterly reference dates, per SWV and per board."""
    if org.kind in ("swv", "bestuur"):
        peildata = ((9, 15), (12, 15), (3, 15), (6, 15))
        yield from _periodic(org, Rule.KWARTAAL_PEILDATUM, as_of, settings, peildata)


def leerplicht_verificatie(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """Verification of the thuiszitters four times a year (project default dates), by the SWV
    with the BOC-ers and leerplicht: one occurrence for the SWV (all its cases), one per board
    (its schools' cases) and one per gemeente with an open case on the day."""
    dates = settings.verification_dates
    if org.kind in ("swv", "bestuur"):
        yield from _periodic(org, Rule.LEERPLICHT_VERIFICATIE, as_of, settings, dates)
    elif org.kind == "gemeente":
        for d in _periodic(org, Rule.LEERPLICHT_VERIFICATIE, as_of, settings, dates):
            if _case_open_in(org, d.due):
                yield d


def overleg(org: OrganisationFacts, as_of: date, settings: ProtocolSettings) -> Iterator[Deadline]:
    """The two meetings twice a year, per SWV (project default dates)."""
    if org.kind == "swv":
        for rule in (Rule.OVERLEG_BOC_NETWERK, Rule.OVERLEG_LEERPLICHT):
            yield from _periodic(org, rule, as_of, settings, settings.overleg_dates)


def _case_open_in(org: OrganisationFacts, day: date) -> bool:
    """Whether any case of the gemeente's pupils is open on `day`."""
    return any(start <= day and (end is None or end >= day) for start, end in org.open_periods)


def maandoverzicht(
    org: OrganisationFacts, as_of: date, settings: ProtocolSettings
) -> Iterator[Deadline]:
    """The monthly overview for the SWV, per gemeente with an open case on the day (project
    default: the 1st)."""
    if org.kind == "gemeente":
        months = [(m, settings.monthly_overview_day) for m in range(1, 13)]
        for d in _periodic(org, Rule.MAANDOVERZICHT_SWV, as_of, settings, months):
            if _case_open_in(org, d.due):
                yield d


def _periodic(
    org: OrganisationFacts,
    rule: Rule,
    as_of: date,
    settings: ProtocolSettings,
    dates: Iterable[tuple[int, int]],
) -> Iterator[Deadline]:
    owner = (org.kind, org.org_id)
    for day in _yearly(org, as_of, settings.horizon_days, dates):
        yield Deadline(day, rule, org=owner, trigger=day)
