"""The web front end: the Telegram Mini App and the browser pages, served by the bot's own process
on its event loop (aiohttp), under /app; /healthz answers without authentication.

Who is asking is settled here, before any page runs: the Mini App's signed `initData` (header
`Authorization: tma …`), or the session cookie a one-time sign-in link or a checked `initData`
opened. Anything else is 401. Every page then reads through the same services and access rules as
the chat. Forms carry the session's token (CSRF); every answer carries strict security headers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from importlib import resources
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Any

from aiohttp import web
from babel.numbers import format_decimal
from jinja2 import Environment

from bot.config import WEB_PREFIX
from bot.i18n import Translator, locale_from_language_code, translator
from bot.reports.catalogue import overview_for
from bot.services import audit
from bot.services.container import Services
from bot.services.files import MAX_FILE_BYTES
from bot.services.identity import Channel, active_caller, mini_app_caller, within_rate
from bot.services.users import record_way_in
from bot.services.web_access import WebSession
from bot.storage.models import AuditAction, AuditChannel, Role, User
from bot.views.texts import hours_text

logger = logging.getLogger(__name__)

PREFIX = WEB_PREFIX
COOKIE = "thuiszitbot_session"
# Telegram's web clients show a Mini App in a frame; nothing else may frame the pages.
FRAME_ANCESTORS = "https://web.telegram.org https://*.telegram.org"
MAX_REQUEST = MAX_FILE_BYTES + 1024 * 1024

SERVICES_KEY = web.AppKey("services", Services)
BOT_KEY = web.AppKey("bot", object)
TEMPLATES_KEY = web.AppKey("templates", Environment)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Visitor:
    """The signed-in user of one request, with their language and session (None when the
    request was authenticated by its own initData header, which no other site can send)."""

    user: User
    tr: Translator
    session: WebSession | None

    @property
    def has_overview(self) -> bool:
        """Whether the navigation offers the overview page (the report catalogue decides)."""
        return overview_for(self.user) is not None

    @property
    def csrf(self) -> str | None:
        """The form token of this session."""
        return self.session.csrf if self.session is not None else None

    def kept(self) -> dict[str, object]:
        """What this browser's pages keep between requests (nothing lasts without a session)."""
        return self.session.kept if self.session is not None else {}


VISITOR_KEY = web.RequestKey("visitor", Visitor)
# Pages that need no signed-in user: the Mini App's start page, the exchange of initData for a
# session, the sign-in link's confirmation, and the static files.
_OPEN = ("/start", "/auth/tma", "/signin", "/static/")


def services_of(request: web.Request) -> Services:
    """The bot's services."""
    return request.config_dict[SERVICES_KEY]


def visitor_of(request: web.Request) -> Visitor:
    """The signed-in user of this request (set by the authentication middleware)."""
    return request[VISITOR_KEY]


def request_translator(request: web.Request) -> Translator:
    """The visitor's language, or the browser's before sign-in."""
    visitor = request.get(VISITOR_KEY)
    if isinstance(visitor, Visitor):
        return visitor.tr
    wanted = request.headers.get("Accept-Language", "")[:2]
    return translator(locale_from_language_code(wanted or None))


def form_text(form: Mapping[str, object], name: str, limit: int = 200) -> str:
    """A posted field as text, cut at `limit` ("" when absent or a file)."""
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


# The largest id a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def path_number(request: web.Request, name: str) -> int:
    """A number in the page's address (the routes only match digits); one larger than any id
    is not found, like any other unknown id."""
    number = int(request.match_info[name])
    if number > MAX_ID:
        raise web.HTTPNotFound
    return number


def render(
    request: web.Request, template: str, *, status: int = 200, **values: Any
) -> web.Response:
    """A page from its template, in the visitor's language."""
    tr = request_translator(request)
    visitor = request.get(VISITOR_KEY)
    page = request.config_dict[TEMPLATES_KEY].get_template(template)
    body = page.render(
        _=tr.gettext,
        ngettext=tr.ngettext,
        tr=tr,
        lang=tr.locale,
        prefix=PREFIX,
        visitor=visitor,
        csrf=visitor.csrf if isinstance(visitor, Visitor) else None,
        Role=Role,
        number=lambda value: format_decimal(value, format="#,##0.#", locale=tr.locale),
        hours_text=lambda value: hours_text(value, tr),
        **values,
    )
    return web.Response(text=body, status=status, content_type="text/html")


def refusal(request: web.Request, status: int, message: str) -> web.Response:
    """A plain page that says why not (404 for unknown and not allowed alike)."""
    return render(request, "message.html", status=status, message=message)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer — a page, a redirect after a form, an error, a failure — carries the
    security headers; a body that cannot be read is a bad request, never a 500."""
    try:
        if request.method == "POST" and request.content_type in _FORMS:
            await _readable_form(request)
        response = await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            _secured(error.headers)
            raise
        response = _error_page(request, error.status)
    except Exception:
        logger.exception("web: a request failed")
        response = _error_page(request, 500)
    _secured(response.headers)
    return response


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
# A form (an upload of at most 10 MB included) that takes longer than this to arrive is dropped:
# a connection that sends slowly must not hold the server.
FORM_SECONDS = 60


async def _readable_form(request: web.Request) -> None:
    """Read a posted form once (aiohttp keeps it for the handler); a broken one, or a file name
    its parser cannot read, is a bad request; one that does not arrive in time, a timeout."""
    try:
        async with asyncio.timeout(FORM_SECONDS):
            await request.post()
    except TimeoutError:
        logger.info("web: a form that did not arrive in time dropped")
        raise web.HTTPRequestTimeout from None
    except ValueError:
        logger.info("web: an unreadable form refused")
        raise web.HTTPBadRequest from None


def _secured(headers: MutableMapping[str, str]) -> None:
    headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {FRAME_ANCESTORS}"
    )
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cache-Control"] = "no-store"


def _error_page(request: web.Request, status: int) -> web.Response:
    _ = request_translator(request).gettext
    messages = {
        401: _(
            "Please sign in: send /web to the bot for a sign-in link, or open the pages "
            "from a button in the chat."
        ),
        403: _("This form has expired. Go back, reload the page and try again."),
        404: _("This page does not exist, or it is not available to you."),
        405: _("This page does not exist, or it is not available to you."),
        409: _("This form was sent already, or it has expired. Nothing more was saved."),
        413: _("That is too large."),
        429: _("Too many requests in a short time. Wait a minute and try again."),
        408: _("The form did not arrive in time. Go back and try again."),
        400: _(
            "This form could not be read (a file name with a ; or a quote in it?). Rename "
            "the file, go back and try again."
        ),
    }
    return refusal(request, status, messages.get(status, _("Something went wrong.")))


def client_address(request: web.Request) -> str:
    """Who is asking: the peer, or — behind the TLS proxy (`WEB_PROXIES`) — the address the
    proxy says it forwards for (the last one: what the proxy itself saw)."""
    return forwarded_client(
        request.remote or "",
        request.headers.get("X-Forwarded-For", ""),
        services_of(request).settings.proxy_networks(),
    )


def forwarded_client(
    peer: str, forwarded: str, proxies: tuple[IPv4Network | IPv6Network, ...]
) -> str:
    """The client of a request from `peer` with `X-Forwarded-For: forwarded`: the header's last
    address when the peer is one of `proxies` (earlier ones the client could have written
    itself), else the peer."""
    try:
        address = ip_address(peer)
    except ValueError:
        return peer
    if forwarded.strip() and any(address in network for network in proxies):
        return forwarded.rsplit(",", 1)[-1].strip()
    return peer


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    services = services_of(request)
    path = request.path.removeprefix(PREFIX)
    if path.startswith(_OPEN):
        return await handler(request)
    header = request.headers.get("Authorization", "")
    user: User | None = None
    session: WebSession | None = None
    if header.startswith("tma "):
        user = await asyncio.to_thread(mini_app_caller, services, header[4:])
    else:
        session, user = await asyncio.to_thread(
            _session_user, services, request.cookies.get(COOKIE, "")
        )
    if user is None:
        raise web.HTTPUnauthorized
    if not within_rate(services, user.telegram_id, Channel.WEB):
        logger.info("web: user %s over the rate limit", user.id)
        raise web.HTTPTooManyRequests
    request[VISITOR_KEY] = Visitor(user, translator(user.language), session)
    if request.method == "POST" and session is not None:
        await _check_form_token(request, session)
    channel = audit.CHANNEL.set(AuditChannel.WEB)
    try:
        return await handler(request)
    finally:
        audit.CHANNEL.reset(channel)
        if session is not None:
            # What the page kept (a form waiting for Save, the list's filter) outlives a
            # restart: stored before the answer leaves.
            await asyncio.to_thread(services.web_sessions.remember, session)


def _session_user(services: Services, session_id: str) -> tuple[WebSession | None, User | None]:
    """The session a cookie names and its user, if they still have the access it was opened
    under: access is checked again at every request, and revoked, or granted anew since the
    session opened, ends it."""
    session = services.web_sessions.get(session_id, now=services.clock.now())
    if session is None:
        return None, None
    user = active_caller(services, user_id=session.user_id)
    if user is None or user.access_generation != session.generation:
        services.web_sessions.close(session_id)
        record_way_in(
            services,
            AuditAction.SESSION_ENDED,
            user_id=session.user_id,
            detail="access changed",
        )
        return None, None
    services.web_sessions.keep(session, now=services.clock.now())
    return session, user


def from_this_site(request: web.Request) -> bool:
    """Whether a browser sent this request from one of our own pages (or the user typed it):
    what a page of another site makes it send says so in `Origin` or `Sec-Fetch-Site`."""
    # With no-referrer, Chromium sends "Origin: null" for a form: Sec-Fetch-Site still tells.
    origin = request.headers.get("Origin", "null")
    site = request.headers.get("Sec-Fetch-Site", "same-origin")
    if origin != "null" and origin.split("://", 1)[-1] != request.host:
        return False
    return site in ("same-origin", "none")


async def _check_form_token(request: web.Request, session: WebSession) -> None:
    """A form must carry this session's token and come from this site (CSRF)."""
    if not from_this_site(request):
        raise web.HTTPForbidden
    form = await request.post()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        logger.info("web: form without a valid token refused")
        raise web.HTTPForbidden


def set_session_cookie(
    response: web.StreamResponse, session_id: str, *, framed: bool = False
) -> None:
    """The session cookie: never readable by scripts, sent only to this site over https.

    In a frame on Telegram's web client the pages are a third party, and a SameSite=Strict
    cookie is never sent there: the cookie is then partitioned (CHIPS) instead — kept for this
    site *under telegram.org* only, so no other site's page can send it either. The form token
    and the Origin check guard the forms as before."""
    if framed:
        # Written out: Python before 3.14 has no "Partitioned" cookie attribute to set.
        response.headers.add(
            "Set-Cookie",
            f"{COOKIE}={session_id}; Path={PREFIX}; HttpOnly; Secure; SameSite=None; Partitioned",
        )
    else:
        response.set_cookie(
            COOKIE, session_id, path=PREFIX, httponly=True, secure=True, samesite="Strict"
        )


_STATIC = {"web.css": "text/css", "start.js": "application/javascript"}


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in _STATIC:
        raise web.HTTPNotFound
    text = resources.files("bot.web").joinpath("static", name).read_text(encoding="utf-8")
    return web.Response(
        text=text, content_type=_STATIC[name], headers={"Cache-Control": "no-store"}
    )
