"""Sending the nudges that are due: claim, send, record — so that a crash loses nothing.

Three parts: `queue` claims and settles (SQL only), `messages` turns the claimed nudges into
texts and buttons (pure), and this module sends them, chat by chat, within Telegram's limits.

A nudge is first marked `sending` (committed), then sent, then marked `sent` with its message
id (committed). A crash before the send leaves it `sending` and it goes out on the next run; a
crash between the send and its record sends that one message twice — never more. A nudge that
should have gone out while the bot was down is sent once, marked late; older missed ones for
the same deadline and person are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from telegram import Bot
from telegram import Message as TgMessage
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.i18n import Translator, translator
from bot.reminders.limits import retry_seconds
from bot.reminders.messages import DraftKey, Outgoing, messages_for
from bot.reminders.queue import attempts_of, claim_due, plan_unsent_again, record_step
from bot.reports.catalogue import ReportKind, file_stem, make_report, report_files
from bot.services import audit
from bot.services import nudge_lifecycle as lifecycle
from bot.services.container import Services
from bot.services.users import active_admins
from bot.storage.models import AuditAction, AuditChannel, Role, User
from bot.texts import ROLE_NAMES, aside

logger = logging.getLogger(__name__)


MAX_ATTEMPTS = 6


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    late: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    blocked: list[int] = field(default_factory=list)
    # Users whose nudges Telegram refused for good, with those nudges.
    refused: dict[int, list[int]] = field(default_factory=dict)


class _Drafts:
    """The draft workbooks of one run: each built once (off the event loop), uploaded once, and
    sent to the other recipients by Telegram's file id."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._books: dict[DraftKey, bytes | str | None] = {}
        self._building: dict[DraftKey, asyncio.Lock] = defaultdict(asyncio.Lock)

    @contextlib.asynccontextmanager
    async def document(self, key: DraftKey) -> AsyncIterator[bytes | str | None]:
        """The workbook, or its file id once uploaded; None when the organisation is gone.

        Until one upload succeeded, one sender at a time gets the workbook itself (the others
        wait for its file id), so that it is uploaded once, not once per chat served at once.
        """
        async with self._building[key]:
            if key not in self._books:
                self._books[key] = await asyncio.to_thread(self._build, key)
            book = self._books[key]
            if not isinstance(book, str):
                yield book
                return
        yield book

    def uploaded(self, key: DraftKey, file_id: str) -> None:
        self._books[key] = file_id

    def _build(self, key: DraftKey) -> bytes | None:
        kind, org_id, due = key
        # Recorded in the audit trail for each recipient, as it is sent.
        made = make_report(
            self._services,
            kind=ReportKind.DRAFT,
            user=None,
            scope=(kind, org_id),
            day=due,
            audit_it=False,
        )
        return report_files(made, "Thuiszitbot").main.content if made is not None else None


class Sent(Enum):
    """What became of one message, for the chat's queue."""

    DONE = "done"  # sent, or settled for this run (failed for good, planned again)
    AGAIN = "again"  # Telegram asked to wait a moment: send it again after the wait
    BLOCKED = "blocked"  # the user blocked the bot: nothing more for them


async def _send_one(
    services: Services,
    bot: Bot,
    user: User,
    out: Outgoing,
    drafts: _Drafts,
    now: datetime,
    report: DeliveryReport,
) -> Sent:
    """Send one message and record what became of it."""
    ids = [item.nudge_id for item in out.items]
    try:
        if out.draft is None:
            message = await bot.send_message(user.telegram_id, out.text, reply_markup=out.markup)
        else:
            message = await _send_draft(bot, user, out, out.draft, drafts)
    except Forbidden:
        await _blocked(services, bot, user, ids, report)
        return Sent.BLOCKED
    except RetryAfter as error:
        # The limiter now holds back this chat (or, if Telegram is refusing many chats, all).
        seconds = retry_seconds(error)
        if seconds <= WAIT_IN_RUN:
            return Sent.AGAIN
        record_step(services, lifecycle.plan_again, ids, at=now + timedelta(seconds=seconds + 1))
        report.retried += len(ids)
        return Sent.DONE
    except BadRequest:
        # The request itself is wrong (chat gone, text refused): retrying will not help. The
        # deadlines stay open (and in /agenda); the operator and the administrators are told.
        record_step(services, lifecycle.fail, ids)
        report.failed += len(ids)
        report.refused.setdefault(user.id or 0, []).extend(ids)
        logger.error("nudges %s refused by Telegram for good", ids)
        return Sent.DONE
    except (TimedOut, NetworkError) as error:
        attempts = max(1, attempts_of(services, ids))
        if attempts >= MAX_ATTEMPTS:
            record_step(services, lifecycle.fail, ids)
            report.failed += len(ids)
        else:
            backoff = timedelta(minutes=min(60, 2 ** (attempts - 1)))
            record_step(services, lifecycle.plan_again, ids, at=now + backoff)
            report.retried += len(ids)
        logger.warning("nudges %s not delivered (%s); retrying later", ids, type(error).__name__)
        return Sent.DONE
    # Off the event loop: a commit waits on the disk, and the other chats' turns would wait too.
    await asyncio.to_thread(_record_sent, services, user, out, message, now)
    report.sent += len(ids)
    report.late += sum(1 for item in out.items if item.late)
    return Sent.DONE


def _record_sent(
    services: Services, user: User, out: Outgoing, message: TgMessage, now: datetime
) -> None:
    with services.session() as session:
        lifecycle.sent(
            session,
            [item.nudge_id for item in out.items],
            at=now,
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
        if out.draft is not None:
            audit.record(
                session,
                action=AuditAction.EXPORT,
                at=services.clock.now(),
                actor=user,
                channel=AuditChannel.JOB,
                detail=f"draft {out.draft[0]}",
            )


async def _send_draft(
    bot: Bot, user: User, out: Outgoing, key: DraftKey, drafts: _Drafts
) -> TgMessage:
    async with drafts.document(key) as document:
        if document is None:  # the organisation is gone: the nudge without its report
            return await bot.send_message(user.telegram_id, out.text, reply_markup=out.markup)
        message = await bot.send_document(
            user.telegram_id,
            document=document,
            filename=f"{file_stem(ReportKind.DRAFT, key[0], key[2])}.xlsx",
            caption=out.text,
            reply_markup=out.markup,
        )
        if message.document is not None:
            drafts.uploaded(key, message.document.file_id)
        return message


# A 429 asking for at most this many seconds is waited out in the run (for that chat only);
# a longer one plans the message again, so that a stopping process never waits long.
WAIT_IN_RUN = 5.0


# Chats served at once: one message in flight per chat, enough chats to keep Telegram's 30/s.
CHATS_AT_ONCE = 32


async def _blocked(
    services: Services, bot: Bot, user: User, nudge_ids: list[int], report: DeliveryReport
) -> None:
    """The user blocked the bot: no retries; mark them inactive and tell their SWV's admins."""
    with services.session() as session:
        lifecycle.fail(session, nudge_ids)
        lifecycle.cancel_for_user(session, user.id)  # type: ignore[arg-type]
        stored = session.get(User, user.id)
        assert stored is not None
        stored.active = False
        session.add(stored)
    report.failed += len(nudge_ids)
    report.blocked.append(user.id)  # type: ignore[arg-type]
    logger.info("user %s blocked the bot; marked inactive", user.id)
    await _tell_admins(
        services,
        bot,
        user,
        lambda tr: tr.gettext(
            "{name} {role} has blocked the bot and no longer receives nudges. Their deadlines "
            "still need someone: invite a colleague with /uitnodigen."
        ).format(
            name=user.display_name or f"#{user.id}", role=aside(tr.gettext(_role_name(user.role)))
        ),
    )


async def _tell_admins_refused(services: Services, bot: Bot, user: User, count: int) -> None:
    """Once a run: the administrators of the user's SWV learn that reminders did not arrive."""
    await _tell_admins(
        services,
        bot,
        user,
        lambda tr: tr.ngettext(
            "Telegram refused {count} reminder for {name} {role}. The deadline stays open: "
            "/agenda shows it.",
            "Telegram refused {count} reminders for {name} {role}. The deadlines stay open: "
            "/agenda shows them.",
            count,
        ).format(
            count=count,
            name=user.display_name or f"#{user.id}",
            role=aside(tr.gettext(_role_name(user.role))),
        ),
    )


async def _tell_admins(
    services: Services, bot: Bot, user: User, text: Callable[[Translator], str]
) -> None:
    """One message to each reachable administrator of the user's SWV, in their language."""
    with services.session() as session:
        admins = active_admins(session, swv_id=user.swv_id)
    for admin in admins:
        try:
            await bot.send_message(admin.telegram_id, text(translator(admin.language)))
        except (Forbidden, BadRequest, NetworkError):
            logger.error("could not tell admin %s about user %s", admin.id, user.id)


def _role_name(role: str) -> str:
    return ROLE_NAMES[Role(role)]


async def deliver_due(
    *,
    services: Services,
    bot: Bot,
    now: datetime | None = None,
    limit: int = 2000,
    stop: asyncio.Event | None = None,
) -> DeliveryReport:
    """Send every nudge that is due (at most `limit` per run), within Telegram's limits.

    Many chats are served at once, each with at most one message in flight: a crash repeats at
    most one message per chat. When `stop` is set, the messages in flight are finished and the
    rest is planned again, so that a stopping process exits at once and loses nothing.
    """
    now = now or services.clock.now()
    per_user, users, dropped = await asyncio.to_thread(claim_due, services, now, limit)
    report = DeliveryReport(dropped=dropped)
    queues = {
        uid: deque(messages_for(users[uid], items, services.settings))
        for uid, items in per_user.items()
    }
    # Chats take turns: a chat goes to the back of the line after each message, so one person's
    # many nudges never wait on the per-chat limit while others could go.
    turns = deque(queues)
    drafts = _Drafts(services)

    async def serve() -> None:
        while turns and not (stop is not None and stop.is_set()):
            uid = turns.popleft()
            pending = queues[uid]
            outcome = await _send_one(services, bot, users[uid], pending[0], drafts, now, report)
            if outcome is Sent.BLOCKED:
                pending.clear()
            elif outcome is Sent.DONE:
                pending.popleft()
            if pending:
                turns.append(uid)

    await asyncio.gather(*(serve() for _ in range(min(CHATS_AT_ONCE, len(turns)))))
    plan_unsent_again(services, queues)
    for user_id, nudge_ids in report.refused.items():
        await _tell_admins_refused(services, bot, users[user_id], len(nudge_ids))
    services.metrics.delivered(
        sent=report.sent, late=report.late, retried=report.retried, failed=report.failed,
        dropped=report.dropped,
    )  # fmt: skip
    if report.sent or report.failed or report.retried:
        logger.info(
            "nudges: %s sent (%s late), %s retried, %s failed, %s dropped",
            report.sent,
            report.late,
            report.retried,
            report.failed,
            report.dropped,
        )
    return report
