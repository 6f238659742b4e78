"""Sending the nudges that are due: claim, send, record — so that a crash loses nothing.

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
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, NamedTuple

from babel.numbers import format_decimal
from sqlmodel import Session, col, select
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram import Message as TgMessage
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.config import Settings
from bot.i18n import N_, Translator, translator
from bot.protocol.calendar import DUTCH_TZ, count_working_days
from bot.protocol.rules import (
    CATALOGUE,
    EARLY_WARNINGS,
    ProtocolSettings,
    Rule,
    WarningFacts,
    early_warning_facts,
    escalated_to,
    recipients_of,
)
from bot.reminders.limits import retry_seconds
from bot.reports.data import scope_of, scoped_records
from bot.reports.exports import overview_xlsx
from bot.reports.overview import overview
from bot.services import audit
from bot.services import nudge_lifecycle as lifecycle
from bot.services.cases import label
from bot.services.container import Services
from bot.services.deadlines import pupil_facts
from bot.services.organisations import organisation
from bot.services.registration import OPENS_CASES
from bot.services.users import active_admins
from bot.storage.models import (
    AuditAction,
    AuditChannel,
    Case,
    DeadlineRow,
    DeadlineStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Pupil,
    Role,
    School,
    User,
)
from bot.texts import ROLE_NAMES, RULE_ACTIONS, aside

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
    "escalation": N_("Escalated to you (the escalation ladder):"),
    "backlog": N_("Overdue when it reached the bot (achterstand):"),
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


# An organisation's overview as of a due date: (organisation kind, id, due date).
DraftKey = tuple[str, int, date]


@dataclass(frozen=True)
class _Item:
    nudge_id: int
    deadline_id: int
    kind: str
    late: bool
    text_parts: tuple[str, str, str]  # (what, who, by)
    pupil_id: int | None
    # The organisation's overview this nudge carries as its document, if it carries one.
    draft: DraftKey | None = None
    # The escalation ladder, translated: how long it is open and where, or to whom it went.
    note: str = ""
    # For the administrators: the organisation and the role nobody fills there, and the due
    # date (deadlines without a recipient are summarised per organisation and role).
    missing: tuple[str, str] | None = None
    due: date | None = None
    # The 4-week deadline of a pupil without an open case: its nudge opens the case.
    opens_case: bool = False


def deadline_subject(session: Session, deadline: DeadlineRow) -> str:
    """Whom or what a deadline is about, as chat names it: "S.V. #42" or an organisation."""
    if deadline.pupil_id is not None:
        pupil = session.get(Pupil, deadline.pupil_id)
        return label(session=session, pupil=pupil) if pupil else ""
    if deadline.org_kind is None or deadline.org_id is None:
        return ""
    org = organisation(session, deadline.org_kind, deadline.org_id)
    return org.name if org is not None else ""


def render(item: _Item, tr: Translator) -> str:
    """One nudge as a message, in the recipient's language."""
    _ = tr.gettext
    what, who, by = item.text_parts
    lines = ["⏰ " + _(KIND_LINES.get(item.kind, KIND_LINES["due"])), _(what), f"{who} — {by}"]
    if item.note:
        lines.append(item.note)
    if item.late:
        lines.append(_("(Sent late: the bot was not reachable for a while.)"))
    return "\n".join(lines)


def buttons(item: _Item, tr: Translator, settings: Settings | None = None) -> InlineKeyboardMarkup:
    """Done, Later (a day, a week), Open case — plain button data, checked when pressed; with
    the web pages on, Open case opens the dossier in the Mini App at once."""
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
    if item.pupil_id is None:
        return InlineKeyboardMarkup(rows)
    if item.opens_case:
        rows.append([InlineKeyboardButton(
            "📂 " + _("Open the thuiszit case"), callback_data=f"{BUTTON_PREFIX}c:{item.nudge_id}"
        )])  # fmt: skip
    url = settings.mini_app_url(f"/pupils/{item.pupil_id}") if settings is not None else None
    if url is not None:
        rows.append([InlineKeyboardButton(_("Open case"), web_app=WebAppInfo(url))])
    else:
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
                col(Nudge.status).in_([NudgeStatus.PLANNED, NudgeStatus.SENDING]),
                Nudge.planned_at <= now,
            )
            .order_by(col(Nudge.planned_at), col(Nudge.id))
            .limit(limit)
        ).all()
        newest: dict[tuple[int, int], Nudge] = {}
        cancelled: list[int] = []
        for nudge in due:
            pair = (nudge.deadline_id, nudge.user_id)
            if pair in newest:
                cancelled.append(newest[pair].id)  # type: ignore[arg-type]
            newest[pair] = nudge
        dropped = len(cancelled)
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
        claimed: list[tuple[Nudge, DeadlineRow, User]] = []
        for nudge in newest.values():
            user = users.get(nudge.user_id)
            deadline = deadlines.get(nudge.deadline_id)
            if (
                user is None
                or not user.active
                or deadline is None
                or deadline.status != DeadlineStatus.OPEN
            ):
                cancelled.append(nudge.id)  # type: ignore[arg-type]
            else:
                claimed.append((nudge, deadline, user))
        late = [n.id for n, _, _ in claimed if n.planned_at < now - LATE_AFTER and not n.late]
        lifecycle.cancel_unsent(session, cancelled)
        lifecycle.claim(session, [n.id for n, _, _ in claimed if n.id is not None])
        lifecycle.mark_late(session, [n for n in late if n is not None])
        subjects = _subjects(session, [deadline for _, deadline, _ in claimed])
        schools = _schools(session, [deadline for _, deadline, _ in claimed])
        warnings = _warnings(session, [d for _, d, _ in claimed], services.settings.protocol)
        without_case = _without_case(session, [d for _, d, _ in claimed])
        today = now.astimezone(services.settings.tz).date()
        made_late = set(late)
        per_user: dict[int, list[_Item]] = defaultdict(list)
        for nudge, deadline, user in claimed:
            tr = translator(user.language)
            subject = subjects[deadline.id]  # type: ignore[index]
            school = schools.get(deadline.pupil_id or -1)
            note = escalation_note(
                nudge.kind, deadline, school, today, services.settings.protocol, tr
            )
            found = warnings.get(deadline.id or -1)
            if found is not None:
                note = "\n".join(part for part in (warning_text(found, tr), note) if part)
            made = nudge.late or nudge.id in made_late
            item = _item(nudge, deadline, tr, subject, late=made, note=note)
            if nudge.kind == NudgeKind.UNASSIGNED:
                item = replace(item, missing=_missing_role(session, deadline), due=deadline.due)
            elif deadline.pupil_id in without_case and Role(user.role) in OPENS_CASES:
                item = replace(item, opens_case=True)
            per_user[user.id].append(item)  # type: ignore[index]
    # Sorted by nudge: a digest re-rendered later (after a Done) lists its items in this order.
    return (
        {uid: sorted(items, key=lambda i: i.nudge_id) for uid, items in per_user.items()},
        users,
        dropped,
    )


def _without_case(session: Session, deadlines: list[DeadlineRow]) -> set[int]:
    """The pupils of these 4-week deadlines who have no open case: their nudge opens one."""
    pupils = {d.pupil_id for d in deadlines if d.rule == Rule.VIER_WEKEN_VERZUIM and d.pupil_id}
    if not pupils:
        return set()
    with_case = session.exec(
        select(Case.pupil_id).where(col(Case.pupil_id).in_(pupils), col(Case.end_date).is_(None))
    )
    return pupils - set(with_case)


def _missing_role(session: Session, deadline: DeadlineRow) -> tuple[str, str]:
    """The organisation where nobody receives this deadline, and the role missing there: the
    rule's first role, at the organisation that role belongs to."""
    if deadline.pupil_id is None:
        # An SWV's own date goes to its staff (a board's to its BOC-ers, a gemeente's to
        # leerplicht), as `nudges.recipients` sends it.
        role = {"bestuur": Role.BOC, "gemeente": Role.LEERPLICHT, "swv": Role.SWV}.get(
            deadline.org_kind or "", CATALOGUE[deadline.rule].recipients[0]
        )
        org = organisation(session, deadline.org_kind or "", deadline.org_id or -1)
        return (org.name if org is not None else ""), str(role)
    pupil = session.get(Pupil, deadline.pupil_id)
    school = session.get(School, pupil.school_id) if pupil and pupil.school_id else None
    role = recipients_of(deadline.rule, school.onderwijssoort if school else None)[0]
    found: Any = None
    if role == Role.ZORGCOORDINATOR:
        found = school
    elif role == Role.BOC and school is not None:
        found = organisation(session, "bestuur", school.bestuur_id)
    elif role == Role.LEERPLICHT and pupil is not None and pupil.gemeente_id:
        found = organisation(session, "gemeente", pupil.gemeente_id)
    if found is None:
        found = organisation(session, "swv", deadline.swv_id)
    return (found.name if found is not None else ""), str(role)


def _subjects(session: Session, deadlines: list[DeadlineRow]) -> dict[int, str]:
    """Whom each deadline is about, each pupil or organisation looked up once."""
    names: dict[tuple[str, int | None], str] = {}
    subjects: dict[int, str] = {}
    for deadline in deadlines:
        key = ("pupil", deadline.pupil_id) if deadline.pupil_id else (
            deadline.org_kind or "", deadline.org_id)  # fmt: skip
        if key not in names:
            names[key] = deadline_subject(session, deadline)
        subjects[deadline.id] = names[key]  # type: ignore[index]
    return subjects


def _item(
    nudge: Nudge,
    deadline: DeadlineRow,
    tr: Translator,
    subject: str,
    *,
    late: bool,
    note: str = "",
) -> _Item:
    return _Item(
        nudge_id=nudge.id,  # type: ignore[arg-type]
        deadline_id=deadline.id,  # type: ignore[arg-type]
        kind=nudge.kind,
        late=late,
        text_parts=(
            RULE_ACTIONS.get(deadline.rule, deadline.rule),
            subject,
            tr.gettext("by {date}").format(date=tr.day(deadline.due)),
        ),
        pupil_id=deadline.pupil_id,
        draft=draft_of(deadline),
        note=note,
    )


def _schools(session: Session, deadlines: list[DeadlineRow]) -> dict[int, tuple[str, str]]:
    """Each of these deadlines' pupils' school: (name, type)."""
    pupil_ids = {d.pupil_id for d in deadlines if d.pupil_id is not None}
    if not pupil_ids:
        return {}
    rows = session.exec(
        select(Pupil.id, School.name, School.onderwijssoort)
        .join(School, col(Pupil.school_id) == col(School.id))
        .where(col(Pupil.id).in_(pupil_ids))
    )
    return {pupil_id: (name, kind) for pupil_id, name, kind in rows if pupil_id is not None}


def _warnings(
    session: Session, deadlines: list[DeadlineRow], settings: ProtocolSettings
) -> dict[int, WarningFacts]:
    """The facts behind the early warnings among these deadlines, read from the stored data."""
    early = [d for d in deadlines if d.rule in EARLY_WARNINGS and d.pupil_id is not None]
    if not early:
        return {}
    facts = pupil_facts(session, sorted({d.pupil_id for d in early if d.pupil_id is not None}))
    found: dict[int, WarningFacts] = {}
    for deadline in early:
        pupil = facts.get(deadline.pupil_id or -1)
        warning = pupil and early_warning_facts(
            deadline.rule, deadline.trigger_day, pupil, settings
        )
        if warning and deadline.id is not None:
            found[deadline.id] = warning
    return found


def warning_text(warning: WarningFacts, tr: Translator) -> str:
    """The facts of an early warning as people say them: "10 uur ongeoorloofd in 5 schooldagen"."""
    if warning.kind == "hours":
        hours = format_decimal(warning.amount, locale=tr.locale)
        return tr.ngettext(
            "{hours} hours unauthorised in {days} school day.",
            "{hours} hours unauthorised in {days} school days.",
            warning.school_days,
        ).format(hours=hours, days=warning.school_days)
    if warning.kind == "sick_period":
        return tr.gettext("Ill {days} school days in a row.").format(days=warning.school_days)
    weeks = -(-warning.school_days // 5)
    return tr.ngettext(
        "{count} sick reports in {weeks} school week.",
        "{count} sick reports in {weeks} school weeks.",
        weeks,
    ).format(count=int(warning.amount), weeks=weeks)


def escalation_note(
    kind: str,
    deadline: DeadlineRow,
    school: tuple[str, str] | None,
    today: date,
    settings: ProtocolSettings,
    tr: Translator,
) -> str:
    """What a nudge says of the ladder: to the rung above, how long and where it is open; to
    the deadline's own recipients, to whom it went."""
    if deadline.pupil_id is None:
        return ""
    name, school_type = school or ("", None)
    if kind == NudgeKind.ESCALATION:
        days = count_working_days(deadline.due, today)
        text = tr.ngettext(
            "⬆ Open {days} working day past its due date at {place}.",
            "⬆ Open {days} working days past its due date at {place}.",
            days,
        )
        return text.format(days=days, place=name or tr.gettext("the school"))
    learned = deadline.created_at.astimezone(DUTCH_TZ).date()
    roles = escalated_to(deadline.rule, deadline.due, today, settings, school_type, learned)
    if not roles:
        return ""
    names = ", ".join(tr.gettext(ROLE_NAMES[Role(role)]) for role in roles)
    return tr.gettext("⬆ Escalated to: {roles}.").format(roles=names)


def _record(
    services: Services, change: Callable[..., None], nudge_ids: list[int], **values: Any
) -> None:
    """One step of these nudges' life (see `nudge_lifecycle`), in its own unit of work."""
    with services.session() as session:
        change(session, nudge_ids, **values)


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
    done = [
        InlineKeyboardButton(f"✓ {number}", callback_data=f"{BUTTON_PREFIX}d:{item.nudge_id}")
        for number, item in enumerate(items, start=1)
        if item.deadline_id not in closed
    ]
    rows = [done[start : start + 6] for start in range(0, len(done), 6)]
    return _digest_text(items, tr, closed), InlineKeyboardMarkup(rows)


def _digest_text(items: list[_Item], tr: Translator, closed: frozenset[int] = frozenset()) -> str:
    _ = tr.gettext
    lines = [_("Your deadlines ({count}):").format(count=len(items))]
    for number, item in enumerate(items, start=1):
        what, who, by = item.text_parts
        late = " " + _("(sent late)") if item.late else ""
        mark = "✓ " if item.deadline_id in closed else ""
        note = f" {item.note}" if item.note else ""
        lines.append(f"{number}. {mark}{_(what)} — {who} — {by}{late}{note}")
    return "\n".join(lines)


def _digests(items: list[_Item], tr: Translator) -> list[Outgoing]:
    """A digest in as many messages as Telegram's limits need, each whole with its buttons."""
    chunks: list[list[_Item]] = [[]]
    for item in items:
        candidate = [*chunks[-1], item]
        if chunks[-1] and (
            len(candidate) > DIGEST_ITEMS or len(_digest_text(candidate, tr)) > TEXT_LIMIT
        ):
            chunks.append([item])
        else:
            chunks[-1] = candidate
    return [Outgoing(chunk, *_digest(chunk, tr)) for chunk in chunks]


class Outgoing(NamedTuple):
    """One message to send: the nudges it carries, its text and buttons, and the draft report
    that goes with it as a document (the text then its caption)."""

    items: list[_Item]
    text: str
    markup: InlineKeyboardMarkup
    draft: DraftKey | None = None


def draft_of(deadline: DeadlineRow) -> DraftKey | None:
    """The draft report this deadline's nudges carry (they are then documents, the nudge their
    caption): the organisation's overview as of the due date; None for other deadlines."""
    spec = CATALOGUE.get(deadline.rule)
    if spec and spec.carries_report and deadline.org_kind and deadline.org_id is not None:
        # The occurrence's own date (the peildatum), not the working day it was moved to.
        return (deadline.org_kind, deadline.org_id, deadline.trigger_day)
    return None


def _missing_summaries(items: list[_Item], tr: Translator) -> list[Outgoing]:
    """One message per organisation and missing role: how many deadlines, the first when."""
    groups: dict[tuple[str, str], list[_Item]] = defaultdict(list)
    for item in items:
        assert item.missing is not None
        groups[item.missing].append(item)
    found = []
    for (name, role), group in sorted(groups.items()):
        first = min(item.due for item in group if item.due is not None)
        text = tr.ngettext(
            "ℹ {organisation} has no {role}: {count} deadline, due by {date}. Invite someone "
            "with /uitnodigen.",
            "ℹ {organisation} has no {role}: {count} deadlines, the first due by {date}. Invite "
            "someone with /uitnodigen.",
            len(group),
        ).format(organisation=name, role=tr.gettext(ROLE_NAMES[Role(role)]), count=len(group),
                 date=tr.day(first))  # fmt: skip
        found.append(Outgoing(group, text, InlineKeyboardMarkup([])))
    return found


def _messages(user: User, items: list[_Item], settings: Settings) -> list[Outgoing]:
    tr = translator(user.language)
    # Deadlines nobody receives are not the administrator's own: one summary per
    # organisation and missing role.
    summaries = _missing_summaries([item for item in items if item.missing is not None], tr)
    items = [item for item in items if item.missing is None]
    # A nudge that carries its draft report is one document message, never part of a digest:
    # it is delivered whole or not at all.
    with_draft = [
        Outgoing([item], render(item, tr) + "\n" + tr.gettext("Draft report for this deadline."),
                 buttons(item, tr, settings), item.draft)
        for item in items
        if item.draft is not None
    ]  # fmt: skip
    plain = [item for item in items if item.draft is None]
    # Achterstand the bot learned of at once (an import, a case registered late) is one
    # message of its own, however few items it has; the rest as always.
    backlog = [item for item in plain if item.kind == NudgeKind.BACKLOG]
    if len(backlog) > 1:
        plain = [item for item in plain if item.kind != NudgeKind.BACKLOG]
    together = _digests(backlog, tr) if len(backlog) > 1 else []
    if _wants_digest(user, plain):
        return [*summaries, *with_draft, *together, *_digests(plain, tr)]
    single = [Outgoing([item], render(item, tr), buttons(item, tr, settings)) for item in plain]
    return [*summaries, *with_draft, *together, *single]


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
        with self._services.session() as session:
            scope = scope_of(session=session, kind=kind, org_id=org_id)
            if scope is None:
                return None
            records = scoped_records(session=session, scope=scope)
        now = self._services.clock.now()
        return overview_xlsx(overview(records, due), "Thuiszitbot", now)


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
        _record(services, lifecycle.plan_again, ids, at=now + timedelta(seconds=seconds + 1))
        report.retried += len(ids)
        return Sent.DONE
    except BadRequest:
        # The request itself is wrong (chat gone, text refused): retrying will not help. The
        # deadlines stay open (and in /agenda); the operator and the administrators are told.
        _record(services, lifecycle.fail, ids)
        report.failed += len(ids)
        report.refused.setdefault(user.id or 0, []).extend(ids)
        logger.error("nudges %s refused by Telegram for good", ids)
        return Sent.DONE
    except (TimedOut, NetworkError) as error:
        attempts = max(1, _attempts(services, ids))
        if attempts >= MAX_ATTEMPTS:
            _record(services, lifecycle.fail, ids)
            report.failed += len(ids)
        else:
            backoff = timedelta(minutes=min(60, 2 ** (attempts - 1)))
            _record(services, lifecycle.plan_again, ids, at=now + backoff)
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
        lifecycle.sent(session, [item.nudge_id for item in out.items], at=now,
                       chat_id=message.chat_id, message_id=message.message_id)  # fmt: skip
        if out.draft is not None:
            audit.record(session, action=AuditAction.EXPORT, at=services.clock.now(), actor=user,
                         channel=AuditChannel.JOB, detail=f"draft {out.draft[0]}")  # fmt: skip


async def _send_draft(
    bot: Bot, user: User, out: Outgoing, key: DraftKey, drafts: _Drafts
) -> TgMessage:
    async with drafts.document(key) as document:
        if document is None:  # the organisation is gone: the nudge without its report
            return await bot.send_message(user.telegram_id, out.text, reply_markup=out.markup)
        message = await bot.send_document(
            user.telegram_id, document=document, filename=f"concept-{key[2]}.xlsx",
            caption=out.text, reply_markup=out.markup,
        )  # fmt: skip
        if message.document is not None:
            drafts.uploaded(key, message.document.file_id)
        return message


# A 429 asking for at most this many seconds is waited out in the run (for that chat only);
# a longer one plans the message again, so that a stopping process never waits long.
WAIT_IN_RUN = 5.0
# Chats served at once: one message in flight per chat, enough chats to keep Telegram's 30/s.
CHATS_AT_ONCE = 32


def _attempts(services: Services, ids: list[int]) -> int:
    with services.session() as session:
        return max(session.exec(select(Nudge.attempts).where(col(Nudge.id).in_(ids))).all() or [0])


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
    subjects = _subjects(session, list(deadlines.values()))
    items = [_item(n, deadlines[n.deadline_id], tr, subjects[n.deadline_id], late=n.late)
             for n in nudges]  # fmt: skip
    closed = frozenset(
        i for i, d in deadlines.items() if i is not None and d.status != DeadlineStatus.OPEN
    )
    return _digest(items, tr, closed)


def _plan_again(services: Services, queues: dict[int, deque[Outgoing]]) -> None:
    """What was claimed and not sent (the process is stopping) is planned for the next run."""
    unsent = [item.nudge_id for pending in queues.values() for out in pending
              for item in out.items]  # fmt: skip
    if unsent:
        _record(services, lifecycle.plan_again, unsent)
        logger.info("stopping: %s nudges left planned for the next run", len(unsent))


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
    per_user, users, dropped = await asyncio.to_thread(_claim, services, now, limit)
    report = DeliveryReport(dropped=dropped)
    queues = {
        uid: deque(_messages(users[uid], items, services.settings))
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
    _plan_again(services, queues)
    for user_id, nudge_ids in report.refused.items():
        await _tell_admins_refused(services, bot, users[user_id], len(nudge_ids))
    if report.sent or report.failed or report.retried:
        logger.info(
            "nudges: %s sent (%s late), %s retried, %s failed, %s dropped",
            report.sent, report.late, report.retried, report.failed, report.dropped,
        )  # fmt: skip
    return report
