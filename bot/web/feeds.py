"""The calendar feed's address on the pages' server: `GET /ics/<secret>`, no session (a calendar
has none), the secret in the address standing for the user. Rate-limited, audited when its
content is handed out, and cheap to poll: an unchanged agenda is a 304 (`If-None-Match`)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC

from aiohttp import web

from bot.i18n import translator
from bot.reminders.actions import agenda
from bot.services.calendar_feed import FEED_DAYS, reader, record_read
from bot.services.container import Services
from bot.services.ratelimit import MovingMinute
from bot.views.calendar import agenda_calendar
from bot.web.server import forwarded_client

logger = logging.getLogger(__name__)

# Calendars poll every 15 minutes to a few hours; more than this from one feed is no calendar.
READS_PER_MINUTE = 12


def feed_handler(services: Services) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler of `/ics/{secret}`."""
    reads = MovingMinute(READS_PER_MINUTE)

    async def feed(request: web.Request) -> web.Response:
        # An unknown address counts as a failed sign-in of its sender: guessing is throttled.
        secret = request.match_info["secret"]
        user = await asyncio.to_thread(reader, services, secret)
        if user is None or user.id is None:
            sender = forwarded_client(
                request.remote or "",
                request.headers.get("X-Forwarded-For", ""),
                services.settings.proxy_networks(),
            )
            if not services.sign_in_limiter.allow_address(sender):
                raise web.HTTPTooManyRequests
            raise web.HTTPNotFound
        if not reads.hit(str(user.id)):
            raise web.HTTPTooManyRequests
        lines = await asyncio.to_thread(agenda, services, user=user, days=FEED_DAYS)
        today = services.clock.now().astimezone(services.settings.tz).date()
        body = agenda_calendar(
            lines,
            tr=translator(user.language),
            today=today,
            web_root=services.settings.web_root(),
        )
        tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = {
            "ETag": tag,
            "Cache-Control": "private, no-cache",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        }
        changed = [line.changed for line in lines if line.changed is not None]
        if changed:
            headers["Last-Modified"] = (
                max(changed).astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
            )
        if tag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        await asyncio.to_thread(record_read, services, user=user)
        logger.info("calendar feed of user %s read (%d events)", user.id, len(lines))
        return web.Response(
            body=body, headers=headers, content_type="text/calendar", charset="utf-8"
        )

    return feed
