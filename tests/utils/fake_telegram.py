"""A local fake of the Telegram Bot API, served over HTTP on 127.0.0.1.

The bot under test is a real python-telegram-bot Application pointed at this server through
TELEGRAM_BASE_URL: it long-polls `getUpdates` for the updates a test injects and calls the API
methods exactly as it would against Telegram. The server records every call and answers like
Telegram does (the subset the bot uses; anything else is a 404 like an unknown method).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001
BOT_USERNAME = "thuiszit_test_bot"
TOKEN = f"{BOT_ID}:TESTtoken_abcdefghijklmnopqrstuvwxyz012"

# Parameters that python-telegram-bot sends JSON-encoded inside form fields.
_JSON_FIELDS = {
    "reply_markup",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "media",
}
_SENDING = {
    "sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageCaption",
    "editMessageReplyMarkup",
}  # fmt: skip
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id"}
_BOOL_FIELDS = {"protect_content", "disable_notification", "show_alert", "drop_pending_updates"}


@dataclass(frozen=True)
class TgUser:
    """A person talking to the bot."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "nl"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class ApiCall:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        if chat_id is None and isinstance(self.params.get("scope"), dict):
            chat_id = self.params["scope"].get("chat_id")
        if chat_id is None and isinstance(self.result, dict):
            chat_id = self.result.get("chat", {}).get("id")
        return chat_id

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline buttons of this call's reply_markup, row by row flattened."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class FakeTelegram:
    """The server and its state; `start()` it inside a running event loop."""

    calls: list[ApiCall] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)
    # Telegram's limits, enforced when asked: 30 messages per second overall, 1 per chat.
    enforce_limits: bool = False
    too_many_requests: int = 0
    uploads: int = 0
    blocked: set[int] = field(default_factory=set)
    # Chats whose next message is answered with 429 (retry after `throttle_seconds`), once.
    throttle_once: set[int] = field(default_factory=set)
    throttle_seconds: int = 1
    # Chats whose next message fails with 502 Bad Gateway (a network error), once.
    fail_once: set[int] = field(default_factory=set)
    # Chats for which Telegram refuses every message for good (400), as for a deleted chat.
    refuse: set[int] = field(default_factory=set)
    # Hold the n-th sendMessage (counted from 1) without answering, as if the bot died then.
    hold_at: int | None = None
    received: list[tuple[float, int, str]] = field(default_factory=list)
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _sends: list[tuple[float, int]] = field(default_factory=list)
    _new_receipt: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""
    base_file_url: str = ""
    _pending: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _new_call: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    @property
    def token(self) -> str:
        return TOKEN

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        self.base_file_url = f"http://127.0.0.1:{port}/file/bot"

    async def stop(self) -> None:
        # Release a pending long poll at once, as Telegram would on close.
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # ----- what tests inject -----

    def push_message(self, user: TgUser, text: str) -> int:
        """Queue a private text message from `user`; returns its update_id."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.as_dict(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": message})

    def push_group_message(self, user: TgUser, group_id: int, text: str) -> int:
        """Queue a message from `user` in a group chat."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": group_id, "type": "group", "title": "Group"},
            "from": user.as_dict(),
            "text": text,
        }
        return self._push({"message": message})

    def push_document(
        self,
        user: TgUser,
        *,
        file_name: str,
        mime_type: str,
        content: bytes,
        caption: str = "",
        claimed_size: int | None = None,
    ) -> int:
        """Queue a document from `user`; its bytes can then be downloaded by the bot."""
        file_id = f"file{len(self.files) + 1}"
        self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": claimed_size if claimed_size is not None else len(content),
        }
        return self._push({"message": self._user_message(user, document=document, caption=caption)})

    def push_photo(self, user: TgUser, *, content: bytes, caption: str = "") -> int:
        """Queue a photo (in two sizes, like Telegram sends) from `user`."""
        file_id = f"file{len(self.files) + 1}"
        self.files[file_id] = content
        sizes = [
            {"file_id": "thumb", "file_unique_id": "thumb", "width": 90, "height": 90, "file_size": 10},
            {"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 600,
             "file_size": len(content)},
        ]  # fmt: skip
        return self._push({"message": self._user_message(user, photo=sizes, caption=caption)})

    def _user_message(self, user: TgUser, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.as_dict(),
            **content,
        }

    def push_callback(self, user: TgUser, message: dict[str, Any], data: str) -> int:
        """Queue a press on an inline button with `data` under the bot's `message`."""
        query = {
            "id": str(next(self._message_ids)),
            "from": user.as_dict(),
            "chat_instance": f"ci{user.id}",
            "message": message,
            "data": data,
        }
        return self._push({"callback_query": query})

    def _push(self, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **payload})
        self._new_update.set()
        return update_id

    # ----- what tests read -----

    def sent_to(self, chat_id: int) -> list[ApiCall]:
        """Every call addressed to one chat, in order."""
        return [call for call in self.calls if call.chat_id == chat_id]

    async def wait_for_call(
        self, method: str, chat_id: int, *, after: int = 0, limit: float = 20.0
    ) -> ApiCall:
        """Wait until the bot makes a `method` call to `chat_id` (a bot in another process)."""

        async def arrived() -> ApiCall:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and call.chat_id == chat_id:
                        return call
                self._new_call.clear()
                await self._new_call.wait()

        return await asyncio.wait_for(arrived(), limit)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The current state of a message the bot sent (after any edits)."""
        return self.messages[(chat_id, message_id)]

    # ----- the server -----

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        if method in _SENDING:
            refusal = await self._gate(method, params)
            if refusal is not None:
                return refusal
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        if method != "getUpdates":
            self.calls.append(ApiCall(method, params, result))
            self._new_call.set()
        return web.json_response({"ok": True, "result": result})

    async def wait_for_received(self, count: int, limit: float = 30.0) -> None:
        """Wait until `count` messages (sendMessage, sendDocument) have arrived (answered or held)."""

        async def arrived() -> None:
            while len(self.received) < count:
                self._new_receipt.clear()
                await self._new_receipt.wait()

        await asyncio.wait_for(arrived(), limit)

    def release(self) -> None:
        """Let a held request go on (or stop holding)."""
        self.hold_at = None
        self._released.set()

    async def _gate(self, method: str, params: dict[str, Any]) -> web.Response | None:
        chat_id = params.get("chat_id")
        now = time.monotonic()
        if method in ("sendMessage", "sendDocument"):
            text = params.get("text") if method == "sendMessage" else params.get("caption")
            self.received.append((now, chat_id or 0, str(text or "")))
            self._new_receipt.set()
            if self.hold_at is not None and len(self.received) >= self.hold_at:
                await self._released.wait()
        if method in ("sendMessage", "editMessageText") and len(str(params.get("text", ""))) > 4096:
            # As Telegram: a text over 4096 characters is refused, for good.
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"},
                status=400,
            )
        if chat_id in self.refuse:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                status=400,
            )
        if chat_id in self.fail_once:
            self.fail_once.discard(chat_id)
            return web.Response(status=502, text="Bad Gateway")
        if chat_id in self.throttle_once:
            self.throttle_once.discard(chat_id)
            self.too_many_requests += 1
            wait = self.throttle_seconds
            return web.json_response(
                {"ok": False, "error_code": 429,
                 "description": f"Too Many Requests: retry after {wait}",
                 "parameters": {"retry_after": wait}},
                status=429,
            )  # fmt: skip
        if chat_id in self.blocked:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        if self.enforce_limits:
            recent = [(t, c) for t, c in self._sends if now - t < 1.0]
            same_chat = [t for t, c in recent if c == chat_id and now - t < 0.95]
            if len(recent) >= 30 or same_chat:
                self.too_many_requests += 1
                return web.json_response(
                    {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                     "parameters": {"retry_after": 1}},
                    status=429,
                )  # fmt: skip
            self._sends = [*recent, (now, chat_id or 0)]
        return None

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if not isinstance(value, str):
                params[key] = value.file.read()
                params[f"{key}_filename"] = value.filename
            elif key in _JSON_FIELDS:
                params[key] = json.loads(value)
            elif key in _INT_FIELDS:
                params[key] = int(value)
            elif key in _BOOL_FIELDS:
                params[key] = value == "true"
            else:
                params[key] = value
        return params

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Thuiszitbot",
            "username": BOT_USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _new_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = params["chat_id"]
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": self._bot_user(),
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user()

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset") or 0
        self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if not self._pending:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=params.get("timeout", 0))
        return list(self._pending)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[f"{scope}|{params.get('language_code', '')}"] = params["commands"]
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._new_message(params, text=params["text"])

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        upload = params.get("document")
        if isinstance(upload, bytes):
            # As Telegram: every upload gets a file id by which it can be sent again.
            file_id = f"upload-{len(self.files) + 1}"
            self.files[file_id] = upload
            self.uploads += 1
        elif upload in self.files:
            file_id = str(upload)
        else:
            return web.json_response(
                {"ok": False, "error_code": 400,
                 "description": "Bad Request: wrong file identifier/HTTP URL specified"},
                status=400,
            )  # fmt: skip
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": "file",
                    "file_size": len(self.files[file_id])}  # fmt: skip
        return self._new_message(params, document=document, caption=params.get("caption", ""))

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        photo = [{"file_id": "ph", "file_unique_id": "ph", "width": 1, "height": 1}]
        return self._new_message(params, photo=photo, caption=params.get("caption", ""))

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params["file_id"]
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        return web.Response(body=self.files[file_id])

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool | web.Response:
        # As Telegram: a button press is answered once.
        if params["callback_query_id"] in self.answered:
            return _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.answered.add(params["callback_query_id"])
        return True

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        return self._edit(params, "text", params["text"])

    async def _api_editMessageCaption(
        self, params: dict[str, Any]
    ) -> dict[str, Any] | web.Response:
        return self._edit(params, "caption", params.get("caption", ""))

    async def _api_editMessageReplyMarkup(
        self, params: dict[str, Any]
    ) -> dict[str, Any] | web.Response:
        return self._edit(params, None, None)

    def _edit(self, params: dict[str, Any], field: str | None, value: object) -> Any:
        """Edit a message as Telegram does, refusals included.

        Telegram refuses an edit that changes nothing ("message is not modified", e.g. a second
        tap removing buttons already gone) and one of a message it does not know; a bot meets
        both in ordinary use, so the fake must too.
        """
        message = self.messages.get((params["chat_id"], params["message_id"]))
        if message is None:
            return _bad_request("message to edit not found")
        markup = _markup(params.get("reply_markup"))
        unchanged = (field is None or message.get(field) == value) and _markup(
            message.get("reply_markup")
        ) == markup
        if unchanged:
            return _bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        if field is not None:
            message[field] = value
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message


def _bad_request(description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"},
        status=400,
    )


def _markup(markup: Any) -> Any:
    """A reply markup, or None for none (an empty keyboard is none too)."""
    if not markup or (isinstance(markup, dict) and not markup.get("inline_keyboard", True)):
        return None
    return markup
