"""`make run` on a fresh clone, with no token and no .env: the local trial, within 30 seconds."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.__main__ import main
from bot.local.botapi import TOKEN
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.demo import add_sample_region
from tests.utils.factories import NOW, organisations
from tests.utils.process import bot_process, free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


async def test_run_without_a_token_opens_the_local_trial_on_the_day_asked(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("BOT_TOKEN", "DATA_KEY", "DATABASE_URL", "DATA_KEYS_OLD")}  # fmt: skip
    env |= {"WEB_PORT": str(port), "PYTHONPATH": str(ROOT)}
    (tmp_path / ".env.example").write_text((ROOT / ".env.example").read_text())
    said: list[str] = []
    async with bot_process(
        "run", "--today", "2027-03-15", env=env, cwd=tmp_path, stderr=asyncio.subprocess.DEVNULL
    ) as process:
        assert process.stdout is not None
        async with asyncio.timeout(30):
            while not said or "/chat" not in said[-1]:
                line = await process.stdout.readline()
                assert line, f"the bot ended early: {said}"
                said.append(line.decode().rstrip())
        status, page = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/chat")
        _, people = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/chat/api/people")
        # The token in the source (the tests') does not open this trial's Bot API: it has a
        # secret one of its own.
        with pytest.raises(urllib.error.HTTPError) as refused:
            await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), timeout=10)

    assert said == [
        "Er staat een nieuwe DATA_KEY in .env (ook de lokale proef heeft er een nodig).",
        "De voorbeeldregio is toegevoegd: 40 verzonnen leerlingen, één persoon per rol.",
        f"Lokale proef, zonder Telegram: open http://127.0.0.1:{port}/chat in je browser. "
        "Stoppen met Ctrl-C. Vandaag is het 15 maart 2027 in deze proef.",
    ]
    assert re.search(r"^DATA_KEY=\S{40,}$", (tmp_path / ".env").read_text(), re.MULTILINE)
    assert status == 200
    assert b"lokale proef" in page
    assert len(json.loads(people)) == 6  # one per role, and a newcomer
    assert refused.value.code == 401
    assert returncode == 0


def test_demo_data_fills_an_empty_database_once(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-data"]) == 0
    assert capsys.readouterr().out == (
        "De voorbeeldregio is toegevoegd: 40 verzonnen leerlingen, één persoon per rol.\n"
    )

    assert main(["demo-data"]) == 1
    assert capsys.readouterr().err == (
        "error: De database bevat al organisaties: de voorbeeldregio komt alleen in een lege "
        "database.\n"
    )


def test_the_real_bot_refuses_the_trial_database(
    cli_env: str, session: Session, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_sample_region(session, now=NOW, settings=PROTOCOL)
    monkeypatch.setenv("BOT_TOKEN", "123456789:AAE" + "x" * 32)

    assert main(["run"]) == 2
    assert "fictitious sample region" in capsys.readouterr().err


def test_the_trial_refuses_a_database_with_other_data(
    cli_env: str, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    organisations(session)

    assert main(["run", "--local"]) == 2
    assert "only on a new database" in capsys.readouterr().err
