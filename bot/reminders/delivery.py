"""Sending the nudges that are due: claim, send, record — so that a crash loses nothing.

A nudge is first marked `sending` (committed), then sent, then marked `sent` with its message
id (committed). A crash before the send leaves it `sending` and it goes out on the next run; a
crash between the send and its record sends that one message twice — never more. A nudge that
should have gone out while the bot was down is sent once, marked late; older missed ones for
the same deadline and person are dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.handlers.texts import ROLE_NAMES
from bot.i18n import N_, Translator, translator
from bot.reports.data import scope_of, scoped_records
from bot.reports.exports import overview_xlsx
from bot.reports.overview import overview
from bot.rule_texts import RULE_ACTIONS
from bot.services import audit
from bot.services.cases import label
from bot.services.container import Services
from bot.storage.models import (
    AuditAction,
    AuditChannel,
    Bestuur,
    DeadlineRow,
    Gemeente,
    Nudge,
    NudgeStatus,
    Pupil,
    Role,
    Swv,
    User,
)

logger = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=15)
DIGEST_FROM = 6  # more than 5 nudges on one day become one message, unless the user chose
MAX_ATTEMPTS = 6
BUTTON_PREFIX = "n:"

KIND_LINES = {
    "before_14": N_("In two weeks:"),
    "before_3": N_("In three working days:"),
    "due": N_("Today:"),
    "weekly": N_("Still open:"),
    "event": N_("To do now:"),
    "snoozed": N_("Reminder:"),
    "unassigned": N_("Nobody receives this deadline (no colleague with that role is registered):"),
}


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


@dataclass(frozen=True)
class _Item:
    nudge_id: int
    deadline_id: int
    kind: str
    late: bool
    text_parts: tuple[str, str, str]  # (what, who, by)
    pupil_id: int | None
    rule: str = ""
    org: tuple[str, int] | None = None
    due: date | None = None


def deadline_subject(session: Session, deadline: DeadlineRow) -> str:
    """Whom or what a deadline is about, as chat names it: "S.V. #42" or an organisation."""
    if deadline.pupil_id is not None:
        pupil = session.get(Pupil, deadline.pupil_id)
        return label(session=session, pupil=pupil) if pupil else ""
    model = {"swv": Swv, "bestuur": Bestuur, "gemeente": Gemeente}.get(deadline.org_kind or "")
    org = session.get(model, deadline.org_id) if model else None  # type: ignore[arg-type]
    return org.name if org is not None else ""


def render(item: _Item, tr: Translator) -> str:
    """One nudge as a message, in the recipient's language."""
    _ = tr.gettext
    what, who, by = item.text_parts
    lines = ["⏰ " + _(KIND_LINES.get(item.kind, KIND_LINES["due"])), _(what), f"{who} — {by}"]
    if item.late:
        lines.append(_("(Sent late: the bot was not reachable for a while.)"))
    return "\n".join(lines)


def buttons(item: _Item, tr: Translator) -> InlineKeyboardMarkup:
    """Done, Later (a day, a week), Open case — plain button data, checked when pressed."""
    _ = tr.gettext
    rows = [
        [
            InlineKeyboardButton(
                "✓ " + _("Done"), callback_data=f"{BUTTON_PREFIX}d:{item.nudge_id}"
            ),
            InlineKeyboardButton(_("Tomorrow"), callback_data=f"{BUTTON_PREFIX}l1:{item.nudge_id}"),
            InlineKeyboardButton(
                _("Next week"), callback_data=f"{BUTTON_PREFIX}l7:{item.nudge_id}"
            ),
        ]
    ]
    if item.pupil_id is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    _("Open case"), callback_data=f"{BUTTON_PREFIX}o:{item.nudge_id}"
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


Claimed = tuple[dict[int, list["_Item"]], dict[int, User], int]


def _claim(services: Services, now: datetime, limit: int) -> Claimed:
    """Pick the due nudges, drop older missed duplicates, mark the rest `sending`."""
    with services.session() as session:
        due = session.exec(
            select(Nudge)
            .where(
                col(Nudge.status).in_([NudgeStatus.PLANNED.value, NudgeStatus.SENDING.value]),
                Nudge.planned_at <= now,
            )
            .order_by(col(Nudge.planned_at), col(Nudge.id))
            .limit(limit)
        ).all()
        newest: dict[tuple[int, int], Nudge] = {}
        dropped: list[int] = []
        for nudge in due:
            pair = (nudge.deadline_id, nudge.user_id)
            if pair in newest:
                dropped.append(newest[pair].id)  # type: ignore[arg-type]
            newest[pair] = nudge
        if dropped:
            session.execute(
                update(Nudge)
                .where(col(Nudge.id).in_(dropped))
                .values(status=NudgeStatus.CANCELLED.value)
            )
        users = {
            u.id: u
            for u in session.exec(
                select(User).where(col(User.id).in_({n.user_id for n in newest.values()}))
            )
            if u.id is not None
        }
        deadlines = {
            d.id: d
            for d in session.exec(
                select(DeadlineRow).where(
                    col(DeadlineRow.id).in_({n.deadline_id for n in newest.values()})
                )
            )
        }
        per_user: dict[int, list[_Item]] = defaultdict(list)
        for nudge in newest.values():
            user = users.get(nudge.user_id)
            deadline = deadlines.get(nudge.deadline_id)
            if user is None or not user.active or deadline is None or deadline.status != "open":
                nudge.status = NudgeStatus.CANCELLED.value
                session.add(nudge)
                continue
            late = nudge.planned_at < now - LATE_AFTER
            nudge.status = NudgeStatus.SENDING.value
            nudge.attempts += 1
            nudge.late = nudge.late or late
            session.add(nudge)
            per_user[user.id].append(  # type: ignore[index]
                _item(session, nudge, deadline, translator(user.language))
            )
    # Sorted by nudge: a digest re-rendered later (after a Done) lists its items in this order.
    return (
        {uid: sorted(items, key=lambda i: i.nudge_id) for uid, items in per_user.items()},
        users,
        len(dropped),
    )


def _item(session: Session, nudge: Nudge, deadline: DeadlineRow, tr: Translator) -> _Item:
    return _Item(
        nudge_id=nudge.id,  # type: ignore[arg-type]
        deadline_id=deadline.id,  # type: ignore[arg-type]
        kind=nudge.kind,
        late=nudge.late,
        text_parts=(
            RULE_ACTIONS.get(deadline.rule, deadline.rule),
            deadline_subject(session, deadline),
            tr.gettext("by {date}").format(date=tr.day(deadline.due)),
        ),
        pupil_id=deadline.pupil_id,
        rule=deadline.rule,
        org=(deadline.org_kind, deadline.org_id)
        if deadline.org_kind and deadline.org_id is not None
        else None,
        due=deadline.due,
    )


def _record(services: Services, nudge_ids: list[int], **values: object) -> None:
    with services.session() as session:
        session.execute(update(Nudge).where(col(Nudge.id).in_(nudge_ids)).values(**values))


def _wants_digest(user: User, items: list[_Item]) -> bool:
    if user.digest is not None:
        return user.digest and len(items) > 1
    return len(items) >= DIGEST_FROM


# Telegram refuses a text over 4096 characters; a digest is split well before that, and never
# carries more items (each with its Done button) than fit comfortably on a phone.
TEXT_LIMIT = 3800
DIGEST_ITEMS = 24


def _digest(
    items: list[_Item], tr: Translator, closed: frozenset[int] = frozenset()
) -> tuple[str, InlineKeyboardMarkup]:
    """One digest message: its items numbered from 1, a Done button for each open one; the
    items of `closed` deadlines marked done (after someone pressed Done)."""
    _ = tr.gettext
    lines = [_("Your deadlines ({count}):").format(count=len(items))]
    for number, item in enumerate(items, start=1):
        what, who, by = item.text_parts
        late = " " + _("(sent late)") if item.late else ""
        mark = "✓ " if item.deadline_id in closed else ""
        lines.append(f"{number}. {mark}{_(what)} — {who} — {by}{late}")
    done = [
        InlineKeyboardButton(f"✓ {number}", callback_data=f"{BUTTON_PREFIX}d:{item.nudge_id}")
        for number, item in enumerate(items, start=1)
        if item.deadline_id not in closed
    ]
    rows = [done[start : start + 6] for start in range(0, len(done), 6)]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _digests(items: list[_Item], tr: Translator) -> list[Message]:
    """A digest in as many messages as Telegram's limits need, each whole with its buttons."""
    chunks: list[list[_Item]] = [[]]
    for item in items:
        candidate = [*chunks[-1], item]
        if chunks[-1] and (
            len(candidate) > DIGEST_ITEMS or len(_digest(candidate, tr)[0]) > TEXT_LIMIT
        ):
            chunks.append([item])
        else:
            chunks[-1] = candidate
    return [(chunk, *_digest(chunk, tr)) for chunk in chunks]


Message = tuple[list[_Item], str, InlineKeyboardMarkup]


def _messages(user: User, items: list[_Item]) -> list[Message]:
    tr = translator(user.language)
    if _wants_digest(user, items):
        return _digests(items, tr)
    return [([item], render(item, tr), buttons(item, tr)) for item in items]


async def _send_one(
    services: Services,
    bot: Bot,
    user: User,
    batch: list[_Item],
    text: str,
    markup: InlineKeyboardMarkup,
    now: datetime,
    report: DeliveryReport,
) -> bool:
    """Send one message; False when the user turned out to have blocked the bot."""
    ids = [item.nudge_id for item in batch]
    try:
        message = await bot.send_message(user.telegram_id, text, reply_markup=markup)
    except Forbidden:
        await _blocked(services, bot, user, ids, report)
        return False
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
        later = now + timedelta(seconds=seconds + 1)
        _record(services, ids, status=NudgeStatus.PLANNED.value, planned_at=later)
        report.retried += len(ids)
        return True
    except BadRequest:
        # The request itself is wrong (chat gone, text refused): retrying will not help. The
        # deadlines stay open (and in /agenda); the operator and the administrators are told.
        _record(services, ids, status=NudgeStatus.FAILED.value)
        report.failed += len(ids)
        report.refused.setdefault(user.id or 0, []).extend(ids)
        logger.error("nudges %s refused by Telegram for good", ids)
        return True
    except (TimedOut, NetworkError) as error:
        attempts = max(1, _attempts(services, ids))
        if attempts >= MAX_ATTEMPTS:
            _record(services, ids, status=NudgeStatus.FAILED.value)
            report.failed += len(ids)
        else:
            backoff = timedelta(minutes=min(60, 2 ** (attempts - 1)))
            _record(services, ids, status=NudgeStatus.PLANNED.value, planned_at=now + backoff)
            report.retried += len(ids)
        logger.warning("nudges %s not delivered (%s); retrying later", ids, type(error).__name__)
        return True
    _record(
        services, ids, status=NudgeStatus.SENT.value, sent_at=now,
        chat_id=message.chat_id, message_id=message.message_id,
    )  # fmt: skip
    report.sent += len(ids)
    report.late += sum(1 for item in batch if item.late)
    for item in [item for item in batch if item.rule in REPORT_RULES][:3]:
        await _attach_draft(services, bot, user, item)
    return True


# These nudges carry the draft report they are about (issue: quarterly and monthly overviews).
REPORT_RULES = frozenset({"KWARTAAL_PEILDATUM", "MAANDOVERZICHT_SWV"})


async def _attach_draft(services: Services, bot: Bot, user: User, item: _Item) -> None:
    """Send the overview for the nudge's organisation, as of its due date, as a workbook."""
    if item.org is None or item.due is None:
        return
    with services.session() as session:
        scope = scope_of(session=session, kind=item.org[0], org_id=item.org[1])
        if scope is None:
            return
        records = scoped_records(session=session, scope=scope)
        audit.record(
            session,
            action=AuditAction.EXPORT,
            at=services.clock.now(),
            actor=user,
            channel=AuditChannel.JOB,
            detail=f"draft {scope.kind}",
        )
    workbook = overview_xlsx(overview(records, item.due), "Thuiszitbot", services.clock.now())
    tr = translator(user.language)
    try:
        await bot.send_document(
            user.telegram_id, document=workbook, filename=f"concept-{item.due.isoformat()}.xlsx",
            caption=tr.gettext("Draft report for this deadline."),
        )  # fmt: skip
    except (Forbidden, BadRequest, NetworkError):
        logger.warning("draft report for nudge %s not delivered", item.nudge_id)


def _attempts(services: Services, ids: list[int]) -> int:
    with services.session() as session:
        return max(session.exec(select(Nudge.attempts).where(col(Nudge.id).in_(ids))).all() or [0])


async def _blocked(
    services: Services, bot: Bot, user: User, nudge_ids: list[int], report: DeliveryReport
) -> None:
    """The user blocked the bot: no retries; mark them inactive and tell their SWV's admins."""
    with services.session() as session:
        session.execute(
            update(Nudge)
            .where(col(Nudge.id).in_(nudge_ids))
            .values(status=NudgeStatus.FAILED.value)
        )
        session.execute(
            update(Nudge)
            .where(Nudge.user_id == user.id, Nudge.status == NudgeStatus.PLANNED.value)
            .values(status=NudgeStatus.CANCELLED.value)
        )
        stored = session.get(User, user.id)
        assert stored is not None
        stored.active = False
        session.add(stored)
        admins = session.exec(
            select(User).where(
                User.swv_id == user.swv_id,
                User.role == Role.ADMIN.value,
                col(User.active).is_(True),
            )
        ).all()
    report.failed += len(nudge_ids)
    report.blocked.append(user.id)  # type: ignore[arg-type]
    logger.info("user %s blocked the bot; marked inactive", user.id)
    for admin in admins:
        tr = translator(admin.language)
        text = tr.gettext(
            "{name} ({role}) has blocked the bot and no longer receives nudges. Their deadlines "
            "still need someone: invite a colleague with /uitnodigen."
        ).format(name=user.display_name or f"#{user.id}", role=tr.gettext(_role_name(user.role)))
        try:
            await bot.send_message(admin.telegram_id, text)
        except (Forbidden, BadRequest, NetworkError):
            logger.warning("could not tell admin %s about blocked user %s", admin.id, user.id)


async def _tell_admins_refused(services: Services, bot: Bot, user: User, count: int) -> None:
    """Once a run: the administrators of the user's SWV learn that reminders did not arrive."""
    with services.session() as session:
        admins = session.exec(
            select(User).where(
                User.swv_id == user.swv_id, User.role == Role.ADMIN.value,
                col(User.active).is_(True),
            )
        ).all()  # fmt: skip
    for admin in admins:
        tr = translator(admin.language)
        text = tr.ngettext(
            "Telegram refused {count} reminder for {name} ({role}). The deadline stays open: "
            "/agenda shows it.",
            "Telegram refused {count} reminders for {name} ({role}). The deadlines stay open: "
            "/agenda shows them.",
            count,
        ).format(count=count, name=user.display_name or f"#{user.id}",
                 role=tr.gettext(_role_name(user.role)))  # fmt: skip
        try:
            await bot.send_message(admin.telegram_id, text)
        except (Forbidden, BadRequest, NetworkError):
            logger.error("could not tell admin %s about refused nudges of user %s", admin.id,
                         user.id)  # fmt: skip


def rerender_digest(
    *, session: Session, chat_id: int, message_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup] | None:
    """A digest message as it reads now: its items from the database, closed ones marked and
    without a button. None when the message carries a single nudge (not a digest)."""
    nudges = session.exec(
        select(Nudge)
        .where(Nudge.chat_id == chat_id, Nudge.message_id == message_id)
        .order_by(col(Nudge.id))
    ).all()
    if len(nudges) < 2:
        return None
    deadlines = {
        d.id: d
        for d in session.exec(
            select(DeadlineRow).where(col(DeadlineRow.id).in_({n.deadline_id for n in nudges}))
        )
    }
    tr = translator(language)
    items = [_item(session, n, deadlines[n.deadline_id], tr) for n in nudges]
    closed = frozenset(i for i, d in deadlines.items() if d is not None and d.status != "open")
    return _digest(items, tr, closed)


def _stopped(
    services: Services, stop: asyncio.Event | None, queues: dict[int, list[Message]]
) -> bool:
    """Whether the process is stopping; if so, what was claimed and not sent is planned again."""
    if stop is None or not stop.is_set():
        return False
    unsent = [item.nudge_id for pending in queues.values() for batch, _, _ in pending
              for item in batch]  # fmt: skip
    if unsent:
        _record(services, unsent, status=NudgeStatus.PLANNED.value)
        logger.info("stopping: %s nudges left planned for the next run", len(unsent))
        queues.clear()
    return True


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

    When `stop` is set, the message in flight is finished and the rest is planned again, so that
    a stopping process exits at once and loses nothing.
    """
    now = now or services.clock.now()
    per_user, users, dropped = _claim(services, now, limit)
    report = DeliveryReport(dropped=dropped)
    # One message in flight at a time: a crash can then repeat at most that one. Users take
    # turns, so one person's many nudges never wait on the per-chat limit while others could go.
    queues = {uid: _messages(users[uid], items) for uid, items in per_user.items()}
    while queues and not _stopped(services, stop, queues):
        for uid in list(queues):
            if _stopped(services, stop, queues):
                break
            pending = queues[uid]
            batch, text, markup = pending.pop(0)
            if not await _send_one(services, bot, users[uid], batch, text, markup, now, report):
                queues.pop(uid)  # the user blocked the bot: nothing more for them
                continue
            if not pending:
                queues.pop(uid)
    for user_id, nudge_ids in report.refused.items():
        await _tell_admins_refused(services, bot, users[user_id], len(nudge_ids))
    if report.sent or report.failed or report.retried:
        logger.info(
            "nudges: %s sent (%s late), %s retried, %s failed, %s dropped",
            report.sent, report.late, report.retried, report.failed, report.dropped,
        )  # fmt: skip
    return report
