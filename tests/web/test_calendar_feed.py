"""The calendar feed: from the button under /agenda (and on the web agenda) to the events a
calendar reads, for each role, checked event by event against the agenda."""

from __future__ import annotations

import re

import aiohttp
import pytest
from icalendar import Calendar
from multidict import CIMultiDict
from sqlmodel import Session, col, select

from bot.clock import FixedClock
from bot.reminders.actions import agenda
from bot.reminders.runtime import services_of
from bot.services import deadline_lifecycle
from bot.services.calendar_feed import FEED_DAYS
from bot.services.users import revoke
from bot.storage.models import AuditAction, AuditEvent, DeadlineRow, User
from bot.views.calendar import event_uid
from tests.utils.browser import chromium
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness
from tests.web.conftest import BAS, LARS, SOPHIE, ZOE, identifying, local, signed_in


async def _address(bot: BotHarness, user: TgUser, site: str) -> str:
    """The feed's address the chat sends (its https form, as this test's client reaches it)."""
    [listed] = [c for c in await bot.send(user, "/agenda") if c.method == "sendMessage"]
    pressed = await bot.press(user, listed, "📅 In je eigen agenda")
    [sent] = [c.text for c in pressed if c.method == "sendMessage"]
    assert "webcal://thuiszit.example/ics/" in sent  # what calendars open as a subscription
    found = re.search(r"https://\S+/ics/\S+", sent)
    assert found is not None
    return local(found.group(0), site)


async def _fetch(address: str, etag: str = "") -> tuple[int, bytes, CIMultiDict[str]]:
    headers = {"If-None-Match": etag} if etag else {}
    async with aiohttp.ClientSession() as client, client.get(address, headers=headers) as got:
        return got.status, await got.read(), CIMultiDict(got.headers)


def _user(session: Session, person: TgUser) -> User:
    session.expire_all()
    return session.exec(select(User).where(User.telegram_id == person.id)).one()


@pytest.mark.parametrize("person", [ZOE, BAS, LARS, SOPHIE], ids=lambda p: p.first_name)
async def test_the_feed_holds_exactly_the_agenda_of_each_role(
    bot: BotHarness, site: str, session: Session, person: TgUser
) -> None:
    address = await _address(bot, person, site)
    status, body, headers = await _fetch(address)
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(body)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    services = services_of(bot.application)
    lines = agenda(services, user=_user(session, person), days=FEED_DAYS)
    assert lines  # every role of the sample region has deadlines
    assert set(events) == {event_uid(line) for line in lines}
    today = services.clock.now().date()
    for line in lines:
        event = events[event_uid(line)]
        assert event.decoded("DTSTART") == line.due  # all day, on the due date
        summary = str(event["SUMMARY"])
        assert summary.endswith(f" — {line.who}")
        assert summary.startswith("⚠ ") == (line.due < today)
        assert ("⬆" in summary) == line.escalated
        page = f"/app/pupils/{line.pupil_id}" if line.pupil_id else "/app/agenda"
        assert str(event["URL"]) == f"https://thuiszit.example{page}"
    # Never a name or birth date, in the address or the events.
    text = body.decode()
    assert not [secret for secret in identifying(session) if secret in text + address]


async def test_done_removes_the_event_and_an_unchanged_feed_is_not_sent_again(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    address = await _address(bot, BAS, site)
    status, body, headers = await _fetch(address)
    assert status == 200
    assert (await _fetch(address, headers["ETag"]))[0] == 304  # the calendar polls: unchanged
    first = sorted(str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT"))
    deadline_id = int(first[0].removeprefix("deadline-").split("@")[0])
    row = session.get(DeadlineRow, deadline_id)
    assert row is not None
    deadline_lifecycle.done(session, [row], now=clock.now(), by=None, audited=False)
    session.commit()
    status, body, changed = await _fetch(address, headers["ETag"])
    assert status == 200
    assert changed["ETag"] != headers["ETag"]
    after = sorted(str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT"))
    assert after == first[1:]


async def test_a_new_address_or_withdrawn_access_ends_the_old_one(
    bot: BotHarness, site: str, session: Session, clock: FixedClock
) -> None:
    old = await _address(bot, ZOE, site)
    new = await _address(bot, ZOE, site)
    assert (await _fetch(old))[0] == 404
    assert (await _fetch(new))[0] == 200
    revoke(session, _user(session, ZOE), now=clock.now())
    session.commit()
    assert (await _fetch(new))[0] == 404
    # Audited: made twice and read once, never with the address.
    events = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.action).in_([AuditAction.FEED_MADE, AuditAction.FEED_READ])
        )
    ).all()
    assert sorted(e.action for e in events) == ["feed_made", "feed_made", "feed_read"]
    secrets = {old.rsplit("/", 1)[1], new.rsplit("/", 1)[1]}
    assert not [e for e in events if any(s in (e.detail or "") for s in secrets)]


async def test_guessing_addresses_is_refused_after_thirty_a_minute(site: str) -> None:
    answers = [(await _fetch(f"{site}/ics/{'a' * 40}{n:03}"))[0] for n in range(31)]
    assert answers == [404] * 30 + [429]


async def test_the_web_agenda_shows_a_new_address_once(
    bot: BotHarness, site: str, session: Session
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, BAS, site)
        await page.goto(f"{site}/app/agenda")
        await page.get_by_role("button", name="📅 In je eigen agenda").click()
        shown = await page.locator("#feed").input_value()
        assert shown.startswith("https://thuiszit.example/ics/")
        subscribe = page.get_by_role("link", name="Abonneren in de agenda van deze computer")
        assert await subscribe.get_attribute("href") == shown.replace("https://", "webcal://")
    assert (await _fetch(local(shown, site)))[0] == 200
