"""The forms: a new pupil and case, and an update on a pupil's page. The same checks and the same
confirmation as the chat's /nieuw and quick updates; what Save stores is what the confirmation
showed, because the confirmed value waits in the session and Save only names it."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from aiohttp import web

from bot.i18n import Translator
from bot.protocol.dates import parse_date
from bot.protocol.parsing import Ambiguous, ParseFailure, QuickUpdate, parse_pupil_update
from bot.services.access import NotAvailable
from bot.services.cases import PreparedUpdate, UpdateError, save_prepared
from bot.services.dossier import label_and_first_name
from bot.services.new_pupil import NewPupil, Refused, read_field
from bot.services.registration import (
    gemeente_choices,
    register_new,
    school_choices,
)
from bot.services.update_flow import NOT_AVAILABLE, Ask, Refuse, next_step
from bot.storage.models import Category, ExemptionArticle, Role, User
from bot.texts import CATEGORY_NAMES, sentence
from bot.views.deadlines import deadline_lines
from bot.views.new_pupil import refusal_text
from bot.views.updates import (
    QUESTIONS,
    UPDATE_ERRORS,
    confirmation,
    describe,
    failure_text,
    option_label,
)
from bot.web.server import (
    PREFIX,
    Visitor,
    form_text,
    path_number,
    refusal,
    render,
    services_of,
    visitor_of,
)

logger = logging.getLogger(__name__)

PENDING = "pending"
NOTICE = "notice"
# Forms waiting for Save in one session; the oldest is forgotten first.
MAX_PENDING = 20


def add_routes(app: web.Application) -> None:
    """The forms (the app is mounted at /app)."""
    app.router.add_get("/pupils/new", new_pupil_form)
    app.router.add_post("/pupils/new", new_pupil_check)
    app.router.add_post("/pupils/new/save", new_pupil_save)
    app.router.add_post("/pupils/{pupil_id:\\d+}/update", update_check)
    app.router.add_post("/pupils/{pupil_id:\\d+}/update/next", update_next)
    app.router.add_post("/pupils/{pupil_id:\\d+}/update/save", update_save)


@dataclass(frozen=True)
class _Waiting:
    """A confirmed-to-be value: whose page it belongs to, and what it is."""

    pupil_id: int | None
    value: NewPupil | QuickUpdate | PreparedUpdate


def _keep(visitor: Visitor, waiting: _Waiting) -> str:
    pending = visitor.kept().setdefault(PENDING, {})
    assert isinstance(pending, dict)
    while len(pending) >= MAX_PENDING:
        pending.pop(next(iter(pending)))
    token = secrets.token_urlsafe(16)
    pending[token] = waiting
    return token


def _take(visitor: Visitor, form: Mapping[str, object], pupil_id: int | None) -> _Waiting:
    """The waiting value a Save (or a choice) names, used up; a form sent twice, from another
    session or for another page finds nothing."""
    pending = visitor.kept().get(PENDING)
    token = form.get("pending")
    if not isinstance(pending, dict) or not isinstance(token, str):
        raise web.HTTPConflict
    waiting = pending.get(token)
    if not isinstance(waiting, _Waiting) or waiting.pupil_id != pupil_id:
        raise web.HTTPConflict
    del pending[token]
    return waiting


def notice(visitor: Visitor) -> list[str]:
    """The lines to show once after a Save (the redirect's page shows them)."""
    lines = visitor.kept().pop(NOTICE, [])
    return lines if isinstance(lines, list) else []


# ----- a new pupil and case -----


@dataclass(frozen=True)
class _Choices:
    schools: list[tuple[int, str]]
    gemeenten: list[tuple[int, str]]
    school_optional: bool


async def _choices(request: web.Request, user: User) -> _Choices:
    services = services_of(request)
    schools = await asyncio.to_thread(school_choices, services, user=user)
    gemeenten = await asyncio.to_thread(gemeente_choices, services, user=user)
    # A care coordinator registers at her own school; the others may register a pupil who is
    # not enrolled anywhere, as in the chat.
    return _Choices(schools, gemeenten, Role(user.role) is not Role.ZORGCOORDINATOR)


def _form_page(
    request: web.Request, choices: _Choices, values: Mapping[str, object], errors: dict[str, str]
) -> web.Response:
    return render(
        request,
        "new_pupil.html",
        status=400 if errors else 200,
        choices=choices,
        values=values,
        errors=errors,
        categories=CATEGORY_NAMES,
        articles=[a.value for a in ExemptionArticle],
        A2=Category.A2.value,
    )


async def new_pupil_form(request: web.Request) -> web.Response:
    """The form for a new pupil and case (the chat's /nieuw, in one page)."""
    choices = await _choices(request, visitor_of(request).user)
    return _form_page(request, choices, {}, {})


def _chosen(value: str, options: list[tuple[int, str]], optional: bool) -> int | bool | None:
    """The chosen id, None for "none", or False when the value is not one of the options."""
    if value == "" and optional:
        return None
    return int(value) if value.isdigit() and int(value) in dict(options) else False


def read_new_pupil(
    form: Mapping[str, object], choices: _Choices, today: date, tr: Translator
) -> NewPupil | dict[str, str]:
    """The form as a new pupil, or what is wrong with it, field by field (the chat's checks)."""
    _ = tr.gettext
    errors: dict[str, str] = {}
    typed = {
        field: read_field(
            field, form_text(form, field, 200 if "name" in field else 40), today=today
        )
        for field in ("first_name", "last_name", "birth_date")
    }
    errors |= {f: refusal_text(v, tr) for f, v in typed.items() if isinstance(v, Refused)}
    school = _chosen(form_text(form, "school"), choices.schools, choices.school_optional)
    if school is False:
        errors["school"] = _("At which school is the pupil enrolled?")
    gemeente = _chosen(form_text(form, "gemeente"), choices.gemeenten, len(choices.gemeenten) != 1)
    if gemeente is False:
        errors["gemeente"] = _("In which municipality does the pupil live?")
    category = form_text(form, "category")
    article = form_text(form, "article") if category == Category.A2 else ""
    if category not in set(Category):
        errors["category"] = _("Which category?")
    elif school is None and category != Category.B1:
        errors["category"] = _("Without a school the pupil is not enrolled: category B1.")
    elif isinstance(school, int) and not isinstance(school, bool) and category == Category.B1:
        errors["category"] = _(
            "B1 is for a pupil who is not enrolled at a school: choose “No school (not "
            "enrolled)”, or another category."
        )
    elif category == Category.A2 and article not in set(ExemptionArticle):
        errors["article"] = _("Which article of the Leerplichtwet?")
    start_text = form_text(form, "start", 40)
    since = parse_date(start_text, today, "past") if start_text.strip() else None
    if since is None or since > today:
        errors["start"] = _("That is not a start date I can use (today or earlier).")
    if errors:
        return errors
    assert not isinstance(school, bool) and not isinstance(gemeente, bool)
    return NewPupil.read(
        typed
        | {
            "school_id": school,
            "gemeente_id": gemeente,
            "category": category,
            "article": article or None,
            "start": since,
        },
        today=today,
    )


async def new_pupil_check(request: web.Request) -> web.Response:
    """Check the form; show what will be stored, with Save."""
    visitor, services = visitor_of(request), services_of(request)
    form = await request.post()
    choices = await _choices(request, visitor.user)
    read = read_new_pupil(form, choices, services.clock.now().date(), visitor.tr)
    if isinstance(read, dict):
        return _form_page(request, choices, form, read)
    token = _keep(visitor, _Waiting(None, read))
    return render(
        request,
        "new_pupil_check.html",
        new=read,
        token=token,
        school=dict(choices.schools).get(read.school_id or 0),
        gemeente=dict(choices.gemeenten).get(read.gemeente_id or 0),
        category=CATEGORY_NAMES[read.category],
    )


async def new_pupil_save(request: web.Request) -> web.Response:
    """Save: store the pupil and case exactly as the check showed them."""
    visitor, services = visitor_of(request), services_of(request)
    waiting = _take(visitor, await request.post(), None)
    assert isinstance(waiting.value, NewPupil)
    try:
        done = await asyncio.to_thread(register_new, services, user=visitor.user, new=waiting.value)
    except NotAvailable:
        raise web.HTTPNotFound from None
    logger.info("web: user %s registered pupil %s", visitor.user.id, done.pupil_id)
    tr, today = visitor.tr, services.clock.now().date()
    visitor.kept()[NOTICE] = [
        sentence(tr.gettext("Registered: {pupil}.").format(pupil=done.label)),
        *deadline_lines(done.changes, today, tr),
    ]
    raise web.HTTPSeeOther(f"{PREFIX}/pupils/{done.pupil_id}")


# ----- an update on the pupil's page -----


async def _page_of(request: web.Request) -> tuple[int, str, str]:
    """The pupil of this page, if the visitor may see them: id, label and first name."""
    pupil_id = path_number(request, "pupil_id")
    try:
        who, first_name = await asyncio.to_thread(
            label_and_first_name,
            services_of(request),
            user=visitor_of(request).user,
            pupil_id=pupil_id,
        )
    except NotAvailable:
        raise web.HTTPNotFound from None
    return pupil_id, who, first_name


async def _next_step(
    request: web.Request, pupil_id: int, who: str, parsed: QuickUpdate | Ambiguous, text: str
) -> web.Response:
    """The question about what was meant, what will be stored with Save, or why not."""
    visitor, tr = visitor_of(request), visitor_of(request).tr
    step = await asyncio.to_thread(
        next_step, services_of(request), user=visitor.user, pupil_id=pupil_id, parsed=parsed
    )
    if isinstance(step, Ask):
        options = [
            (option_label(step.question, option, tr), _keep(visitor, _Waiting(pupil_id, option)))
            for option in step.options
        ]
        return render(
            request,
            "update.html",
            pupil_id=pupil_id,
            who=who,
            text=text,
            question=tr.gettext(QUESTIONS[step.question]),
            options=options,
        )
    if isinstance(step, Refuse):
        if step.code == NOT_AVAILABLE:
            raise web.HTTPNotFound
        return render(
            request,
            "update.html",
            status=400,
            pupil_id=pupil_id,
            who=who,
            text=text,
            problem=tr.gettext(UPDATE_ERRORS[step.code]),
        )
    shown = confirmation(step.prepared, who, tr)
    return render(
        request,
        "update.html",
        pupil_id=pupil_id,
        who=who,
        text=text,
        lines=shown.lines,
        token=_keep(visitor, _Waiting(pupil_id, step.prepared)),
        add_or_replace=shown.asks_add_or_replace,
        worried=shown.worried,
    )


async def update_check(request: web.Request) -> web.Response:
    """Read the typed update as the chat reads one; ask, or show what will be stored."""
    pupil_id, who, first_name = await _page_of(request)
    text = form_text(await request.post(), "text", 2000)
    parsed = parse_pupil_update(text, services_of(request).clock.now().date())
    if isinstance(parsed, ParseFailure):
        # The examples name the pupil of this page, not the placeholder the parser read.
        failure = replace(parsed, name=first_name)
        return render(
            request,
            "update.html",
            status=400,
            pupil_id=pupil_id,
            who=who,
            text=text,
            problem=failure_text(failure, visitor_of(request).tr),
        )
    if isinstance(parsed, QuickUpdate):
        parsed = replace(parsed, name=first_name)
    return await _next_step(request, pupil_id, who, parsed, text)


async def update_next(request: web.Request) -> web.Response:
    """After choosing which day, kind or end was meant: show what will be stored."""
    pupil_id, who, first_name = await _page_of(request)
    form = await request.post()
    waiting = _take(visitor_of(request), form, pupil_id)
    assert isinstance(waiting.value, QuickUpdate)
    chosen = replace(waiting.value, name=first_name)
    return await _next_step(request, pupil_id, who, chosen, form_text(form, "text", 2000))


async def update_save(request: web.Request) -> web.Response:
    """Save: store the update exactly as the confirmation showed it."""
    visitor, services = visitor_of(request), services_of(request)
    pupil_id = path_number(request, "pupil_id")
    form = await request.post()
    waiting = _take(visitor, form, pupil_id)
    prepared = waiting.value
    assert isinstance(prepared, PreparedUpdate)
    # Replacing stored hours is only on offer when the confirmation asked; a forged field cannot.
    replacing = prepared.checked.asks_add_or_replace and form.get("replace") == "1"
    try:
        applied, who = await asyncio.to_thread(
            save_prepared, services, user=visitor.user, prepared=prepared, replace=replacing
        )
    except NotAvailable:
        raise web.HTTPNotFound from None
    except UpdateError as error:
        return refusal(request, 409, visitor.tr.gettext(UPDATE_ERRORS[error.code]))
    logger.info(
        "web: user %s saved an update with %d facts", visitor.user.id, len(prepared.update.items)
    )
    tr, today = visitor.tr, services.clock.now().date()
    visitor.kept()[NOTICE] = [
        tr.gettext("Saved:"),
        *describe(prepared, who, tr, replace=replacing),
        *deadline_lines(applied.changes, today, tr),
    ]
    raise web.HTTPSeeOther(f"{PREFIX}/pupils/{pupil_id}")
