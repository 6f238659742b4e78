"""A local Bot API: the part of Telegram's Bot API the bot uses, served over HTTP on 127.0.0.1.

The bot is the same python-telegram-bot Application as with Telegram, pointed at this server
through its base URL: it long-polls `getUpdates` for the updates that people (the local chat
page, or a test) put in, and calls the API methods exactly as it would against Telegram. The
server records every call and answers like Telegram does, refusals included (an edit that
changes nothing, a button answered twice, a text over 4096 characters); a method the bot does
not use is a 404 like an unknown method. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001
BOT_USERNAME = "thuiszit_test_bot"
# The tests' token. The local trial makes a secret one at every start (`secret_token`): a token
# in the source would let any page that reaches this machine use the trial's Bot API.
TOKEN = f"{BOT_ID}:TESTtoken_abcdefghijklmnopqrstuvwxyz012"


def secret_token() -> str:
    """A fresh token for one run of the local trial, known only to this process."""
    return f"{BOT_ID}:{secrets.token_urlsafe(32)}"


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
class LocalBotApi:
    """The server and its state; `start()` it inside a running event loop."""

    bot_username: str = BOT_USERNAME
    api_token: str = TOKEN
    calls: list[ApiCall] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)
    # The answers to button presses that have a text, per chat, in order: (chat id, text).
    alerts: list[tuple[int, str]] = field(default_factory=list)
    _query_chats: dict[str, int] = field(default_factory=dict)
    # Per chat, the bot's message that asked for a reply (ForceReply).
    _asks_reply: dict[int, int] = field(default_factory=dict)
    uploads: int = 0
    # Set by setWebhook: (url, secret token). Updates are then not served by getUpdates.
    webhook: tuple[str, str] | None = None
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
        return self.api_token

    def add_routes(self, app: web.Application) -> None:
        """Serve the Bot API from `app` (which may serve other pages too)."""
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)

    def served_at(self, root: str) -> None:
        """Tell the API where it is reachable (`http://127.0.0.1:PORT`)."""
        self.base_url = f"{root}/bot"
        self.base_file_url = f"{root}/file/bot"

    async def start(self, port: int = 0) -> None:
        """Serve the API alone on 127.0.0.1 (port 0: any free port)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.served_at(f"http://127.0.0.1:{self._runner.addresses[0][1]}")

    async def stop(self) -> None:
        # Release a pending long poll at once, as Telegram would on close.
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # ----- what people (or tests) put in -----

    def push_message(self, user: TgUser, text: str, reply_to: int | None = None) -> int:
        """Queue a private text message from `user` (a reply to the bot's message `reply_to`,
        if given); returns its update_id."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.as_dict(),
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(user.id, reply_to)]
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
        thumb = {"file_id": "thumb", "file_unique_id": "thumb", "width": 90, "height": 90}
        sizes = [
            {**thumb, "file_size": 10},
            {
                "file_id": file_id,
                "file_unique_id": file_id,
                "width": 800,
                "height": 600,
                "file_size": len(content),
            },
        ]
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
        query_id = str(next(self._message_ids))
        self._query_chats[query_id] = user.id
        query = {
            "id": query_id,
            "from": user.as_dict(),
            "chat_instance": f"ci{user.id}",
            "message": message,
            "data": data,
        }
        return self._push({"callback_query": query})

    def _push(self, payload: dict[str, Any]) -> int:
        message = payload.get("message")
        if message is not None and message["chat"]["type"] == "private":
            self.messages[(message["chat"]["id"], message["message_id"])] = message
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **payload})
        self._new_update.set()
        return update_id

    # ----- what the bot did -----

    def sent_to(self, chat_id: int) -> list[ApiCall]:
        """Every call addressed to one chat, in order."""
        return [call for call in self.calls if call.chat_id == chat_id]

    async def wait_for_call(
        self, method: str, chat_id: int | None, *, after: int = 0, limit: float = 20.0
    ) -> ApiCall:
        """Wait until the bot makes a `method` call to `chat_id` (None: a call to no chat, like
        setWebhook), from a bot in another process."""

        async def arrived() -> ApiCall:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and call.chat_id == chat_id:
                        return call
                self._new_call.clear()
                await self._new_call.wait()

        return await asyncio.wait_for(arrived(), limit)

    def awaiting_reply(self, chat_id: int) -> int | None:
        """The bot's latest message in this chat when it asks for a reply (ForceReply): a
        Telegram app then sends what is typed next as a reply to it."""
        latest = max((mid for cid, mid in self.messages if cid == chat_id), default=None)
        asks = self._asks_reply.get(chat_id)
        return asks if asks is not None and asks == latest else None

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The current state of a message the bot sent (after any edits)."""
        return self.messages[(chat_id, message_id)]

    # ----- the server -----

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.api_token:
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

    async def _gate(self, method: str, params: dict[str, Any]) -> web.Response | None:
        """Refuse what Telegram refuses before looking at the method (tests add more)."""
        if method in ("sendMessage", "editMessageText") and len(str(params.get("text", ""))) > 4096:
            # As Telegram: a text over 4096 characters is refused, for good.
            return _bad_request("message is too long")
        return None

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
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
            "username": self.bot_username,
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
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        # A message carries only an inline keyboard; ForceReply asks the app to reply to it.
        if isinstance(markup, dict) and markup.get("force_reply"):
            self._asks_reply[chat_id] = message["message_id"]
        elif markup:
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
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = (params["url"], params.get("secret_token", ""))
        return True

    def take_pending(self) -> list[dict[str, Any]]:
        """The queued updates, taken out (to deliver them by webhook, as Telegram then does)."""
        pending, self._pending = self._pending, []
        return pending

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[f"{scope}|{params.get('language_code', '')}"] = params["commands"]
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._new_message(params, text=params["text"])

    async def _api_deleteMessage(self, params: dict[str, Any]) -> bool | web.Response:
        # As Telegram: a bot may delete any message of a private chat (its own and incoming).
        if self.messages.pop((params["chat_id"], params["message_id"]), None) is None:
            return _bad_request("message to delete not found")
        return True

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
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: wrong file identifier/HTTP URL specified",
                },
                status=400,
            )
        name = str(params.get("document_filename") or self.file_names.get(file_id, "file"))
        self.file_names[file_id] = name
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": name,
            "file_size": len(self.files[file_id]),
        }
        return self._new_message(params, document=document, caption=params.get("caption", ""))

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        upload = params.get("photo")
        file_id = "ph"
        if isinstance(upload, bytes):
            file_id = f"upload-{len(self.files) + 1}"
            self.files[file_id] = upload
            self.uploads += 1
        photo = [{"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}]
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
        if request.match_info["token"] != self.api_token:
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
        chat_id = self._query_chats.pop(params["callback_query_id"], None)
        if chat_id is not None and params.get("text"):
            self.alerts.append((chat_id, str(params["text"])))
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
