"""The report catalogue: each kind of report once — who may have it, whose pupils it counts, on
which day, its files and how it is named — and `make_report`, the one way to make one, whoever
asks (the chat, the web pages, the command line, a nudge that carries its draft).

    quarterly   SWV staff and administrators (their SWV), BOC-ers (their board); the command
                line (every SWV): the overview on the latest peildatum, with its chart, the
                coming peildatum's draft when it is near, and for the SWV the pupil list
    overview    leerplicht (their gemeente): the schoolmissers of today, for the SWV
    inspectie   SWV staff and administrators (their SWV); the command line (every SWV): the
                cumulative, anonymised registration for the Inspectie
    draft       a nudge's document: an organisation's overview as of the deadline's peildatum
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.reports.data import PupilLine, Scope, case_records, pupil_lines, scope_of, scoped_records
from bot.reports.exports import inspectie_xlsx, overview_png, overview_xlsx, pupil_list_xlsx
from bot.reports.overview import (
    InspectieRow,
    Overview,
    inspectie_rows,
    latest_peildatum,
    next_peildatum,
    overview,
    quarter_name,
)
from bot.services import audit
from bot.services.container import Services
from bot.storage.models import AuditAction, AuditChannel, Role, User


class ReportKind(StrEnum):
    """The kinds of report; the first word of a report's audit entry."""

    QUARTERLY = "quarterly"
    OVERVIEW = "overview"
    INSPECTIE = "inspectie"
    DRAFT = "draft"


# The scope each role's reports count: the organisation of that role.
_SCOPES: dict[Role, str] = {
    Role.SWV: "swv",
    Role.ADMIN: "swv",
    Role.BOC: "bestuur",
    Role.LEERPLICHT: "gemeente",
}


@dataclass(frozen=True)
class ReportSpec:
    """One kind of report."""

    kind: ReportKind
    # Who may ask for it in chat and on the pages (a draft is made for a nudge, never asked).
    roles: frozenset[Role]
    # The day it counts, from today's date.
    day: Callable[[date], date]
    # Who also gets the confidential list of the pupils behind the figures (their own SWV).
    pupils_for: frozenset[Role] = frozenset()
    chart: bool = False
    # The coming peildatum's figures as the data stand today, from this long before it.
    draft_from: timedelta | None = None


REPORTS: dict[ReportKind, ReportSpec] = {
    spec.kind: spec
    for spec in (
        ReportSpec(
            ReportKind.QUARTERLY,
            frozenset({Role.SWV, Role.ADMIN, Role.BOC}),
            latest_peildatum,
            pupils_for=frozenset({Role.SWV, Role.ADMIN}),
            chart=True,
            # The verification with BOC-ers and leerplicht comes two weeks before the
            # peildatum: a draft from 30 days before gives them something to check.
            draft_from=timedelta(days=30),
        ),
        ReportSpec(ReportKind.OVERVIEW, frozenset({Role.LEERPLICHT}), lambda today: today),
        ReportSpec(ReportKind.INSPECTIE, frozenset({Role.SWV, Role.ADMIN}), lambda today: today),
        ReportSpec(ReportKind.DRAFT, frozenset(), lambda today: today),
    )
}


def reports_for(user: User) -> list[ReportKind]:
    """The reports this user may ask for, in catalogue order."""
    return [kind for kind, spec in REPORTS.items() if Role(user.role) in spec.roles]


def overview_for(user: User) -> ReportKind | None:
    """The overview page this user has: the quarterly one, or leerplicht's; None for others."""
    kinds = reports_for(user)
    return next((k for k in (ReportKind.QUARTERLY, ReportKind.OVERVIEW) if k in kinds), None)


@dataclass(frozen=True)
class MadeReport:
    """A report's figures for one scope on one day (`scope` None: every SWV, the command line)."""

    kind: ReportKind
    scope: Scope | None
    day: date
    made_at: datetime
    overview: Overview | None = None
    inspectie: list[InspectieRow] | None = None
    pupils: list[PupilLine] | None = None
    draft: Overview | None = None


def make_report(
    services: Services,
    *,
    kind: ReportKind,
    user: User | None,
    scope: tuple[str, int] | None = None,
    day: date | None = None,
    audit_it: bool = True,
    detail: str = "",
) -> MadeReport | None:
    """Make a report: for `user` (their scope; None when they may not have it), for an
    organisation (`scope`: kind and id, for a nudge's draft; None when it is gone), or for every
    SWV (neither: the command line). The day is the kind's own unless given.

    The export is recorded in the audit trail as "<kind> <detail>": the detail is the scope (and
    "pupils" with the pupil list) unless `detail` gives another. A draft is not recorded here
    (`audit_it` off) but for each recipient when it is sent.
    """
    spec = REPORTS[kind]
    now = services.clock.now()
    day = day or spec.day(now.date())
    role = Role(user.role) if user is not None else None
    if user is not None and role not in spec.roles:
        return None
    with services.session() as session:
        found: Scope | None = None
        if user is not None:
            assert role is not None
            org_id = {"swv": user.swv_id, "bestuur": user.bestuur_id, "gemeente": user.gemeente_id}[
                _SCOPES[role]
            ]
            found = scope_of(session=session, kind=_SCOPES[role], org_id=org_id or -1)
        elif scope is not None:
            found = scope_of(session=session, kind=scope[0], org_id=scope[1])
        if (user is not None or scope is not None) and found is None:
            return None
        records = (
            scoped_records(session=session, scope=found)
            if found is not None
            else case_records(session=session)
        )
        pupils = None
        if found is not None and found.kind == "swv" and role in spec.pupils_for:
            pupils = pupil_lines(session=session, swv_id=found.org_id, day=day)
        if audit_it:
            detail = detail or " ".join(
                part for part in (found.kind if found else "", "pupils" if pupils else "") if part
            )
            audit.record(
                session,
                action=AuditAction.EXPORT,
                at=now,
                actor=user,
                channel=AuditChannel.CLI if user is None else None,
                detail=f"{kind} {detail}",
            )
    if kind is ReportKind.INSPECTIE:
        return MadeReport(kind, found, day, now, inspectie=inspectie_rows(records, day))
    coming = next_peildatum(now.date())
    near = spec.draft_from is not None and coming - now.date() <= spec.draft_from
    return MadeReport(
        kind,
        found,
        day,
        now,
        overview=overview(records, day),
        pupils=pupils,
        draft=overview(records, coming) if near else None,
    )


def file_stem(kind: ReportKind, scope_kind: str | None, day: date) -> str:
    """A report's file name without its extension: the same report is named the same way
    wherever it is made (a draft in chat and the draft a nudge carries alike)."""
    if kind is ReportKind.INSPECTIE:
        return f"inspectie-{day.isoformat()}"
    quarterly = kind is ReportKind.QUARTERLY or (
        kind is ReportKind.DRAFT and scope_kind != "gemeente"
    )
    stem = f"kwartaal-{quarter_name(day)}" if quarterly else f"overzicht-{day.isoformat()}"
    return f"{stem}-concept" if kind is ReportKind.DRAFT else stem


@dataclass(frozen=True)
class ReportFile:
    """One file of a report: its name and content."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ReportFiles:
    """What a made report sends: its main file (the overview's workbook, or the Inspectie's
    registration), the chart, the coming peildatum's draft, and the confidential pupil list."""

    main: ReportFile
    chart: ReportFile | None = None
    draft: ReportFile | None = None
    pupil_list: ReportFile | None = None


def report_files(made: MadeReport, made_by: str) -> ReportFiles:
    """Build the files of a made report (CPU work: call it off the event loop)."""
    spec, scope_kind = REPORTS[made.kind], made.scope.kind if made.scope else None
    stem = file_stem(made.kind, scope_kind, made.day)
    if made.inspectie is not None:
        registration = inspectie_xlsx(made.inspectie, made_by, made.made_at)
        return ReportFiles(ReportFile(f"{stem}.xlsx", registration))
    assert made.overview is not None
    report, name = made.overview, made.scope.name if made.scope else ""
    draft = made.draft
    # A draft made before its day says its figures may still change; on the day they stand.
    early = made.kind is ReportKind.DRAFT and made.made_at.date() < made.day
    return ReportFiles(
        main=ReportFile(f"{stem}.xlsx", overview_xlsx(report, made_by, made.made_at, draft=early)),
        chart=ReportFile(f"{stem}.png", overview_png(report, name, made_by, made.made_at))
        if spec.chart
        else None,
        draft=ReportFile(
            f"{file_stem(ReportKind.DRAFT, scope_kind, draft.peildatum)}.xlsx",
            overview_xlsx(draft, made_by, made.made_at, draft=True),
        )
        if draft is not None
        else None,
        pupil_list=ReportFile(
            f"{stem}-leerlingen-vertrouwelijk.xlsx",
            pupil_list_xlsx(made.pupils, made.day, made_by, made.made_at),
        )
        if made.pupils is not None
        else None,
    )
