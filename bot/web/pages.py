"""The pages: thin routes over the same use cases as the chat. Every read goes through the
services' access rules; a pupil one may not see and one that does not exist are both 404."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote

from aiohttp import web
from telegram import Bot

from bot.reminders.actions import (
    AGENDA_DAYS,
    DONE,
    NEXT_WEEK,
    TOMORROW,
    agenda,
    press_agenda_button,
)
from bot.reminders.copies import show_done
from bot.reports.catalogue import (
    MadeReport,
    ReportKind,
    make_report,
    overview_for,
    report_files,
    reports_for,
)
from bot.services.access import NotAvailable
from bot.services.admin import audit_csv, audit_trail
from bot.services.calendar_feed import feed_addresses, new_address
from bot.services.cases import UpdateError
from bot.services.dossier import download_file, older_timeline, read_dossier
from bot.services.files import (
    ALLOWED_TYPES,
    MAX_FILE_BYTES,
    content_matches,
    file_document,
    upload_problem,
)
from bot.services.identity import access_generation, mini_app_caller
from bot.services.pupil_table import NO_CASE, SORTS, PupilFilter, close_rows, pupil_table
from bot.services.users import record_way_in
from bot.storage.models import AuditAction, AuditChannel, CaseStatus, Category, Role
from bot.texts import (
    CATEGORY_NAMES,
    KIND_NAMES,
    RULE_ACTIONS,
    STATUS_NAMES,
    aside,
    done_note_prefill,
)
from bot.views.audit import audit_line
from bot.views.reports import summary
from bot.views.texts import role_name
from bot.views.updates import UPDATE_ERRORS
from bot.web.forms import notice
from bot.web.server import (
    BOT_KEY,
    COOKIE,
    PREFIX,
    client_address,
    form_text,
    from_this_site,
    path_number,
    refusal,
    render,
    request_translator,
    services_of,
    set_session_cookie,
    visitor_of,
)

logger = logging.getLogger(__name__)

PER_PAGE = 25


def add_routes(app: web.Application) -> None:
    """The pages and forms (the app is mounted at /app)."""
    app.router.add_get("/start", mini_app_start)
    app.router.add_post("/auth/tma", mini_app_session)
    app.router.add_get("/signin/{token}", sign_in_page)
    app.router.add_post("/signin", sign_in)
    app.router.add_post("/signout", sign_out)
    app.router.add_get("/pupils", pupils)
    app.router.add_post("/pupils", search)
    app.router.add_get("/pupils/{pupil_id:\\d+}", dossier)
    app.router.add_post("/pupils/{pupil_id:\\d+}/files", upload)
    app.router.add_get("/files/{file_id:\\d+}", download)
    app.router.add_get("/agenda", agenda_page)
    app.router.add_post("/agenda/{deadline_id:\\d+}", agenda_action)
    app.router.add_post("/agenda/calendar", calendar_address)
    app.router.add_get("/overview", overview_page)
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/audit.csv", audit_download)
    app.router.add_get("/overview/{name}", overview_file)


# ----- signing in -----


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a page of our own (no open redirect)."""
    if target and target.startswith(f"{PREFIX}/") and "//" not in target and "\\" not in target:
        return target
    return f"{PREFIX}/pupils"


async def mini_app_start(request: web.Request) -> web.Response:
    """The Mini App's first page: its script trades the initData (in the URL's fragment, which
    never reaches a server) for a session, then opens the wanted page."""
    return render(request, "start.html", next=safe_next(request.query.get("next")))


async def mini_app_session(request: web.Request) -> web.Response:
    """Authorization: tma <initData> → a session cookie (asked by our own start page only)."""
    if not from_this_site(request):
        raise web.HTTPForbidden
    services = services_of(request)
    if not services.sign_in_limiter.allow_address(client_address(request)):
        raise web.HTTPTooManyRequests
    header = request.headers.get("Authorization", "")
    user = None
    if header.startswith("tma "):
        user = await asyncio.to_thread(mini_app_caller, services, header[4:])
    if user is None or user.id is None:
        await asyncio.to_thread(
            record_way_in, services, AuditAction.SIGN_IN_REFUSED, user_id=None, detail="mini_app"
        )
        raise web.HTTPUnauthorized
    if not services.sign_in_limiter.allow_user(user.id):
        raise web.HTTPTooManyRequests
    session_id, _session = await asyncio.to_thread(
        services.web_sessions.open,
        user.id,
        now=services.clock.now(),
        generation=user.access_generation,
    )
    await asyncio.to_thread(
        record_way_in, services, AuditAction.SIGN_IN, user_id=user.id, detail="mini_app"
    )
    logger.info("web: user %s opened the Mini App", user.id)
    response = web.Response(status=204)
    set_session_cookie(response, session_id, framed=request.query.get("framed") == "1")
    return response


async def sign_in_page(request: web.Request) -> web.Response:
    """A sign-in link asks to confirm first: a link preview (which fetches with GET) must not
    use it up."""
    return render(request, "signin.html", token=request.match_info["token"][:100])


async def sign_in(request: web.Request) -> web.Response:
    """Use a sign-in link: once, within 10 minutes, and only from its own page — another site
    must not sign a visitor's browser in as someone else (login CSRF)."""
    if not from_this_site(request):
        raise web.HTTPForbidden
    services = services_of(request)
    if not services.sign_in_limiter.allow_address(client_address(request)):
        raise web.HTTPTooManyRequests
    form = await request.post()
    token = form.get("token")
    opened = None
    if isinstance(token, str):
        opened = await asyncio.to_thread(
            services.web_sessions.redeem,
            token[:100],
            now=services.clock.now(),
            current=lambda user_id: access_generation(services, user_id),
        )
    if opened is None:
        await asyncio.to_thread(
            record_way_in, services, AuditAction.SIGN_IN_REFUSED, user_id=None, detail="link"
        )
        _ = request_translator(request).gettext
        return refusal(
            request,
            401,
            _(
                "This sign-in link was used already or has expired. Send /web to the bot for a "
                "new one."
            ),
        )
    session_id, session = opened
    logger.info("web: user %s signed in with a link", session.user_id)
    await asyncio.to_thread(
        record_way_in, services, AuditAction.SIGN_IN, user_id=session.user_id, detail="link"
    )
    response = web.HTTPSeeOther(f"{PREFIX}/pupils")
    set_session_cookie(response, session_id)
    raise response


async def sign_out(request: web.Request) -> web.Response:
    """End this browser's session."""
    services, cookie = services_of(request), request.cookies.get(COOKIE, "")
    ended = await asyncio.to_thread(services.web_sessions.get, cookie, now=services.clock.now())
    await asyncio.to_thread(services.web_sessions.close, cookie)
    if ended is not None:
        await asyncio.to_thread(
            record_way_in, services, AuditAction.SIGN_OUT, user_id=ended.user_id, detail="web"
        )
    _ = request_translator(request).gettext
    response = refusal(
        request, 200, _("You are signed out. Send /web to the bot to sign in again.")
    )
    response.del_cookie(COOKIE, path=PREFIX)
    return response


# ----- pupils and dossiers -----


FILTER = "pupils"


def _filter(form: Mapping[str, object]) -> PupilFilter:
    category, status, sort = (form_text(form, name) for name in ("category", "status", "sort"))
    return PupilFilter(
        text=form_text(form, "q", 80),
        category=category if category in set(Category) else "",
        status=status if status in {*CaseStatus, NO_CASE} else "",
        open_deadlines=form_text(form, "deadlines") == "1",
        sort=sort if sort in SORTS else "name",
    )


async def search(request: web.Request) -> web.Response:
    """The list's filter is posted and kept in the session: a searched name stays out of URLs."""
    visitor_of(request).kept()[FILTER] = _filter(await request.post())
    raise web.HTTPSeeOther(f"{PREFIX}/pupils")


async def pupils(request: web.Request) -> web.Response:
    """My pupils: search, filter, sort, paginate."""
    visitor = visitor_of(request)
    kept = visitor.kept().get(FILTER)
    try:
        page = min(max(0, int(request.query.get("page", "1")) - 1), 10_000)
    except ValueError:
        page = 0
    wanted = replace(kept if isinstance(kept, PupilFilter) else PupilFilter(), page=page)
    rows, total = await asyncio.to_thread(
        pupil_table, services_of(request), user=visitor.user, wanted=wanted, per_page=PER_PAGE
    )
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    close = []
    if total == 0 and wanted.text:
        close = await asyncio.to_thread(
            close_rows, services_of(request), user=visitor.user, text=wanted.text
        )
    return render(
        request,
        "pupils.html",
        rows=rows,
        total=total,
        wanted=wanted,
        pages=pages,
        page=wanted.page + 1,
        categories=CATEGORY_NAMES,
        statuses=STATUS_NAMES,
        no_case=NO_CASE,
        notice=notice(visitor),
        close=close,
    )


async def dossier(request: web.Request) -> web.Response:
    """The dossier: the only place with a pupil's full name, birth date, notes and files."""
    visitor, services = visitor_of(request), services_of(request)
    pupil_id = path_number(request, "pupil_id")
    try:
        view = await asyncio.to_thread(read_dossier, services, user=visitor.user, pupil_id=pupil_id)
        # Past the last entry shows none; more than a million is not a page anyone asked for.
        offset = min(int(request.query.get("older", "0") or 0), 1_000_000)
        older = None
        if offset > 0:
            older = await asyncio.to_thread(
                older_timeline, services, user=visitor.user, pupil_id=pupil_id, offset=offset
            )
    except NotAvailable:
        raise web.HTTPNotFound from None
    except ValueError:
        raise web.HTTPNotFound from None
    logger.info("web: user %s viewed dossier of pupil %s", visitor.user.id, pupil_id)
    timeline = older.items if older is not None else view.timeline
    first = older.offset if older is not None else 0
    return render(
        request,
        "dossier.html",
        view=view,
        timeline=timeline,
        first=first,
        total=view.timeline_total,
        categories=CATEGORY_NAMES,
        statuses=STATUS_NAMES,
        kinds=KIND_NAMES,
        actions=RULE_ACTIONS,
        Status=CaseStatus,
        uploaded=request.query.get("uploaded") == "1",
        notice=notice(visitor),
        accept=",".join(ALLOWED_TYPES),
    )


async def upload(request: web.Request) -> web.Response:
    """File a document with the pupil's case (the chat points here when the pages are on)."""
    visitor, services = visitor_of(request), services_of(request)
    _ = visitor.tr.gettext
    pupil_id = path_number(request, "pupil_id")
    form = await request.post()
    sent = form.get("file")
    if not isinstance(sent, web.FileField):
        return refusal(request, 400, _("Choose a file first."))
    content = sent.file.read(MAX_FILE_BYTES + 1)
    mime = sent.content_type or ""
    problem = upload_problem(mime, len(content))
    if problem is None and not content_matches(mime, content):
        problem = "content"
    if problem is not None:
        return refusal(
            request,
            400,
            {
                "type": _(
                    "This type of file is not accepted: PDF, Word, OpenDocument, Excel, "
                    "text, JPEG or PNG."
                ),
                "size": _("That is too large: at most 10 MB."),
                "content": _("This file is not what its type says; it was not filed."),
            }[problem],
        )
    try:
        await asyncio.to_thread(
            file_document,
            services,
            user=visitor.user,
            pupil_id=pupil_id,
            file_name=sent.filename or "",
            mime_type=mime,
            content=content,
            confidential=form.get("confidential") == "1",
        )
    except NotAvailable:
        raise web.HTTPNotFound from None
    except UpdateError as error:
        if error.code == "quota_full":
            # The text by its code (Babel before 2.15 takes a string in `_(…[…])` for a message).
            return refusal(request, 413, _(UPDATE_ERRORS[error.code]))
        return refusal(request, 400, _("This pupil has no case to file it with yet."))
    logger.info("web: user %s filed a document for pupil %s", visitor.user.id, pupil_id)
    raise web.HTTPSeeOther(f"{PREFIX}/pupils/{pupil_id}?uploaded=1")


async def download(request: web.Request) -> web.Response:
    """A filed document, if the visitor may see it (audited)."""
    visitor = visitor_of(request)
    file_id = path_number(request, "file_id")
    try:
        stored = await asyncio.to_thread(
            download_file, services_of(request), user=visitor.user, file_id=file_id
        )
    except NotAvailable:
        raise web.HTTPNotFound from None
    logger.info("web: user %s downloaded file %s", visitor.user.id, file_id)
    return _attachment(stored.content, stored.file_name, stored.mime_type)


def _attachment(content: bytes, name: str, mime: str) -> web.Response:
    """A download named as RFC 6266 says: a plain ASCII fallback, and the name itself encoded
    (RFC 5987), so that no character of it can add a header parameter."""
    safe = "".join(c for c in name if c.isascii() and (c.isalnum() or c in " ._-()")) or "bestand"
    disposition = f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(name, safe='')}"
    return web.Response(
        body=content, content_type=mime, headers={"Content-Disposition": disposition}
    )


# ----- the agenda -----


async def agenda_page(request: web.Request) -> web.Response:
    """My open deadlines for the next 30 days and the overdue ones, by week."""
    visitor, services = visitor_of(request), services_of(request)
    lines = await asyncio.to_thread(agenda, services, user=visitor.user, days=AGENDA_DAYS)
    today = services.clock.now().date()
    tr = visitor.tr
    groups: dict[str, list[object]] = {}
    for line in lines:
        if line.due < today:
            group = tr.gettext("Overdue")
        else:
            monday = line.due - timedelta(days=line.due.weekday())
            group = tr.gettext("Week {week} (from {date})").format(
                week=line.due.isocalendar().week, date=tr.date(monday)
            )
        groups.setdefault(group, []).append(line)
    return render(
        request,
        "agenda.html",
        groups=groups,
        today=today,
        DONE=DONE,
        TOMORROW=TOMORROW,
        NEXT_WEEK=NEXT_WEEK,
        prefill=done_note_prefill,
        until=today + timedelta(days=AGENDA_DAYS),
        notice=request.query.get("notice", ""),
    )


async def calendar_address(request: web.Request) -> web.Response:
    """A new address for the user's calendar feed, shown on this page only (the one before
    ends)."""
    visitor, services = visitor_of(request), services_of(request)
    secret = await asyncio.to_thread(
        new_address, services, user=visitor.user, channel=AuditChannel.WEB
    )
    address, subscription = feed_addresses(services, secret)
    return render(request, "calendar.html", address=address, subscription=subscription)


async def agenda_action(request: web.Request) -> web.Response:
    """Done, tomorrow or next week, as under a nudge; a Done also marks the nudges in chat."""
    visitor, services = visitor_of(request), services_of(request)
    form = await request.post()
    action = str(form.get("action", ""))
    note = str(form.get("note", "")) if action == DONE else ""
    result = await asyncio.to_thread(
        press_agenda_button,
        services,
        user=visitor.user,
        deadline_id=path_number(request, "deadline_id"),
        action=action,
        note=note or None,
    )
    if result is None:
        raise web.HTTPNotFound
    bot = request.config_dict[BOT_KEY]
    if action == DONE and isinstance(bot, Bot):
        logger.info("web: user %s marked deadline %s done", visitor.user.id, result.deadline_id)
        today = services.clock.now().date()
        for changed in result.copies:
            await show_done(bot, result=result, changed=changed, by=visitor.user, today=today)
    raise web.HTTPSeeOther(f"{PREFIX}/agenda?notice={'done' if action == DONE else 'later'}")


# ----- the overviews -----


def _report_kind(request: web.Request) -> ReportKind:
    """The overview this visitor has: the quarterly one, or leerplicht's (404 for anyone else)."""
    kind = overview_for(visitor_of(request).user)
    if kind is None:
        raise web.HTTPNotFound
    return kind


async def _report(request: web.Request, kind: ReportKind) -> MadeReport:
    made = await asyncio.to_thread(
        make_report, services_of(request), kind=kind, user=visitor_of(request).user
    )
    if made is None:
        raise web.HTTPNotFound
    return made


async def overview_page(request: web.Request) -> web.Response:
    """The quarterly overview (SWV staff, BOC-ers) or leerplicht's overview, with downloads."""
    kind = _report_kind(request)
    made = await _report(request, kind)
    tr = visitor_of(request).tr
    assert made.overview is not None and made.scope is not None
    inspectie = ReportKind.INSPECTIE in reports_for(visitor_of(request).user)
    return render(
        request,
        "overview.html",
        text=summary(made.overview, made.scope.name, tr),
        quarterly=kind is ReportKind.QUARTERLY,
        pupils=made.pupils is not None,
        draft=made.draft is not None,
        inspectie=inspectie,
    )


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REPORT_FILES = {
    "chart.png": "image/png",
    "workbook.xlsx": _XLSX,
    "pupils.xlsx": _XLSX,
    "draft.xlsx": _XLSX,
    "inspectie.xlsx": _XLSX,
}


async def overview_file(request: web.Request) -> web.Response:
    """The chart (shown on the page) and the workbooks to download."""
    name = request.match_info["name"]
    if name not in _REPORT_FILES:
        raise web.HTTPNotFound
    kind = ReportKind.INSPECTIE if name == "inspectie.xlsx" else _report_kind(request)
    made = await _report(request, kind)
    user = visitor_of(request).user
    who = f"{user.display_name} {aside(role_name(Role(user.role), visitor_of(request).tr))}"
    files = await asyncio.to_thread(report_files, made, who)
    found = {
        "chart.png": files.chart,
        "workbook.xlsx": files.main,
        "inspectie.xlsx": files.main,
        "pupils.xlsx": files.pupil_list,
        "draft.xlsx": files.draft,
    }[name]
    if found is None:
        raise web.HTTPNotFound
    logger.info("web: user %s downloaded report file %s", user.id, name)
    if name == "chart.png":
        return web.Response(body=found.content, content_type="image/png")
    return _attachment(found.content, found.name, _REPORT_FILES[name])


# ----- the audit trail (administrators) -----

AUDIT_ON_PAGE = 200


async def audit_page(request: web.Request) -> web.Response:
    """The newest entries of the administrator's SWV's audit trail (404 for anyone else)."""
    visitor, services = visitor_of(request), services_of(request)
    if Role(visitor.user.role) is not Role.ADMIN:
        raise web.HTTPNotFound
    trail = await asyncio.to_thread(audit_trail, services, admin=visitor.user, limit=AUDIT_ON_PAGE)
    lines = [audit_line(line, visitor.tr, services.settings.tz) for line in trail]
    return render(request, "audit.html", lines=lines)


async def audit_download(request: web.Request) -> web.Response:
    """The administrator's SWV's whole audit trail as CSV (the download is audited)."""
    visitor, services = visitor_of(request), services_of(request)
    if Role(visitor.user.role) is not Role.ADMIN:
        raise web.HTTPNotFound
    text = await asyncio.to_thread(audit_csv, services, admin=visitor.user)
    logger.info("web: user %s downloaded the audit trail", visitor.user.id)
    return _attachment(text.encode("utf-8"), "audit.csv", "text/csv")
