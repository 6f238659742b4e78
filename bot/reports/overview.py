"""The quarterly overview the SWV reports to the Inspectie (seeds 000 and 001).

Pure: case facts and a peildatum in, counts out. On a peildatum (15 September, 15 December,
15 March, 15 June) a case counts when it is open that day: started on or before it, not ended
before it. Breakdowns: per category (A1, A2 per article, B1, B2), with and without a suitable
offer on that day, by duration on that day, new and ended since the previous peildatum, per
school, board and gemeente, and the last four peildata side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.protocol.rules import DEFAULT_SETTINGS, add_months

CATEGORY_CODES = ("A1", "A2", "A2-5A", "A2-5B", "A2-5C", "A2-5D", "B1", "B2")
DURATIONS = ("< 4 weken", "4 weken - 3 maanden", "3 - 6 maanden", "> 6 maanden")
PEILDATA = ((3, 15), (6, 15), (9, 15), (12, 15))  # Q1 … Q4


@dataclass(frozen=True)
class CaseRecord:
    """One case as the overview sees it (no names: an id for counting only)."""

    pupil_id: int
    category: str
    article: str | None
    start: date
    end: date | None
    offer_since: date | None
    school: str | None
    bestuur: str | None
    gemeente: str | None
    verified_on: date | None = None  # the last /verificatie of this case
    # The day the case made the pupil a thuiszitter (its 20th school day: `thuiszitter_from`);
    # without it (a record made by hand), 28 calendar days.
    thuiszitter_on: date | None = None

    @property
    def thuiszitter_day(self) -> date:
        return self.thuiszitter_on or self.start + timedelta(days=28)

    def open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


def peildatum(quarter: str) -> date:
    """ "2026Q4" → 15 December 2026."""
    year, number = quarter.upper().split("Q")
    month, day = PEILDATA[int(number) - 1]
    return date(int(year), month, day)


def latest_peildatum(today: date) -> date:
    """The latest peildatum on or before `today`."""
    candidates = [date(today.year - 1, 12, 15)] + [date(today.year, m, d) for m, d in PEILDATA]
    return max(day for day in candidates if day <= today)


def next_peildatum(today: date) -> date:
    """The first peildatum after `today`."""
    candidates = [date(today.year, m, d) for m, d in PEILDATA] + [date(today.year + 1, 3, 15)]
    return min(day for day in candidates if day > today)


def previous_peildatum(day: date) -> date:
    """The peildatum a quarter before `day`."""
    return latest_peildatum(date.fromordinal(day.toordinal() - 1))


def quarter_name(day: date) -> str:
    """15 December 2026 → "2026Q4"."""
    return f"{day.year}Q{[m for m, _ in PEILDATA].index(day.month) + 1}"


def category_counts(cases: Iterable[CaseRecord]) -> dict[str, int]:
    """Counts per category code, A2 also per article."""
    counts = Counter({code: 0 for code in CATEGORY_CODES})
    for case in cases:
        counts[case.category] += 1
        if case.category == "A2" and case.article:
            counts[f"A2-{case.article}"] += 1
    return dict(counts)


def duration_bucket(case: CaseRecord, day: date) -> str:
    """How long the case has been open on `day`."""
    if day < case.thuiszitter_day:
        return DURATIONS[0]
    if day < add_months(case.start, 3):
        return DURATIONS[1]
    if day < add_months(case.start, 6):
        return DURATIONS[2]
    return DURATIONS[3]


@dataclass
class Overview:
    """The overview on one peildatum."""

    peildatum: date
    vorige_peildatum: date
    totaal: dict[str, int]
    met_aanbod: dict[str, int]
    zonder_aanbod: dict[str, int]
    duur: dict[str, int]
    nieuw: dict[str, int]
    beeindigd: dict[str, int]
    per_school: dict[str, dict[str, int]]
    per_bestuur: dict[str, dict[str, int]]
    per_gemeente: dict[str, dict[str, int]]
    trend: list[tuple[date, dict[str, int]]] = field(default_factory=list)
    # The last verification date on or before the peildatum, and how many of the open cases
    # were verified from 14 days before it (when a verification counts for it).
    verificatiedatum: date | None = None
    geverifieerd: int = 0

    def as_json(self) -> dict[str, object]:
        """The JSON shape of `report quarterly --format json` (README, "Reports")."""
        return {
            "peildatum": self.peildatum.isoformat(),
            "vorige_peildatum": self.vorige_peildatum.isoformat(),
            "totaal": self.totaal,
            "met_passend_aanbod": self.met_aanbod,
            "zonder_passend_aanbod": self.zonder_aanbod,
            "duur": self.duur,
            "nieuw_sinds_vorige_peildatum": self.nieuw,
            "beeindigd_sinds_vorige_peildatum": self.beeindigd,
            "per_school": self.per_school,
            "per_bestuur": self.per_bestuur,
            "per_gemeente": self.per_gemeente,
            "trend": [{"peildatum": d.isoformat(), "totaal": t} for d, t in self.trend],
            "verificatie": {
                "verificatiedatum": self.verificatiedatum.isoformat()
                if self.verificatiedatum
                else None,
                "geverifieerd": self.geverifieerd,
                "open": sum(self.totaal.values()),
            },
        }


def _grouped(cases: list[CaseRecord], key: str) -> dict[str, dict[str, int]]:
    groups: dict[str, list[CaseRecord]] = {}
    for case in cases:
        groups.setdefault(getattr(case, key) or "onbekend", []).append(case)
    return {name: category_counts(group) for name, group in sorted(groups.items())}


def last_verification_date(
    day: date, dates: tuple[tuple[int, int], ...] = DEFAULT_SETTINGS.verification_dates
) -> date:
    """The last verification date (project default: 1 Sep/Dec/Mar/Jun) on or before `day`."""
    candidates = [date(year, month, d) for year in (day.year - 1, day.year) for month, d in dates]
    return max(candidate for candidate in candidates if candidate <= day)


def overview(
    cases: list[CaseRecord],
    day: date,
    verification_dates: tuple[tuple[int, int], ...] = DEFAULT_SETTINGS.verification_dates,
) -> Overview:
    """The overview on peildatum `day`, with the three quarters before it for the trend."""
    previous = previous_peildatum(day)
    open_cases = [c for c in cases if c.open_on(day)]
    with_offer = [c for c in open_cases if c.offer_since is not None and c.offer_since <= day]
    without = [c for c in open_cases if c not in with_offer]
    durations = Counter({bucket: 0 for bucket in DURATIONS})
    for case in open_cases:
        durations[duration_bucket(case, day)] += 1
    trend_days = [day]
    for _ in range(3):
        trend_days.insert(0, previous_peildatum(trend_days[0]))
    return Overview(
        peildatum=day,
        vorige_peildatum=previous,
        totaal=category_counts(open_cases),
        met_aanbod=category_counts(with_offer),
        zonder_aanbod=category_counts(without),
        duur=dict(durations),
        nieuw=category_counts(c for c in cases if previous < c.start <= day),
        beeindigd=category_counts(
            c for c in cases if c.end is not None and previous < c.end <= day
        ),
        per_school=_grouped(open_cases, "school"),
        per_bestuur=_grouped(open_cases, "bestuur"),
        per_gemeente=_grouped(open_cases, "gemeente"),
        trend=[(d, category_counts(c for c in cases if c.open_on(d))) for d in trend_days],
        verificatiedatum=(verified := last_verification_date(day, verification_dates)),
        geverifieerd=sum(
            1
            for c in open_cases
            if c.verified_on is not None and c.verified_on >= verified - timedelta(days=14)
        ),
    )


@dataclass(frozen=True)
class InspectieRow:
    """One line of the Inspectie's cumulative registration: a pseudonym, never a name."""

    pseudoniem: str
    category: str
    article: str | None
    start: date
    end: date | None
    aanbod: str
    geverifieerd_op: date | None = None


def inspectie_rows(cases: list[CaseRecord], day: date) -> list[InspectieRow]:
    """Everyone who was a thuiszitter or had a 5-onder-a exemption since 1 August, up to `day`.

    A thuiszitter: an A1/B1/B2 case open up to its 20th school day (the definition the
    deadlines use: `rules.thuiszitter_from`) at some moment of the school year; an exemption:
    an A2 case with article 5A. Cumulative: who was on it stays on it.
    """
    year_start = date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    rows = []
    for case in sorted(cases, key=lambda c: (c.start, c.pupil_id)):
        if case.start > day or (case.end is not None and case.end < year_start):
            continue
        if case.category == "A2":
            if case.article != "5A":
                continue
        else:
            open_until = min(case.end or day, day)
            if open_until < case.thuiszitter_day:
                continue
        has_offer = case.offer_since is not None and case.offer_since <= day
        rows.append(
            InspectieRow(
                pseudoniem=f"TZ-{case.pupil_id:06d}",
                category=case.category,
                article=case.article,
                start=case.start,
                end=case.end,
                aanbod="ja" if has_offer else "nee",
                geverifieerd_op=case.verified_on,
            )
        )
    return rows
