"""Random input at every handler: random Unicode, very long texts, control characters, malformed
commands, forged and replayed buttons, odd files. Whatever arrives: no unhandled exception, no
write, and a reply (or a button answer) in the sender's language."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from bot.handlers.commands import COMMANDS
from bot.i18n import translator
from bot.storage.models import Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import ApiCall, FakeTelegram, TgUser
from tests.utils.harness import BotHarness

CARE = TgUser(901, "Zorg", "nl")
BOC = TgUser(902, "Bo", "nl")
SWV = TgUser(903, "Sam", "en")
LP = TgUser(904, "Lea", "nl")
ADMIN = TgUser(905, "Ada", "nl")
STRANGER = TgUser(906, "Onbekend", "nl")
USERS = (CARE, BOC, SWV, LP, ADMIN, STRANGER)
ROLES = {
    CARE: (Role.ZORGCOORDINATOR, {"school": "12AB"}),
    BOC: (Role.BOC, {"bestuur": "Stichting Bolder"}),
    SWV: (Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
    LP: (Role.LEERPLICHT, {"gemeente": "Alphen aan den Rijn"}),
    ADMIN: (Role.ADMIN, {"swv": "SWV Rijn en Gouwe"}),
}
# What may change without anyone having asked for a change: the audit trail, "last seen", and
# the buttons waiting for an answer (a question asked is state, not stored data), and the web
# pages' sign-in links (/web makes one).
UNWATCHED = {"audit_event", "alembic_version", "chat_state", "web_link", "web_session"}
COMMAND_NAMES = [c.name for c in COMMANDS] + [
    "start", "nieuw", "annuleer", "dossier", "overzicht", "gebruikers", "intrekken", "audit",
    "pupils", "language", "start@thuiszitbot", "", "/",
]  # fmt: skip

any_text = st.text(min_size=1, max_size=200)
controls = st.text(
    st.characters(min_codepoint=0, max_codepoint=31) | st.sampled_from("\u200b\u202e\ufeff\u2028"),
    min_size=1,
    max_size=40,
)
long_text = st.builds(
    lambda unit, n: (unit * n)[:n], st.text(min_size=1, max_size=5), st.integers(4097, 60_000)
)


@dataclass(frozen=True)
class Send:
    user: TgUser
    text: str


@dataclass(frozen=True)
class Press:
    user: TgUser
    data: str  # forged, or "replay:<n>" for the n-th button the bot made for somebody else


@dataclass(frozen=True)
class Upload:
    user: TgUser
    file_name: str
    mime_type: str
    size: int
    caption: str


users = st.sampled_from(USERS)
inputs = st.one_of(
    st.builds(Send, users, any_text),
    st.builds(Send, users, controls),
    st.builds(Send, users, long_text),
    st.builds(Send, users, st.builds(lambda c, a: f"/{c} {a}", st.sampled_from(COMMAND_NAMES), any_text | controls)),
    st.builds(Send, users, st.builds(
        lambda n, h, k, d: f"{n} {h} {k} {d}",
        st.sampled_from(["Sanne", "Onbekende", "Émile", "", "#1", "S.V."]),
        st.sampled_from(["4 uur", "-3 uur", "99999999999 uur", "1e9", "½ uur", ""]),
        st.sampled_from(["ongeoorloofd", "ziek", "geschorst", "vrijstelling", "is weer op school"]),
        st.sampled_from(["vandaag", "31-02-2026", "99-99-9999", "gisteren", "0001-01-01", "maandag"]),
    )),
    st.builds(Press, users, st.text(max_size=64)),
    st.builds(Press, users, st.integers(0, 50).map(lambda n: f"replay:{n}")),
    st.builds(Upload, users, st.text(max_size=80), st.sampled_from(
        ["application/pdf", "image/jpeg", "application/x-msdownload", "text/html", "", "image/svg+xml"]
    ), st.integers(0, 30_000_000), any_text | controls),
)  # fmt: skip


def _digest(engine: Engine) -> dict[str, str]:
    found = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in UNWATCHED:
                continue
            columns = [c for c in table.columns if c.name != "last_seen_at"]
            rows = connection.execute(sa.select(*columns).order_by(*table.primary_key.columns))
            found[table.name] = hashlib.sha256(repr(rows.all()).encode()).hexdigest()
    return found


@cache
def _foreign_texts(language: str) -> set[str]:
    """Whole catalog messages (without placeholders) that are not in `language`."""
    other = translator("en" if language == "nl" else "nl")
    own = translator(language)
    catalog = other._translations._catalog  # type: ignore[attr-defined]
    found = set()
    for msgid in catalog:
        if not isinstance(msgid, str) or not msgid or "{" in msgid:
            continue
        theirs, ours = other.gettext(msgid), own.gettext(msgid)
        if theirs != ours:
            found.add(theirs)
    return found


@pytest.fixture
async def world(bot: BotHarness, registry: Session, telegram: FakeTelegram) -> list[dict[str, Any]]:
    """Everyone signed in (but the stranger), and a pool of real buttons made for them."""
    for user, (role, org) in ROLES.items():
        await bot.send(user, f"/start {invitation_code(registry, role, now=NOW, **org)}")
    for user, command in ((CARE, "/leerlingen"), (CARE, "/dossier Sanne"), (BOC, "/koppel Sanne"),
                          (ADMIN, "/intrekken"), (ADMIN, "/gebruikers"), (CARE, "Sanne 2 uur ziek"),
                          (SWV, "/agenda")):  # fmt: skip
        await bot.send(user, command)
    return [
        {"chat": call.chat_id, "message": call.result, "data": button["callback_data"]}
        for call in telegram.calls
        if call.result and isinstance(call.result, dict) and "message_id" in call.result
        for button in call.buttons
        if button.get("callback_data")
    ]


def _replies(calls: list[ApiCall], user: TgUser) -> list[ApiCall]:
    return [c for c in calls if c.chat_id == user.id or c.method == "answerCallbackQuery"]


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(event=inputs)
async def test_random_input_never_breaks_writes_or_goes_unanswered(
    event: Send | Press | Upload, bot: BotHarness, telegram: FakeTelegram, engine: Engine,
    world: list[dict[str, Any]], caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.ERROR)
    caplog.clear()
    user = event.user
    if isinstance(event, Press) and not any(
        c.method == "sendMessage" and c.chat_id == user.id for c in telegram.calls
    ):
        await bot.send(user, "/help")  # a message of the bot's in this user's chat to press on
    before = _digest(engine)
    mark = len(telegram.calls)
    if isinstance(event, Send):
        await bot.handled(telegram.push_message(user, event.text))
    elif isinstance(event, Upload):
        await bot.handled(telegram.push_document(
            user, file_name=event.file_name, mime_type=event.mime_type,
            content=b"%PDF-1.4 fuzz", claimed_size=event.size, caption=event.caption,
        ))  # fmt: skip
    else:
        data = event.data
        own = [
            c.result for c in telegram.calls if c.method == "sendMessage" and c.chat_id == user.id
        ]
        message = own[-1]
        if data.startswith("replay:"):
            # Somebody else's button (never the admin's own: their presses are real actions).
            pool = [b for b in world if b["chat"] != user.id]
            if user is ADMIN or not pool:
                return
            number = int(data.split(":")[1])
            chosen = pool[number % len(pool)]
            # Under the message it was made for (another chat), or copied under one's own.
            data = chosen["data"]
            message = chosen["message"] if number % 2 else message
        await bot.handled(telegram.push_callback(user, message, data))
    calls = telegram.calls[mark:]

    assert [r.getMessage() for r in caplog.records] == []  # no unhandled exception
    assert _digest(engine) == before  # rejected input wrote nothing
    replies = _replies(calls, user)
    assert replies, f"no answer to {event!r}"
    language = "en" if user is SWV else "nl"
    foreign = _foreign_texts(language)
    for reply in replies:
        text = str(reply.params.get("text") or reply.params.get("caption") or "")
        assert text not in foreign, f"answered in the wrong language: {text!r}"
        assert "Sorry, something went wrong" not in text
        assert "Sorry, er ging bij mij iets mis" not in text
