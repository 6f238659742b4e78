"""The chat page of the local trial: talk to the bot as any of the trial's people, in a browser.

The page speaks to the local Bot API the way a Telegram client speaks to Telegram: what is typed
becomes an update from that person, a pressed button a callback query, a chosen file a document.
It is served on 127.0.0.1 only. Every request to the trial (this page, its Bot API, the pages
under /app) must name this machine in its Host header, so that a page elsewhere cannot read it
through DNS rebinding; requests here that change something must carry a header that no other
website can make a browser send (no CORS); the Bot API refuses what a browser sends on behalf of
another site, and its token is a secret made at every start.
"""

from __future__ import annotations

import asyncio
from importlib import resources
from typing import Any

from aiohttp import web

from bot.i18n import Translator, locale_from_language_code, translator
from bot.local.botapi import LocalBotApi, TgUser
from bot.services.container import Services
from bot.services.demo import NEWCOMER, TrialPerson, trial_people
from bot.texts import role_at
from bot.web.site import templates

HEADER = "X-Local-Trial"
MAX_TEXT = 10_000  # longer than Telegram allows (4096): the bot's own refusal is part of the trial
MAX_UPLOAD = 25 * 1024 * 1024
SHOWN = 200  # messages per chat sent to the page; older ones stay in the local API

PEOPLE_KEY = web.AppKey("people", dict)
API_KEY = web.AppKey("api", LocalBotApi)
SERVICES_KEY = web.AppKey("services", Services)


def add_routes(app: web.Application, *, api: LocalBotApi, services: Services) -> None:
    """Serve the chat page and its small JSON API from `app`."""
    app[API_KEY] = api
    app[SERVICES_KEY] = services
    app[PEOPLE_KEY] = {}
    app.middlewares.append(_same_machine)
    app.router.add_get("/chat", _page)
    app.router.add_get("/chat/static/{name}", _static)
    app.router.add_get("/chat/api/people", _people)
    app.router.add_get("/chat/api/chat/{person}", _chat)
    app.router.add_post("/chat/api/send/{person}", _send)
    app.router.add_post("/chat/api/press/{person}", _press)
    app.router.add_post("/chat/api/file/{person}", _upload)
    app.router.add_get("/chat/file/{person}/{file_id}", _download)
    app.router.add_get("/healthz", _health)


LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


@web.middleware
async def _same_machine(request: web.Request, handler: Any) -> web.StreamResponse:
    """Everything the trial serves (the chat page, its Bot API, the pages under /app) answers
    only requests addressed to this machine: a page elsewhere whose name resolves here (DNS
    rebinding) sends its own Host, and is refused."""
    host = (request.host or "").rsplit(":", 1)[0]
    if host not in LOOPBACK:
        return web.Response(status=403, text="forbidden")
    if request.path.startswith(("/bot", "/file/bot")):
        if _from_another_site(request):
            return web.Response(status=403, text="forbidden")
        return await handler(request)
    if not request.path.startswith(("/chat", "/healthz")):
        return await handler(request)  # the pages under /app check their forms themselves
    if request.method != "GET" and request.headers.get(HEADER) != "1":
        return web.Response(status=403, text="forbidden")
    response: web.StreamResponse = await handler(request)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _from_another_site(request: web.Request) -> bool:
    """A browser's request on behalf of another site (a form posted there, a script's fetch):
    the bot's own HTTP client sends neither `Origin` nor `Sec-Fetch-Site`, a browser always
    does for these."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        return True
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")


def _tr(request: web.Request) -> Translator:
    wanted = request.query.get("lang") or request.headers.get("Accept-Language") or ""
    return translator(locale_from_language_code(wanted[:2] or None))


async def _health(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def _page(request: web.Request) -> web.Response:
    tr = _tr(request)
    _ = tr.gettext
    labels = {
        "who": _("Talk as"),
        "send": _("Send"),
        "file": _("File"),
        "placeholder": _("Message, e.g. “Sanne 2 uur ongeoorloofd vandaag”"),
        "empty": _("No messages yet. Start with /start or /help."),
        "failed": _("The bot could not be reached. Is it still running?"),
    }
    notice = _(
        "Local trial: you talk to the bot on this computer, without Telegram. Every name in the "
        "sample region is made up, and what you enter stays in the local database."
    )
    body = _TEMPLATES.get_template("trial_chat.html").render(
        lang=tr.locale, title=_("Thuiszitbot — local trial"), labels=labels, notice=notice
    )
    return web.Response(text=body, content_type="text/html")


# The chat page comes from the same Jinja2 environment as the bot's own pages.
_TEMPLATES = templates("bot.local")
_STATIC = {"chat.js": "application/javascript", "chat.css": "text/css"}


async def _static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in _STATIC:
        raise web.HTTPNotFound
    text = resources.files("bot.local").joinpath(name).read_text(encoding="utf-8")
    return web.Response(text=text, content_type=_STATIC[name])


async def _load_people(request: web.Request, *, fresh: bool = False) -> dict[int, TrialPerson]:
    people: dict[int, TrialPerson] = request.app[PEOPLE_KEY]
    if fresh or not people:
        found = await asyncio.to_thread(trial_people, request.app[SERVICES_KEY])
        people.clear()
        people.update({p.telegram_id: p for p in found})
    return people


async def _person(request: web.Request) -> TgUser:
    """The person named in the URL; only the trial's own people (and the newcomer) can be
    played."""
    try:
        telegram_id = int(request.match_info["person"])
    except ValueError:
        raise web.HTTPNotFound from None
    if telegram_id == NEWCOMER:
        return TgUser(NEWCOMER, _tr(request).gettext("New colleague"), "nl")
    person = (await _load_people(request)).get(telegram_id)
    if person is None:
        raise web.HTTPNotFound
    return TgUser(person.telegram_id, person.name, "nl")


async def _people(request: web.Request) -> web.Response:
    tr = _tr(request)
    people = await _load_people(request, fresh=True)
    listed = [
        {"id": p.telegram_id, "name": p.name, "role": role_at(p.role, p.organisation, tr)}
        for p in people.values()
    ]
    if NEWCOMER not in people:
        newcomer = tr.gettext("not signed in yet: send an invitation code with /start CODE")
        listed.append({"id": NEWCOMER, "name": tr.gettext("New colleague"), "role": newcomer})
    return web.json_response(listed)


async def _chat(request: web.Request) -> web.Response:
    user = await _person(request)
    api = request.app[API_KEY]
    own = sorted(
        (message for (chat, _), message in api.messages.items() if chat == user.id),
        key=lambda message: message["message_id"],
    )[-SHOWN:]
    alerts = [text for chat, text in api.alerts if chat == user.id]
    return web.json_response({"messages": [_shown(m, user) for m in own], "alerts": alerts})


def _shown(message: dict[str, Any], user: TgUser) -> dict[str, Any]:
    """A message as the page draws it."""
    files = f"/chat/file/{user.id}"
    document = message.get("document")
    photo = message.get("photo")
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {
        "id": message["message_id"],
        "mine": message.get("from", {}).get("id") == user.id,
        "text": message.get("text") or message.get("caption") or "",
        "document": {"url": f"{files}/{document['file_id']}", "name": document.get("file_name")}
        if document
        else None,
        "photo": f"{files}/{photo[-1]['file_id']}" if photo else None,
        "buttons": [
            [{"text": b.get("text", ""), "data": b.get("callback_data")} for b in row]
            for row in keyboard
        ],
    }


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="not an object")
    return body


async def _send(request: web.Request) -> web.Response:
    user = await _person(request)
    text = str((await _json(request)).get("text", ""))[:MAX_TEXT]
    if not text.strip():
        raise web.HTTPBadRequest(text="empty")
    api = request.app[API_KEY]
    api.push_message(user, text, reply_to=api.awaiting_reply(user.id))
    return web.json_response({"ok": True})


async def _press(request: web.Request) -> web.Response:
    user = await _person(request)
    body = await _json(request)
    api = request.app[API_KEY]
    try:
        message = api.messages[(user.id, int(body.get("message", 0)))]
    except (KeyError, TypeError, ValueError):
        raise web.HTTPNotFound from None
    api.push_callback(user, message, str(body.get("data", "")))
    return web.json_response({"ok": True})


async def _upload(request: web.Request) -> web.Response:
    user = await _person(request)
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise web.HTTPBadRequest(text="no file")
    content = upload.file.read(MAX_UPLOAD + 1)
    caption = str(form.get("caption", ""))[:MAX_TEXT]
    api = request.app[API_KEY]
    mime = upload.content_type or "application/octet-stream"
    if mime.startswith("image/") and mime in ("image/jpeg", "image/png"):
        api.push_photo(user, content=content, caption=caption)
    else:
        api.push_document(
            user,
            file_name=upload.filename or "file",
            mime_type=mime,
            content=content,
            caption=caption,
        )
    return web.json_response({"ok": True})


async def _download(request: web.Request) -> web.Response:
    user = await _person(request)
    api = request.app[API_KEY]
    file_id = request.match_info["file_id"]
    # Only files of this person's own chat, as in Telegram.
    mine = any(
        _file_ids(message) & {file_id}
        for (chat, _), message in api.messages.items()
        if chat == user.id
    )
    if not mine or file_id not in api.files:
        raise web.HTTPNotFound
    name = api.file_names.get(file_id, "file")
    inline = name == "file" or name.lower().endswith(".png")
    disposition = "inline" if inline else f'attachment; filename="{name}"'
    return web.Response(
        body=api.files[file_id],
        content_type="image/png" if inline else "application/octet-stream",
        headers={"Content-Disposition": disposition},
    )


def _file_ids(message: dict[str, Any]) -> set[str]:
    ids = {size["file_id"] for size in message.get("photo") or []}
    if message.get("document"):
        ids.add(message["document"]["file_id"])
    return ids
