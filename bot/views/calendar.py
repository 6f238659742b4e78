"""A user's agenda as an iCalendar feed (RFC 5545, with `icalendar`): one all-day event per open
deadline on its due date, named by the pupil's label (never a name), with the action, whether
it was escalated, and a link to the dossier page. Stable UIDs (a calendar updates an event
instead of adding it again) and a DTSTAMP from the deadline's last change, so the same agenda
gives the same bytes: the feed's ETag."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.config import WEB_PREFIX
from bot.i18n import Translator
from bot.reminders.actions import AgendaLine

if TYPE_CHECKING:
    from icalendar import Event

TIMEZONE = "Europe/Amsterdam"
# Before any deadline has a change time (never in practice): a fixed one keeps the bytes stable.
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def event_uid(line: AgendaLine) -> str:
    """The event's UID: the deadline's own number (a deadline moved is a deadline of its own)."""
    return f"deadline-{line.deadline_id}@thuiszitbot"


def agenda_calendar(
    lines: list[AgendaLine], *, tr: Translator, today: date, web_root: str
) -> bytes:
    """The feed of `lines` (the user's agenda), in the user's language."""
    # Imported when a calendar asks: the chat alone does not need it at start.
    from icalendar import Calendar, Timezone

    calendar = Calendar()
    calendar.add("prodid", "-//Thuiszitbot//Deadlines//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Thuiszitbot")
    calendar.add("x-wr-timezone", TIMEZONE)
    # How often to fetch again (calendars that honour it): deadlines change during the day.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", timedelta(hours=1))
    calendar.add_component(Timezone.from_tzid(TIMEZONE))
    for line in sorted(lines, key=lambda line: (line.due, line.deadline_id)):
        calendar.add_component(_event(line, tr=tr, today=today, web_root=web_root))
    return calendar.to_ical()


def _event(line: AgendaLine, *, tr: Translator, today: date, web_root: str) -> Event:
    what = tr.gettext(line.what)
    marks = ("⚠ " if line.due < today else "") + ("⬆ " if line.escalated else "")
    page = (
        f"{web_root}{WEB_PREFIX}/pupils/{line.pupil_id}"
        if line.pupil_id is not None
        else f"{web_root}{WEB_PREFIX}/agenda"
    )
    notes = [what]
    if line.due < today:
        notes.append(tr.gettext("Overdue: this was due on {date}.").format(date=tr.date(line.due)))
    if line.escalated:
        notes.append(tr.gettext("Escalated to you: it is still open with the colleague it is for."))
    notes.append(
        tr.gettext("Mark it done in the chat or on the agenda page: {url}").format(
            url=f"{web_root}{WEB_PREFIX}/agenda"
        )
    )
    from icalendar import Event

    event = Event()
    event.add("uid", event_uid(line))
    event.add("dtstamp", (line.changed or _EPOCH).astimezone(UTC))
    event.add("dtstart", line.due)
    event.add("dtend", line.due + timedelta(days=1))
    event.add("summary", f"{marks}{what} — {line.who}" if line.who else f"{marks}{what}")
    event.add("description", "\n".join(notes))
    event.add("url", page)
    event.add("transp", "TRANSPARENT")  # a reminder, not time taken
    return event


def subscription_text(tr: Translator, address: str, subscription: str | None) -> str:
    """The chat's message with a new feed address and how to add it to a calendar."""
    _ = tr.gettext
    lines = [
        _(
            "Your deadlines as a calendar you can subscribe to. This address is shown only "
            "now: keep it to yourself (whoever has it sees your deadlines, by label)."
        ),
        "",
        subscription or address,
    ]
    if subscription:
        lines += ["", _("For Google Calendar, the same address as https:"), address]
    lines += [
        "",
        _("Outlook: Add calendar → Subscribe from web → paste the address."),
        _("Google Calendar: Other calendars + → From URL → paste the https address."),
        _("Apple Calendar: File → New Calendar Subscription → paste the address."),
        "",
        _(
            "The calendar fetches it again by itself (about every hour; Google less often). A "
            "new address (the button under /agenda) ends this one."
        ),
    ]
    return "\n".join(lines)
