"""The use cases behind a nudge's buttons and /agenda: each opens its own session and returns a
frozen view for the chat (or, later, a web page) to render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session
from telegram import InlineKeyboardMarkup

from bot.protocol.rules import REPORTED_BY, ProtocolSettings
from bot.reminders.nudges import SentCopy, add_done_note, agenda_of, mark_done, snooze
from bot.reminders.queue import deadline_subject, draft_of, rerender_digest
from bot.services.access import NotAvailable, visible_pupil
from bot.services.container import Services
from bot.services.deadlines import sync_pupils
from bot.storage.models import DeadlineRow, DeadlineStatus, Nudge, User
from bot.texts import RULE_ACTIONS

# How far ahead /agenda and the agenda page look.
AGENDA_DAYS = 30

# The actions of a nudge's buttons: done, later (1 or 7 days), open the case.
DONE, TOMORROW, NEXT_WEEK, OPEN, OPEN_CASE = "d", "l1", "l7", "o", "c"
_SNOOZE_DAYS = {TOMORROW: 1, NEXT_WEEK: 7}


@dataclass(frozen=True)
class ChangedCopy:
    """A delivered copy of a nudge that was marked done, and its digest as it reads now (None
    when the message carries this nudge alone)."""

    copy: SentCopy
    digest: tuple[str, InlineKeyboardMarkup] | None


@dataclass(frozen=True)
class Pressed:
    """What pressing a nudge's button did."""

    action: str
    deadline_id: int
    pupil_id: int | None
    what: str  # the rule's action text (a message id)
    who: str  # "S.V. #42" or an organisation
    due: date
    document: bool  # the nudge came with its draft report: its text is a caption
    copies: tuple[ChangedCopy, ...] = ()  # DONE: every delivered copy to update
    until: datetime | None = None  # TOMORROW / NEXT_WEEK: when it comes again
    rule: str = ""
    # DONE: this press marked it done (not someone before).
    marked: bool = False


def press_nudge_button(
    services: Services, *, user: User, nudge_id: int, action: str, chat_id: int, message_id: int
) -> Pressed | None:
    """Done / later / open under a nudge. None unless the nudge is this user's, the button is on
    the message it was sent with, and the pupil is still visible to the user."""
    now = services.clock.now()
    with services.session() as session:
        nudge = session.get(Nudge, nudge_id)
        deadline = session.get(DeadlineRow, nudge.deadline_id) if nudge else None
        if nudge is None or deadline is None or deadline.id is None or nudge.user_id != user.id:
            return None
        # Button data counts only on the message it was sent with (a digest included).
        if (nudge.chat_id, nudge.message_id) != (chat_id, message_id):
            return None
        return _press(
            session,
            user=user,
            deadline=deadline,
            action=action,
            now=now,
            tz=services.settings.tz,
            settings=services.settings.protocol,
        )


def _press(
    session: Session,
    *,
    user: User,
    deadline: DeadlineRow,
    action: str,
    now: datetime,
    tz: ZoneInfo,
    settings: ProtocolSettings,
    note: str | None = None,
) -> Pressed | None:
    """Done or later for one deadline, whether pressed under a nudge or on the agenda page;
    None when its pupil is no longer visible to the user."""
    assert deadline.id is not None
    if deadline.pupil_id is not None:
        try:
            visible_pupil(session=session, user=user, pupil_id=deadline.pupil_id)
        except NotAvailable:
            return None
    copies: tuple[ChangedCopy, ...] = ()
    until = None
    marked = action == DONE and deadline.status == DeadlineStatus.OPEN
    if marked:
        sent = mark_done(session=session, deadline=deadline, user=user, now=now, note=note)
        if deadline.rule in REPORTED_BY and deadline.pupil_id is not None:
            # A melding was made today: what follows it is due from now on.
            sync_pupils(
                session=session,
                pupil_ids=[deadline.pupil_id],
                as_of=now.astimezone(tz).date(),
                now=now,
                settings=settings,
            )
        copies = tuple(
            ChangedCopy(
                copy,
                rerender_digest(
                    session=session,
                    chat_id=copy.chat_id,
                    message_id=copy.message_id,
                    language=copy.language,
                ),
            )
            for copy in sent
        )
    elif action in _SNOOZE_DAYS:
        until = snooze(
            session=session,
            deadline_id=deadline.id,
            user=user,
            days=_SNOOZE_DAYS[action],
            now=now,
            tz=tz,
        )
    return Pressed(
        action=action,
        deadline_id=deadline.id,
        pupil_id=deadline.pupil_id,
        what=RULE_ACTIONS.get(deadline.rule, deadline.rule),
        who=deadline_subject(session, deadline),
        due=deadline.due,
        document=draft_of(deadline) is not None,
        copies=copies,
        until=until,
        rule=deadline.rule,
        marked=marked,
    )


def keep_done_note(services: Services, *, user: User, deadline_id: int, note: str) -> str | None:
    """What was done, given after Done by the one who pressed it: the line as kept, or None
    (not theirs, no longer visible, nothing to keep)."""
    now = services.clock.now()
    with services.session() as session:
        deadline = session.get(DeadlineRow, deadline_id)
        if deadline is None or deadline.done_by_id != user.id:
            return None
        if deadline.pupil_id is not None:
            try:
                visible_pupil(session=session, user=user, pupil_id=deadline.pupil_id)
            except NotAvailable:
                return None
        return add_done_note(session=session, deadline=deadline, user=user, note=note, now=now)


def press_agenda_button(
    services: Services, *, user: User, deadline_id: int, action: str, note: str | None = None
) -> Pressed | None:
    """Done / later on the agenda page: None unless the deadline is open and on this user's
    agenda (the same deadlines they are nudged about), and its pupil still visible to them."""
    if action not in (DONE, *_SNOOZE_DAYS):
        return None
    today = services.clock.now().astimezone(services.settings.tz).date()
    with services.session() as session:
        mine = {
            d.id: d
            for d, _escalated in agenda_of(
                session=session, user=user, today=today, settings=services.settings.protocol
            )
        }
        deadline = mine.get(deadline_id)
        if deadline is None:
            return None
        return _press(
            session,
            user=user,
            deadline=deadline,
            action=action,
            now=services.clock.now(),
            tz=services.settings.tz,
            settings=services.settings.protocol,
            note=note,
        )


@dataclass(frozen=True)
class AgendaLine:
    """One open deadline of a user's agenda."""

    due: date
    what: str  # the rule's action text (a message id)
    who: str
    deadline_id: int = 0
    pupil_id: int | None = None
    # Not this user's own: the escalation ladder brought it to them.
    escalated: bool = False
    rule: str = ""
    # When the deadline last changed (a calendar's DTSTAMP).
    changed: datetime | None = None


def agenda(services: Services, *, user: User, days: int) -> list[AgendaLine]:
    """Everything this user must act on, due within `days` (overdue ones first): their own
    open deadlines and those escalated to them."""
    today = services.clock.now().astimezone(services.settings.tz).date()
    with services.session() as session:
        return [
            AgendaLine(
                d.due,
                RULE_ACTIONS.get(d.rule, d.rule),
                deadline_subject(session, d),
                d.id or 0,
                d.pupil_id,
                escalated,
                d.rule,
                d.updated_at,
            )
            for d, escalated in agenda_of(
                session=session,
                user=user,
                today=today,
                settings=services.settings.protocol,
                due_until=today + timedelta(days=days),
            )
        ]
