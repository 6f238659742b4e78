"""The local trial on its first day, as a new user meets it: every nudge, digest and agenda of
every person in the sample region says only what a coordinator can act on — no deadline on a
weekend or public holiday, nothing both overdue and closed, no history of an open case, no
escalation of what the bot learned of today, and the administrator told once per organisation
and missing role."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.clock import FixedClock
from bot.protocol.calendar import is_working_day
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.services.demo import PEOPLE, add_sample_region
from bot.storage.models import Case, DeadlineRow, Role
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness, texts

AMS = ZoneInfo("Europe/Amsterdam")
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
# A due date as the chat writes it: "uiterlijk maandag 30 november 2026" (nudges, digests,
# confirmations) or "• 30 november 2026 — " (the agenda).
DUE = re.compile(r"(?:uiterlijk (?:\w+ )?|• )(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})")


def _dues(text: str) -> list[date]:
    return [
        date(int(year), MONTHS.index(month) + 1, int(day)) for day, month, year in DUE.findall(text)
    ]


async def test_the_first_day_of_the_trial_says_only_what_people_can_act_on(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    add_sample_region(session, now=clock.now(), settings=PROTOCOL)
    reminders = reminders_of(bot.application)
    assert reminders is not None
    reminders.plan(everything=True)
    day = clock.now().date()
    for hour in (9, 12, 17):  # the first day's deliveries
        clock.current = datetime.combine(day, datetime.min.time(), tzinfo=AMS) + timedelta(
            hours=hour
        )
        reminders.plan()
        await deliver_due(services=reminders.services, bot=reminders.bot)
    people = {p.telegram_id: p for p in PEOPLE}
    agendas = {
        telegram_id: texts(await bot.send(TgUser(telegram_id, p.name, "nl"), "/agenda"))[0]
        for telegram_id, p in people.items()
    }
    delivered = [
        (c.chat_id, c.text)
        for c in telegram.calls
        if c.method in ("sendMessage", "sendDocument") and c.chat_id in people
    ]
    shown = [*delivered, *agendas.items()]
    assert len(delivered) > 5  # the sample region has plenty to say on day one

    # No deadline on a Saturday, Sunday or public holiday.
    on_free_days = [
        (chat, due) for chat, text in shown for due in _dues(text) if not is_working_day(due)
    ]
    assert on_free_days == []
    # Nothing escalated on the day the bot learned of it.
    assert not [text for _chat, text in shown if "geëscaleerd" in text.lower()]
    # No deadline both overdue and closed in one message.
    for _chat, text in shown:
        lines = text.splitlines()
        overdue = {line.split(":")[0] for line in lines if line.startswith("⚠ ")}
        closed = {line.removeprefix("✓ ").split(":")[0] for line in lines if line.startswith("✓ ")}
        assert not overdue & closed, text
    # No history of an open case: its overdue steps are achterstand, in view.
    open_pupils = set(session.exec(select(Case.pupil_id).where(col(Case.end_date).is_(None))))
    hidden = session.exec(
        select(DeadlineRow).where(
            col(DeadlineRow.history).is_(True),
            col(DeadlineRow.pupil_id).in_(open_pupils),
            DeadlineRow.closed_reason.is_(None),  # type: ignore[union-attr]
        )
    ).all()
    assert hidden == []
    # The administrator: no deadlines of their own, one line per organisation and missing role.
    admin = next(p.telegram_id for p in PEOPLE if p.role is Role.ADMIN)
    to_admin = [text for chat, text in delivered if chat == admin]
    assert not [t for t in to_admin if t.startswith(("⏰", "Jouw termijnen"))]
    summaries = [t.split(":")[0] for t in to_admin if t.startswith("ℹ ")]
    assert len(summaries) == len(set(summaries))
