"""Drive the real Application through the fake Bot API, one update at a time."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update

from bot.app import ThuiszitApplication
from bot.services.container import Services
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser

# Generous: a processed update normally takes milliseconds; this only bounds a broken test.
PROCESS_TIMEOUT = 10.0


class ObservedApplication(ThuiszitApplication):
    """An Application that tells when each update has been handled completely."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handled: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if isinstance(update, Update):
                self.handled[update.update_id].set()


class BotHarness:
    """Send as a user, press buttons, and get back what the bot did in answer."""

    def __init__(self, telegram: FakeTelegram, application: ObservedApplication) -> None:
        self.telegram = telegram
        self.application = application

    async def handled(self, update_id: int) -> None:
        await asyncio.wait_for(self.application.handled[update_id].wait(), PROCESS_TIMEOUT)

    async def send(self, user: TgUser, text: str, reply_to: ApiCall | None = None) -> list[ApiCall]:
        """Send `text` as `user` (a reply to the bot's message in `reply_to`, if given); returns
        the calls the bot made to that user's chat meanwhile."""
        mark = len(self.telegram.calls)
        message_id = reply_to.result["message_id"] if reply_to is not None else None
        await self.handled(self.telegram.push_message(user, text, reply_to=message_id))
        return [call for call in self.telegram.calls[mark:] if call.chat_id == user.id]

    async def press(self, user: TgUser, call: ApiCall, button_text: str) -> list[ApiCall]:
        """Press the button labelled `button_text` under the message the bot sent in `call`."""
        for button in call.buttons:
            if button["text"] == button_text:
                return await self.press_data(user, call, button["callback_data"])
        labels = [button["text"] for button in call.buttons]
        raise AssertionError(f"no button {button_text!r}; there are {labels}")

    async def press_data(self, user: TgUser, call: ApiCall, data: str) -> list[ApiCall]:
        """Press a button with raw callback `data` (possibly forged) under `call`'s message."""
        message = self.telegram.message(call.chat_id or user.id, call.result["message_id"])
        mark = len(self.telegram.calls)
        await self.handled(self.telegram.push_callback(user, message, data))
        return [
            c
            for c in self.telegram.calls[mark:]
            if c.chat_id == user.id or c.method == "answerCallbackQuery"
        ]


def texts(calls: list[ApiCall]) -> list[str]:
    """The texts of the messages sent and edited in `calls`."""
    return [
        call.text
        for call in calls
        if call.method in {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}
    ]


def edited(calls: list[ApiCall]) -> ApiCall:
    """The message a button press edited (its new text and buttons)."""
    [edit] = [call for call in calls if call.method == "editMessageText"]
    return edit


def alerts(calls: list[ApiCall]) -> list[str]:
    """The texts shown as answers to button presses."""
    return [
        str(call.params.get("text", "")) for call in calls if call.method == "answerCallbackQuery"
    ]


async def start_without_jobs(application: ObservedApplication) -> None:
    """Start the application and poll the fake Bot API, without the repeating nudge jobs: tests
    drive planning and delivery themselves, with the fake clock (tests/reminders)."""
    from bot.reminders.runtime import JOB_DELIVER, JOB_ROLE

    assert application.job_queue is not None
    for name in (JOB_DELIVER, JOB_ROLE):
        for job in application.job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES
    )


@asynccontextmanager
async def running_bot(
    telegram: FakeTelegram, services: Services, application: ObservedApplication | None = None
) -> AsyncIterator[BotHarness]:
    """The real Application, polling the fake Bot API, as `python -m bot run` would: started,
    caught up, without the repeating jobs; stopped as run_polling() would when the block ends.
    `application`: one built (and perhaps initialised) before, by `observed_application`."""
    from bot.reminders.runtime import reminders_of

    if application is None:
        application = observed_application(services)
    async with application:
        # run_polling() would call post_init itself; here the test drives the lifecycle.
        assert application.post_init is not None
        await application.post_init(application)
        # The catch-up after start runs in the background; tests begin once it is done.
        reminders = reminders_of(application)
        assert reminders is not None
        await reminders.ready.wait()
        # The repeating jobs would otherwise send nudges in the middle of unrelated tests.
        await start_without_jobs(application)
        try:
            yield BotHarness(telegram, application)
        finally:
            # As run_polling() would: give up the sending role (a PostgreSQL advisory lock held
            # on a connection of its own) and close the nudge bot.
            await stop(application)


def observed_application(services: Services) -> ObservedApplication:
    """The bot's Application as `python -m bot run` builds it, telling when updates are done."""
    from bot.app import build_application

    application = build_application(services, application_class=ObservedApplication)
    assert isinstance(application, ObservedApplication)
    return application


async def stop(application: ObservedApplication) -> None:
    """Stop as run_polling() would, giving up the sending role and closing the nudge bot."""
    assert application.updater is not None
    if application.updater.running:
        await application.updater.stop()
    if application.running:  # a test may have stopped it already
        await application.stop()
    assert application.post_shutdown is not None
    await application.post_shutdown(application)


def done_button(call: ApiCall, about: str) -> str:
    """The Done button for the deadline whose line mentions `about`: the nudge's own
    ("✓ Afgehandeld"), or its number in a digest ("✓ 3")."""
    if "✓ Afgehandeld" in [button["text"] for button in call.buttons]:
        return "✓ Afgehandeld"
    number = next(line for line in call.text.splitlines() if about in line).split(".")[0]
    return f"✓ {number}"
