"""python-telegram-bot's persistence, in the bot's own database: what people were in the middle
of in the chat survives a restart — the buttons of messages waiting for an answer (a
confirmation waiting for Save: Save pressed after the restart stores exactly what was confirmed
before it), a `/nieuw` in progress (its step and draft) and the questions asked (a reply after
the restart is read as before).

`bot_data` is not kept: it holds the services. A standby process that starts answering when the
other one stopped takes these over too: the buttons when one it does not know is pressed
(`recovered`), the rest at the first update it handles (`ThuiszitApplication`).
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from typing import Any, cast

from telegram import Update
from telegram.ext import (
    Application,
    BasePersistence,
    CallbackDataCache,
    ExtBot,
    InvalidCallbackData,
    PersistenceInput,
)
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.reminders.runtime import BotData
from bot.services import chat_state
from bot.services.container import Services

logger = logging.getLogger(__name__)

CALLBACK_DATA = "callback_data"
# The names of a user's data ("user:42") and of a conversation's states ("conversation:nieuw").
USER = "user:"
CONVERSATIONS = "conversation:"
# Far more keyboards than PTB's cache holds (1,024): one forgotten here is gone everywhere.
_SEEN_KEPT = 100_000
# How often PTB hands the state over (and at every stop): what a crash can lose at most.
EVERY_SECONDS = 5.0


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], BotData]):
    """The callback data, the users' data and the conversations' steps of the answering bot,
    each pickled and sealed with DATA_KEY (a waiting update holds the name it was typed with, a
    draft a child's name and date of birth); each written only when it changed, so that a
    process that handles no updates (a standby) never overwrites the one that does."""

    def __init__(self, services: Services, update_interval: float = EVERY_SECONDS) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=True
            ),
            update_interval=update_interval,
        )
        self._services = services
        self._written: bytes | None = None
        # What the database holds of each user's data and each conversation, as last read or
        # written here: only a change is written.
        self._users: dict[int, bytes] = {}
        self._conversations: dict[str, ConversationDict] = {}
        # The keyboards this process has held (made, loaded, or written): one it no longer
        # holds was answered or expired here, and is never taken from the database again.
        self._seen: dict[str, None] = {}

    async def get_callback_data(self) -> CDCData | None:
        data = await self.stored_callback_data()
        if data is None:
            self._written = _pickled(([], {}))  # nothing waits: nothing to write until it does
            return None
        self._written = _pickled(data)
        self._saw(data)
        return data

    async def stored_callback_data(self) -> CDCData | None:
        """The buttons kept in the database (by this process or another), or None."""
        stored = await asyncio.to_thread(chat_state.load, self._services, CALLBACK_DATA)
        if stored is None:
            return None
        data = _unpickled(stored)
        return cast(CDCData, data) if isinstance(data, tuple) else None

    async def update_callback_data(self, data: CDCData) -> None:
        self._saw(data)
        value = _pickled(data)
        if value == self._written:
            return
        now = self._services.clock.now()
        await asyncio.to_thread(chat_state.store, self._services, CALLBACK_DATA, value, now)
        self._written = value

    def unseen(self, keyboard: str) -> bool:
        """Whether a keyboard was never held by this process (so another one made it)."""
        return keyboard not in self._seen

    def update_seen(self, data: CDCData) -> None:
        """Note the keyboards in `data` as held by this process."""
        self._saw(data)

    def _saw(self, data: CDCData) -> None:
        for keyboard, _used, _buttons in data[0]:
            self._seen[keyboard] = None
        while len(self._seen) > _SEEN_KEPT:
            del self._seen[next(iter(self._seen))]

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        stored = await asyncio.to_thread(chat_state.load_all, self._services, USER)
        self._users = {int(name.removeprefix(USER)): value for name, value in stored.items()}
        found = {}
        for user_id, value in self._users.items():
            data = _unpickled(value)
            if isinstance(data, dict):
                found[user_id] = data
        return found

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        if not data:
            await self.drop_user_data(user_id)
            return
        value = _pickled(data)
        if value == self._users.get(user_id):
            return
        now = self._services.clock.now()
        await asyncio.to_thread(chat_state.store, self._services, f"{USER}{user_id}", value, now)
        self._users[user_id] = value

    async def drop_user_data(self, user_id: int) -> None:
        if self._users.pop(user_id, None) is not None:
            await asyncio.to_thread(chat_state.drop, self._services, f"{USER}{user_id}")

    async def get_conversations(self, name: str) -> ConversationDict:
        stored = await asyncio.to_thread(chat_state.load, self._services, CONVERSATIONS + name)
        found = _unpickled(stored) if stored is not None else {}
        self._conversations[name] = dict(found) if isinstance(found, dict) else {}
        return dict(self._conversations[name])

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        conversations = self._conversations.setdefault(name, {})
        if conversations.get(key) == new_state:
            return
        if new_state is None:
            conversations.pop(key, None)
        else:
            conversations[key] = new_state
        now = self._services.clock.now()
        value = _pickled(conversations)
        await asyncio.to_thread(chat_state.store, self._services, CONVERSATIONS + name, value, now)

    # Not kept (see the module's docstring): PTB asks only for what `store_data` names, but
    # the interface wants every method.

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> BotData:
        return BotData()

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: BotData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: BotData) -> None:
        return None

    async def flush(self) -> None:
        return None


def _pickled(data: object) -> bytes:
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickled(value: bytes) -> object:
    # Unpickled safely: the value is sealed (authenticated) with DATA_KEY, so only the bot
    # wrote it. It may come from a version whose classes have changed since.
    try:
        return pickle.loads(value)
    except Exception:
        logger.warning("what the chat kept from before the start could not be read: expired")
        return None


async def recovered(
    application: Application[Any, Any, Any, Any, Any, Any], update: Update
) -> Update | None:
    """A button this process does not know, found among the buttons kept in the database: made
    by another process since this one started (it stopped, and this standby now answers). The
    update with the button's data, or None (forged, expired, or answered here already)."""
    query, persistence, bot = update.callback_query, application.persistence, application.bot
    if (
        query is None
        or not isinstance(query.data, InvalidCallbackData)
        or not isinstance(persistence, DatabasePersistence)
        or not isinstance(bot, ExtBot)
        or bot.callback_data_cache is None
    ):
        return None
    raw = query.data.callback_data
    if not isinstance(raw, str) or not persistence.unseen(CallbackDataCache.extract_uuids(raw)[0]):
        return None
    stored = await persistence.stored_callback_data()
    if stored is None:
        return None
    # Only what this process never held: one it held and let go was answered here already.
    kept: CDCData = (
        [keyboard for keyboard in stored[0] if persistence.unseen(keyboard[0])],
        {query: kb for query, kb in stored[1].items() if persistence.unseen(kb)},
    )
    bot.callback_data_cache.load_persistence_data(kept)  # kept with this process's own now
    persistence.update_seen(kept)
    # The update as Telegram sent it, resolved again the way PTB resolves one.
    fresh = Update.de_json(_as_sent(update.to_dict()), bot)
    bot.insert_callback_data(fresh)
    if fresh.callback_query is None or isinstance(fresh.callback_query.data, InvalidCallbackData):
        return None
    logger.info("a button made by another process was found in the database")
    return fresh


def _as_sent(value: Any) -> Any:
    """`value` (an update as a dict) with each button's data as Telegram sent it: PTB put an
    InvalidCallbackData holding it where the data was unknown."""
    if isinstance(value, InvalidCallbackData):
        return value.callback_data
    if isinstance(value, dict):
        return {key: _as_sent(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_sent(item) for item in value]
    return value
