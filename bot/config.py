"""Settings from the environment and `.env` (see `.env.example`); built once in `main()`."""

from __future__ import annotations

import json
import re
from datetime import time
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.protocol.rules import ProtocolSettings
from bot.storage.crypto import DataKeyError, KeyRing
from bot.storage.db import sqlite_path

# BotFather tokens look like "123456789:AAE...": a numeric bot id, a colon, a 35-character secret.
# Anything else (including the placeholder in .env.example) is refused before we talk to Telegram.
_TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")

DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"
# Where the bot's own web pages live on its web server (the Mini App, the browser pages).
WEB_PREFIX = "/app"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line a person can act on."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    # A project default of the protocol is set as PROTOCOL__<NAME>, e.g. PROTOCOL__GEEN_ACTIE_DAYS.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_nested_delimiter="__"
    )

    bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_DATABASE_URL
    bot_locale: Literal["nl", "en"] = "nl"
    bot_timezone: str = "Europe/Amsterdam"
    invite_valid_days: int = Field(default=7, ge=1, le=90)
    default_work_start: time = time(8, 0)
    default_work_end: time = time(18, 0)
    # Telegram posts updates to WEBHOOK_URL; the web server (WEB_LISTEN/WEB_PORT) receives them
    # at that address's path. WEBHOOK_LISTEN and WEBHOOK_PORT are no longer used (a warning says
    # so at start when they are set).
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # Where the bot's own web pages listen (the Mini App, the browser pages, /healthz; the local
    # trial's chat page). WEB_BASE_URL is their public https address, behind a TLS proxy.
    web_listen: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_base_url: str | None = None
    web_session_minutes: int = Field(default=30, ge=5, le=720)
    # Encryption of personal data at rest; see PRIVACY.md and `python -m bot key --help`.
    data_key: SecretStr | None = None
    data_keys_old: SecretStr | None = None
    retention_months: int = Field(default=24, ge=1, le=240)
    inactive_days: int = Field(default=90, ge=7, le=3650)
    messages_per_minute: int = Field(default=20, ge=1, le=1000)
    # Files kept with one pupil's cases, all together (MB): a full dossier refuses more.
    upload_quota_mb: int = Field(default=200, ge=1, le=100_000)
    log_format: Literal["text", "json"] = "text"
    # DEBUG adds the libraries' and the bot's detail (still without personal data).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The Host names under which /metrics answers (a scraper on this machine by default).
    metrics_hosts: str = "localhost,127.0.0.1,::1"
    # The TLS proxy in front of the pages (addresses or networks): what it forwards for, in
    # X-Forwarded-For, is the client. Anyone else's X-Forwarded-For is ignored.
    web_proxies: str = "127.0.0.1,::1"
    protocol: ProtocolSettings = Field(default_factory=ProtocolSettings)

    @field_validator("bot_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("protocol", mode="before")
    @classmethod
    def _dates_as_json(cls, value: object) -> object:
        # A nested variable is not decoded as JSON: PROTOCOL__OVERLEG_DATES=[[10, 1], [4, 1]].
        if isinstance(value, dict):
            return {
                key: json.loads(item) if isinstance(item, str) and item.startswith("[") else item
                for key, item in value.items()
            }
        return value

    @field_validator("bot_token")
    @classmethod
    def _empty_token_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        found = re.match(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[\w.-][\w./-]*)$", value)
        path = found.group(2).rstrip("/") if found else ""
        if not path or path.startswith((WEB_PREFIX, "/healthz")):
            raise ValueError(
                "expected the https address Telegram posts updates to, with a path of its own, "
                "like https://thuiszitbot.example.nl/telegram"
            )
        return value

    def webhook_path(self) -> str | None:
        """Where the web server receives Telegram's updates: WEBHOOK_URL's path."""
        if self.webhook_url is None:
            return None
        return "/" + self.webhook_url.split("://", 1)[1].split("/", 1)[1].rstrip("/")

    @field_validator("web_base_url")
    @classmethod
    def _public_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        local = re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$", value)
        if not (local or re.match(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[\w./-]*)?$", value)):
            raise ValueError(
                "expected the pages' public https address, like https://thuiszitbot.example.nl"
            )
        return value

    def web_root(self) -> str:
        """Where people open the pages: WEB_BASE_URL, else this computer's own address."""
        if self.web_base_url is not None:
            return self.web_base_url
        host = "127.0.0.1" if self.web_listen in ("0.0.0.0", "::", "") else self.web_listen
        return f"http://{host}:{self.web_port}"

    def mini_app_url(self, page: str) -> str | None:
        """The Mini App's address that opens `page` (a path under /app) after signing in; None
        when the pages are not public (no WEB_BASE_URL), so the chat cannot open them."""
        if self.web_base_url is None:
            return None
        target = quote(WEB_PREFIX + page, safe="/")
        return f"{self.web_base_url}{WEB_PREFIX}/start?next={target}"

    @property
    def tz(self) -> ZoneInfo:
        """The bot's time zone as a tzinfo."""
        return ZoneInfo(self.bot_timezone)

    @field_validator("web_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        for name in value.split(","):
            if name.strip():
                try:
                    ip_network(name.strip(), strict=False)
                except ValueError:
                    raise ValueError(
                        f"expected addresses or networks, like 127.0.0.1 or 172.30.0.0/24: {name}"
                    ) from None
        return value

    def proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """The proxies whose X-Forwarded-For names the client (WEB_PROXIES)."""
        return tuple(
            ip_network(name.strip(), strict=False)
            for name in self.web_proxies.split(",")
            if name.strip()
        )

    def metrics_host_names(self) -> frozenset[str]:
        """The Host names (without port) under which /metrics answers."""
        return frozenset(
            name.strip().strip("[]") for name in self.metrics_hosts.split(",") if name.strip()
        )

    def require_token(self) -> str:
        """Return the bot token, or raise ConfigError when it is missing or not a real token."""
        if self.bot_token is None:
            raise ConfigError(
                "BOT_TOKEN is not set: put the token from @BotFather in the environment or in .env"
            )
        token = self.bot_token.get_secret_value().strip()
        if not _TOKEN_PATTERN.match(token):
            raise ConfigError(
                "BOT_TOKEN is malformed: expected the token from @BotFather, like 123456789:AAE…"
            )
        return token

    def key_ring(self) -> KeyRing:
        """The key ring from DATA_KEY (and DATA_KEYS_OLD); ConfigError when there is none."""
        if self.data_key is None or not self.data_key.get_secret_value().strip():
            raise ConfigError(
                "DATA_KEY is not set: personal data is stored encrypted with it. Create one with "
                "`python -m bot key generate` and keep a copy somewhere safe"
            )
        old = self.data_keys_old.get_secret_value().split(",") if self.data_keys_old else []
        try:
            return KeyRing.from_text(self.data_key.get_secret_value(), old)
        except DataKeyError as error:
            raise ConfigError(f"DATA_KEY or DATA_KEYS_OLD is malformed: {error}") from None

    def sqlite_path(self) -> Path | None:
        """The database file when DATABASE_URL is a SQLite file URL, else None."""
        return sqlite_path(self.database_url)


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one readable ConfigError."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "__".join(str(part) for part in first["loc"]).upper() or "settings"
        message = first["msg"]
        # ProtocolSettings checks its values together; its message starts with the field's name.
        field = re.fullmatch(r"Value error, (\w+):? (.*)", message) if name == "PROTOCOL" else None
        if field is not None:
            name, message = f"PROTOCOL__{field[1].upper()}", field[2]
        raise ConfigError(f"{name}: {message}") from None
