"""Settings from the environment."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATABASE_URL, ConfigError, Settings, load_settings
from bot.protocol.rules import DEFAULT_SETTINGS
from bot.storage.db import sqlite_path
from bot.web.server import forwarded_client

GOOD_TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ("BOT_TOKEN", "DATABASE_URL", "BOT_LOCALE", "BOT_TIMEZONE", "TELEGRAM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///data/bot.db"
    assert settings.bot_locale == "nl"
    assert settings.tz.key == "Europe/Amsterdam"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.invite_valid_days == 7


def test_values_come_from_the_environment_and_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={GOOD_TOKEN}\nBOT_LOCALE=en\n")  # type: ignore[operator]
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.require_token() == GOOD_TOKEN
    assert settings.bot_locale == "en"
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "BOT_TOKEN is not set"),
        ("", "BOT_TOKEN is not set"),
        ("   ", "BOT_TOKEN is not set"),
        ("your-token-here", "BOT_TOKEN is malformed"),
        ("123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", None),
        ("12345:short", "BOT_TOKEN is malformed"),
        ("abc:AAEabcdefghijklmnopqrstuvwxyz0123456", "BOT_TOKEN is malformed"),
    ],
)
def test_require_token(token: str | None, message: str | None) -> None:
    settings = Settings(_env_file=None, bot_token=token)  # type: ignore[call-arg]
    if message is None:
        assert settings.require_token() == token
    else:
        with pytest.raises(ConfigError, match=message):
            settings.require_token()


def test_unknown_time_zone_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TIMEZONE", "Europe/Nowhere")
    with pytest.raises(ConfigError, match=r"BOT_TIMEZONE: .*unknown time zone 'Europe/Nowhere'"):
        load_settings()


def test_unsupported_locale_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LOCALE", "de")
    with pytest.raises(ConfigError, match="BOT_LOCALE"):
        load_settings()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///data/bot.db", "data/bot.db"),
        ("sqlite:////var/lib/bot.db", "/var/lib/bot.db"),
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
        ("postgresql+psycopg://u@localhost/bot", None),
    ],
)
def test_sqlite_path(url: str, path: str | None) -> None:
    result = sqlite_path(url)
    assert (str(result) if result else None) == path


def test_the_protocols_project_defaults_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().protocol == DEFAULT_SETTINGS
    monkeypatch.setenv("PROTOCOL__GEEN_ACTIE_DAYS", "14")
    monkeypatch.setenv("PROTOCOL__LATE_ARRIVAL_HOURS", "0.5")
    monkeypatch.setenv("PROTOCOL__VERIFICATION_DATES", "[[9, 15], [1, 15]]")
    protocol = load_settings().protocol
    assert protocol.geen_actie_days == 14
    assert protocol.late_arrival_hours == 0.5
    assert protocol.verification_dates == ((9, 15), (1, 15))
    assert protocol.weekly_hours_po == DEFAULT_SETTINGS.weekly_hours_po


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PROTOCOL__GEEN_ACTIE_DAYS", "0"),
        ("PROTOCOL__GEEN_ACTIE_DAYS", "vier weken"),
        ("PROTOCOL__LATE_ARRIVAL_HOURS", "-1"),
        ("PROTOCOL__MONTHLY_OVERVIEW_DAY", "31"),
        ("PROTOCOL__OVERLEG_DATES", "[[2, 30]]"),
    ],
)
def test_a_wrong_project_default_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=rf"^{name}: "):
        load_settings()


DOCKER = "172.30.0.0/24"  # the compose file's network, where Caddy is 172.30.0.10


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "client"),
    [
        # The default: a proxy on this machine.
        ("127.0.0.1,::1", "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # Only the proxy's own entry counts: earlier ones the client may have written itself.
        ("127.0.0.1,::1", "127.0.0.1", "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        ("127.0.0.1,::1", "::1", "2001:db8::1", "2001:db8::1"),
        ("127.0.0.1,::1", "127.0.0.1", "", "127.0.0.1"),
        # Not through the proxy: the header is anyone's words.
        ("127.0.0.1,::1", "203.0.113.5", "10.0.0.1", "203.0.113.5"),
        # The compose setup: Caddy on the containers' network.
        (DOCKER, "172.30.0.10", "198.51.100.7", "198.51.100.7"),
        (DOCKER, "127.0.0.1", "198.51.100.7", "127.0.0.1"),
        (DOCKER, "172.31.0.2", "198.51.100.7", "172.31.0.2"),
        (DOCKER, "", "198.51.100.7", ""),
    ],
)
def test_the_client_behind_the_proxy(
    monkeypatch: pytest.MonkeyPatch, proxies: str, peer: str, forwarded: str, client: str
) -> None:
    monkeypatch.setenv("WEB_PROXIES", proxies)
    assert forwarded_client(peer, forwarded, load_settings().proxy_networks()) == client


def test_a_proxy_that_is_no_address_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_PROXIES", "127.0.0.1,caddy")
    with pytest.raises(ConfigError, match=r"^WEB_PROXIES: .*caddy"):
        load_settings()
