"""python-telegram-bot's persistence, in the bot's own database: the buttons of messages waiting
for an answer (a confirmation waiting for Save) survive a restart, so that a Save pressed after
it stores exactly what was confirmed before it.

Only the callback data is kept. The rest of PTB's state is not: `bot_data` holds the services,
and `user_data` (a `/nieuw` in progress, a question asked) would need the same care as the
buttons; a restart still ends those.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.reminders.runtime import BotData
from bot.services import chat_state
from bot.services.container import Services

logger = logging.getLogger(__name__)

CALLBACK_DATA = "callback_data"
# How often PTB hands the state over (and at every stop): what a crash can lose at most.
EVERY_SECONDS = 5.0


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], BotData]):
    """The callback data of the answering bot, pickled and sealed with DATA_KEY (a waiting
    update holds the name it was typed with); written only when it changed, so that a process
    that handles no updates (a standby) never overwrites the one that does."""

    def __init__(self, services: Services, update_interval: float = EVERY_SECONDS) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=True
            ),
            update_interval=update_interval,
        )
        self._services = services
        self._written: bytes | None = None

    async def get_callback_data(self) -> CDCData | None:
        stored = await asyncio.to_thread(chat_state.load, self._services, CALLBACK_DATA)
        if stored is None:
            self._written = _pickled(([], {}))  # nothing waits: nothing to write until it does
            return None
        # Unpickled safely: the value is sealed (authenticated) with DATA_KEY, so only the bot
        # wrote it. It may come from a version whose button classes have changed since.
        try:
            data: CDCData = pickle.loads(stored)
        except Exception:
            logger.warning("the buttons kept from before the start could not be read: expired")
            return None
        self._written = stored
        return data

    async def update_callback_data(self, data: CDCData) -> None:
        value = _pickled(data)
        if value == self._written:
            return
        now = self._services.clock.now()
        await asyncio.to_thread(chat_state.store, self._services, CALLBACK_DATA, value, now)
        self._written = value

    # Not kept (see the module's docstring): PTB asks only for what `store_data` names, but
    # the interface wants every method.

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> BotData:
        return BotData()

    async def get_conversations(self, name: str) -> ConversationDict:
        return {}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: BotData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: BotData) -> None:
        return None

    async def flush(self) -> None:
        return None


def _pickled(data: CDCData) -> bytes:
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
