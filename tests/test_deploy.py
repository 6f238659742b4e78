"""The container setup of the README ("Run it for real"), tried without a Docker engine: the
files the Dockerfile copies install as the image installs them and the bot runs from them;
compose's own checker accepts compose.yaml; Caddy's accepts the Caddyfile; and the three agree
with the bot's settings. (`.ci/run` also builds the image where a Docker engine runs.)"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Settings
from bot.web.server import MAX_REQUEST

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "BOT_TOKEN": "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456",
    "DATA_KEY": "the key",
    "POSTGRES_PASSWORD": "abc123",
    "THUISZITBOT_DOMAIN": "thuiszitbot.example.nl",
}


def _dockerfile() -> list[list[str]]:
    """The Dockerfile's instructions, continuation lines joined, as words."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.split() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _copied() -> list[str]:
    return [source for words in _dockerfile() if words[0] == "COPY" for source in words[1:-1]]


def _image_env() -> dict[str, str]:
    found = {}
    for words in _dockerfile():
        if words[0] == "ENV":
            found |= dict(word.split("=", 1) for word in words[1:])
    return found


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _tool(*names: str) -> list[str]:
    """The first of these commands that runs here (.ci/run installs them from Debian)."""
    for name in names:
        command = name.split()
        if (
            shutil.which(command[0])
            and subprocess.run([*command, "version"], capture_output=True, check=False).returncode
            == 0
        ):
            return command
    raise RuntimeError(f"none of {names} is installed: apt-get install docker-compose caddy")


def test_the_image_installs_what_it_copies_and_the_bot_runs_from_it(tmp_path: Path) -> None:
    src, site, data = tmp_path / "src", tmp_path / "site", tmp_path / "data"
    ignored = shutil.ignore_patterns("__pycache__", "*.mo")
    src.mkdir()
    for name in _copied():
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=ignored)
        else:
            shutil.copy2(ROOT / name, src / name)
    # As `pip install .` in the image, but offline: the build tools are the dev extras'.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(site), str(src)],
        check=True, capture_output=True,
    )  # fmt: skip
    data.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "DATABASE_URL": f"sqlite:///{data}/bot.db"}

    def bot(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=data, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=data, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(site))  # not this checkout
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert bot("--version").split()[-1] == version
    bot("db", "upgrade")  # the migrations are in the package
    assert "melden bij leerplicht" in bot("rules")  # and the Dutch catalog
    # The pages' templates and static files too.
    assert (site / "bot/web/templates/dossier.html").is_file()
    assert (site / "bot/web/static/web.css").is_file()
    assert (site / "bot/local/templates/trial_chat.html").is_file()


def test_the_image_lets_in_only_what_it_copies_and_never_a_secret() -> None:
    allowed = [line[1:].rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")]  # fmt: skip
    assert sorted(allowed) == sorted(_copied())
    assert (ROOT / ".dockerignore").read_text().splitlines()[1] == "*"
    assert not {".env", "data"} & set(allowed)


def test_the_image_runs_as_its_own_user_with_a_health_check_on_its_port() -> None:
    instructions = {words[0]: words[1:] for words in _dockerfile()}
    assert instructions["USER"] == ["thuiszitbot"]
    check = " ".join(instructions["HEALTHCHECK"])
    assert f"http://127.0.0.1:{_image_env()['WEB_PORT']}/healthz" in check
    assert instructions["CMD"] == ['["run"]']
    Settings(**{k.lower(): v for k, v in _image_env().items() if k != "PYTHONUNBUFFERED"})


def test_compose_accepts_the_file_and_names_what_is_missing(tmp_path: Path) -> None:
    compose = _tool("docker compose", "docker-compose")
    shutil.copy2(ROOT / "compose.yaml", tmp_path)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    (tmp_path / "Dockerfile").touch()

    def config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        return subprocess.run(
            [*compose, "config"], cwd=tmp_path, capture_output=True, text=True, check=False,
            env={k: v for k, v in os.environ.items() if k not in ENV},
        )  # fmt: skip

    done = config(ENV)
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert set(resolved["services"]) == {"bot", "db", "caddy"}
    bot_env = resolved["services"]["bot"]["environment"]
    assert bot_env["DATABASE_URL"] == "postgresql+psycopg://thuiszitbot:abc123@db:5432/thuiszitbot"
    assert bot_env["WEB_BASE_URL"] == "https://thuiszitbot.example.nl"
    missing = config({k: v for k, v in ENV.items() if k != "POSTGRES_PASSWORD"})
    assert missing.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in missing.stderr


def test_the_bot_proxy_and_settings_agree() -> None:
    services = _compose()["services"]
    environment = services["bot"]["environment"]
    # The bot accepts compose's settings.
    settings = Settings(
        **{k.lower(): v for k, v in environment.items() if k != "DATABASE_URL" and "$" not in v}
    )
    # Caddy is the proxy whose X-Forwarded-For counts, inside the network it is given.
    caddy = ipaddress.ip_address(services["caddy"]["networks"]["internal"]["ipv4_address"])
    [subnet] = _compose()["networks"]["internal"]["ipam"]["config"]
    assert caddy in ipaddress.ip_network(subnet["subnet"])
    assert any(caddy in network for network in settings.proxy_networks())
    assert "bot" in settings.metrics_host_names()  # a scraper on the network
    assert services["bot"]["stop_grace_period"] == "30s"


@pytest.fixture
def caddy_config() -> dict[str, Any]:
    """The Caddyfile as Caddy reads it (its JSON), for the compose file's domain."""
    done = subprocess.run(
        [*_tool("caddy"), "adapt", "--config", str(ROOT / "deploy/Caddyfile"),
         "--adapter", "caddyfile"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "THUISZITBOT_DOMAIN": ENV["THUISZITBOT_DOMAIN"]},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert isinstance(loaded, dict)
    return loaded


def test_caddy_serves_the_domain_from_the_bot_and_hides_metrics(
    caddy_config: dict[str, Any],
) -> None:
    [route] = caddy_config["apps"]["http"]["servers"]["srv0"]["routes"]
    assert route["match"] == [{"host": [ENV["THUISZITBOT_DOMAIN"]]}]
    handlers = {
        handler["handler"]: (handler, inner.get("match"))
        for inner in route["handle"][0]["routes"]
        for handler in inner["handle"]
    }
    body, _ = handlers["request_body"]
    assert body["max_size"] == MAX_REQUEST  # a 10 MB file and its form, as the bot accepts
    proxy, _ = handlers["reverse_proxy"]
    port = _compose()["services"]["bot"]["environment"]["WEB_PORT"]
    assert proxy["upstreams"] == [{"dial": f"bot:{port}"}]
    hidden, where = handlers["static_response"]
    assert (hidden["status_code"], where) == (404, [{"path": ["/metrics"]}])
