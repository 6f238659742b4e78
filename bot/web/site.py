"""The web server: the pages mounted at /app with their middlewares, /healthz, and serving them
on the bot's own event loop."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Bot, Update
from telegram.ext import Application, ExtBot

from bot.config import ConfigError
from bot.reminders.runtime import reminders_of
from bot.services.calendar_feed import FEED_PATH
from bot.services.container import Services
from bot.services.health import due_nudges, problems
from bot.web import forms, pages
from bot.web.feeds import feed_handler
from bot.web.server import (
    BOT_KEY,
    MAX_REQUEST,
    PREFIX,
    SERVICES_KEY,
    TEMPLATES_KEY,
    Handler,
    authenticate,
    security_headers,
    static,
)

logger = logging.getLogger(__name__)


def _health(
    services: Services, application: Application[Any, Any, Any, Any, Any, Any] | None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """`/healthz`: 200 `ok`, or 503 with what is wrong, a line each (`services.health`)."""

    async def health(_request: web.Request) -> web.Response:
        reminders = reminders_of(application) if application is not None else None
        found = await problems(
            services,
            now=services.clock.now(),
            beat=reminders.beat() if reminders is not None else None,
        )
        if found:
            return web.Response(status=503, text="\n".join(found) + "\n")
        return web.Response(text="ok")

    return health


async def _home(_request: web.Request) -> web.Response:
    raise web.HTTPFound(f"{PREFIX}/pupils")


def templates(*packages: str) -> Environment:
    """The one Jinja2 environment of the bot's pages: the templates of `bot.web` (and of
    `packages`, looked in first), escaped, with the pages' whitespace rules."""
    loaders = [PackageLoader(package, "templates") for package in (*packages, "bot.web")]
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def pages_app(services: Services, bot: Bot | None) -> web.Application:
    """The pages under /app, with their authentication and headers."""
    app = web.Application(middlewares=[security_headers, authenticate])
    app[SERVICES_KEY] = services
    app[BOT_KEY] = bot
    app[TEMPLATES_KEY] = templates()
    app.router.add_get("/static/{name}", static)
    forms.add_routes(app)
    pages.add_routes(app)
    return app


def add_web(
    app: web.Application,
    services: Services,
    bot: Bot | None,
    *,
    health: bool = True,
    application: Application[Any, Any, Any, Any, Any, Any] | None = None,
) -> None:
    """Mount the pages on `app` (at /app), with / leading to them and, unless `app` has its own,
    /healthz (which checks the scheduler and delivery of `application` once they run)."""
    app.add_subapp(PREFIX, pages_app(services, bot))
    app.router.add_get("/", _home)
    app.router.add_get(FEED_PATH + "{secret}", feed_handler(services))
    if health:
        app.router.add_get("/healthz", _health(services, application))


def _counted(services: Services) -> Any:
    """A middleware that counts every answer of the web server by its status (the metrics)."""

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            services.metrics.web_requests.labels(str(error.status)).inc()
            raise
        except Exception:
            services.metrics.web_requests.labels("500").inc()
            raise
        services.metrics.web_requests.labels(str(response.status)).inc()
        return response

    return count


def _metrics(
    services: Services, application: Application[Any, Any, Any, Any, Any, Any] | None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """`/metrics`, only to a scraper on this machine (or one of `METRICS_HOSTS`): the Host must
    be one of those names and the request must not have come through a proxy — so neither the
    public site behind the proxy nor another website (DNS rebinding) can read it."""
    allowed = services.settings.metrics_host_names()

    async def metrics(request: web.Request) -> web.Response:
        host = urlsplit(f"//{request.host}").hostname or ""
        if host not in allowed or "X-Forwarded-For" in request.headers:
            raise web.HTTPNotFound
        now = services.clock.now()
        waiting = await services.read(due_nudges, now=now)
        figures = services.metrics
        figures.nudges_due.set(waiting.count)
        figures.oldest_due.set((now - waiting.oldest).total_seconds() if waiting.oldest else 0)
        reminders = reminders_of(application) if application is not None else None
        figures.sender.set(1 if reminders is not None and reminders.lock.held else 0)
        return web.Response(body=figures.text(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    return metrics


def root_app(
    services: Services,
    bot: Bot | None,
    *,
    updates: Webhook | None = None,
    application: Application[Any, Any, Any, Any, Any, Any] | None = None,
) -> web.Application:
    """The web server of a running bot: the pages, /healthz, /metrics and, with a webhook, the
    address Telegram posts updates to."""
    app = web.Application(client_max_size=MAX_REQUEST, middlewares=[_counted(services)])
    add_web(app, services, bot, application=application)
    app.router.add_get("/metrics", _metrics(services, application))
    if updates is not None:
        app.router.add_post(updates.path, updates.receive)
    return app


@dataclass(frozen=True)
class Webhook:
    """Telegram's updates, received on the pages' server (python-telegram-bot's custom-webhook
    pattern): each one checked for the secret set with the webhook, then queued for the bot."""

    path: str
    secret: str
    application: Application[Any, Any, Any, Any, Any, Any]

    async def receive(self, request: web.Request) -> web.Response:
        sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(sent.encode(), self.secret.encode()):
            logger.info("webhook: a request without the secret was refused")
            raise web.HTTPForbidden
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except (ValueError, TypeError, KeyError):
            raise web.HTTPBadRequest from None
        # A button's data is a key into the bot's cache of callback data: polling resolves it
        # as it fetches, a custom webhook must ask (an unknown key becomes InvalidCallbackData).
        if isinstance(self.application.bot, ExtBot):
            self.application.bot.insert_callback_data(update)
        await self.application.update_queue.put(update)
        return web.Response()


def serve(
    loop: asyncio.AbstractEventLoop, app: web.Application, *, host: str, port: int
) -> Callable[[], Awaitable[None]]:
    """Start serving `app` on the loop the bot will run on; returns what stops it again."""
    runner = web.AppRunner(app, access_log=None)  # an access log would carry pupils' ids
    loop.run_until_complete(runner.setup())
    try:
        loop.run_until_complete(web.TCPSite(runner, host, port).start())
    except OSError:
        loop.run_until_complete(runner.cleanup())
        raise ConfigError(
            f"port {port} on {host} is in use: stop what uses it, or set WEB_PORT"
        ) from None
    return runner.cleanup
