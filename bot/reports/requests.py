"""A report asked for in chat: /kwartaal (SWV staff their SWV, BOC-ers their board) and
/overzicht (leerplicht their gemeente). Which scope a user gets, the figures, the audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.reports.data import PupilLine, Scope, pupil_lines, scope_of, scoped_records
from bot.reports.exports import overview_png, overview_xlsx, pupil_list_xlsx
from bot.reports.overview import (
    Overview,
    latest_peildatum,
    next_peildatum,
    overview,
    quarter_name,
)
from bot.services import audit
from bot.services.container import Services
from bot.storage.models import AuditAction, Role, User


@dataclass(frozen=True)
class RequestedReport:
    """The figures for one scope on one day; `pupils` only for SWV members, of their own SWV."""

    scope: Scope
    overview: Overview
    pupils: list[PupilLine] | None
    made_at: datetime
    # The coming peildatum's figures as the data stand today, when it is near.
    draft: Overview | None = None


# A draft of the coming peildatum is offered from this many days before it: the verification
# with BOC-ers and leerplicht comes two weeks before, so they have something to check.
DRAFT_FROM = timedelta(days=30)


def _scope(session: Session, user: User, *, quarterly: bool) -> Scope | None:
    role = Role(user.role)
    if quarterly and role in (Role.SWV, Role.ADMIN):
        return scope_of(session=session, kind="swv", org_id=user.swv_id)
    if quarterly and role is Role.BOC and user.bestuur_id is not None:
        return scope_of(session=session, kind="bestuur", org_id=user.bestuur_id)
    if not quarterly and role is Role.LEERPLICHT and user.gemeente_id is not None:
        return scope_of(session=session, kind="gemeente", org_id=user.gemeente_id)
    return None


def request_report(services: Services, *, user: User, quarterly: bool) -> RequestedReport | None:
    """The quarterly overview on the latest peildatum (`quarterly`) or leerplicht's overview of
    today; None when `user` has no such report. The export is recorded in the audit trail."""
    now = services.clock.now()
    day: date = latest_peildatum(now.date()) if quarterly else now.date()
    with services.session() as session:
        scope = _scope(session, user, quarterly=quarterly)
        if scope is None:
            return None
        records = scoped_records(session=session, scope=scope)
        pupils = None
        if scope.kind == "swv" and Role(user.role) in (Role.SWV, Role.ADMIN):
            pupils = pupil_lines(session=session, swv_id=scope.org_id, day=day)
        audit.record(
            session, action=AuditAction.EXPORT, at=now, actor=user,
            detail=f"{'quarterly' if quarterly else 'overview'} {scope.kind}"
            + (" pupils" if pupils is not None else ""),
        )  # fmt: skip
    coming = next_peildatum(now.date())
    draft = overview(records, coming) if quarterly and coming - now.date() <= DRAFT_FROM else None
    return RequestedReport(
        scope=scope, overview=overview(records, day), pupils=pupils, made_at=now, draft=draft
    )


@dataclass(frozen=True)
class ReportFiles:
    """What a report in chat sends: the overview's workbook, the chart for the quarterly one, and
    for SWV members the confidential pupil list as a file of its own."""

    workbook: bytes
    workbook_name: str
    chart: bytes | None = None
    pupil_list: bytes | None = None
    pupil_list_name: str = ""
    draft: bytes | None = None
    draft_name: str = ""


def report_files(made: RequestedReport, made_by: str, *, chart: bool) -> ReportFiles:
    """Build the files of a requested report (CPU work: call it off the event loop)."""
    report, day = made.overview, made.overview.peildatum
    stem = f"kwartaal-{quarter_name(day)}" if chart else f"overzicht-{day.isoformat()}"
    return ReportFiles(
        workbook=overview_xlsx(report, made_by, made.made_at),
        workbook_name=f"{stem}.xlsx",
        chart=overview_png(report, made.scope.name, made_by, made.made_at) if chart else None,
        pupil_list=pupil_list_xlsx(made.pupils, day, made_by, made.made_at)
        if made.pupils is not None
        else None,
        pupil_list_name=f"{stem}-leerlingen-vertrouwelijk.xlsx",
        draft=overview_xlsx(made.draft, made_by, made.made_at, draft=True)
        if made.draft is not None
        else None,
        draft_name=f"kwartaal-{quarter_name(made.draft.peildatum)}-concept.xlsx"
        if made.draft is not None
        else "",
    )
