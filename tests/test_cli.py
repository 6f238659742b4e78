"""The command line: `python -m bot …`."""

from __future__ import annotations

import asyncio
import importlib.metadata
import io
import json
import os
import re
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import insert
from sqlmodel import Session, col, select

from bot.__main__ import main
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.reminders.nudges import recipient_index, recipients
from bot.services.importing import import_csv
from bot.services.onboarding import hash_code, redeem_invitation
from bot.storage.models import DeadlineRow, Gemeente, Invitation, Nudge, School, Swv, User
from tests.utils.datasets import pupil_row, pupils_csv
from tests.utils.factories import organisations
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.process import bot_process, by_webhook, free_port, telegram_env

WEBHOOK_SECRET = "a-secret-of-our-own"


def _org_setup() -> None:
    assert main(["org", "add", "swv", "SWV Rijn en Gouwe"]) == 0
    assert main(["org", "add", "bestuur", "Stichting Bolder", "--swv", "SWV Rijn en Gouwe"]) == 0
    assert main(["org", "add", "gemeente", "Gouda", "--swv", "SWV Rijn en Gouwe"]) == 0
    assert (
        main(
            [
                "org", "add", "school", "12ab", "De Regenboog",
                "--type", "PO", "--regio", "midden", "--bestuur", "Stichting Bolder",
            ]
        )
        == 0
    )  # fmt: skip


def test_org_add_and_list(cli_env: str, capsys: pytest.CaptureFixture[str], engine: object) -> None:
    _org_setup()
    capsys.readouterr()

    assert main(["org", "list"]) == 0

    # Nobody is invited yet: each organisation says who is missing to receive its deadlines.
    assert capsys.readouterr().out.splitlines() == [
        "swv: SWV Rijn en Gouwe  ⚠ geen medewerker van het samenwerkingsverband, geen "
        "functioneel beheerder van het samenwerkingsverband",
        "  bestuur: Stichting Bolder  ⚠ geen bovenschools ondersteuningscoördinator (BOC-er)",
        "    school: De Regenboog  [12AB PO midden]  ⚠ geen zorgcoördinator",
        "  gemeente: Gouda  ⚠ geen leerplichtambtenaar",
        "⚠: niemand ontvangt de termijnen van die rol hier; nodig iemand uit met "
        "python -m bot invite.",
    ]
    assert main(["invite", "--role", "leerplicht", "--gemeente", "Gouda"]) == 0
    code = capsys.readouterr().out.splitlines()[-1]
    with Session(engine) as session:  # type: ignore[arg-type]
        redeem_invitation(session=session, code=code, telegram_id=5, display_name="Lea",
                          language="nl", now=datetime.now(ZoneInfo("UTC")),
                          work_start=time_of_day(8), work_end=time_of_day(18))  # fmt: skip
        session.commit()
    assert main(["org", "list"]) == 0
    assert "  gemeente: Gouda" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["org", "add", "swv", "SWV Rijn en Gouwe"], "error: SWV Rijn en Gouwe is al geregistreerd."),
        (["org", "add", "bestuur", "B", "--swv", "Nope"], "error: Er is geen swv met de naam Nope."),
        (
            ["org", "add", "school", "XYZ", "S", "--type", "PO", "--regio", "zuid", "--bestuur", "Stichting Bolder"],
            "error: XYZ is geen BRIN-nummer (zoals 12AB of 12AB00).",
        ),
        (
            ["invite", "--role", "zorgcoordinator", "--bestuur", "Stichting Bolder"],
            "error: Een uitnodiging voor zorgcoordinator heeft --school nodig.",
        ),
        (
            ["invite", "--role", "zorgcoordinator", "--school", "99ZZ"],
            "error: Er is geen school met de naam 99ZZ.",
        ),
        (
            ["invite", "--role", "admin", "--swv", "SWV Rijn en Gouwe", "--days", "0"],
            "error: --days moet tussen 1 en 90 liggen.",
        ),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_exit_1(
    cli_env: str, capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    _org_setup()
    capsys.readouterr()

    assert main(argv) == 1

    captured = capsys.readouterr()
    assert captured.err.splitlines() == [error]


def test_invite_prints_the_bare_code_last(
    cli_env: str, capsys: pytest.CaptureFixture[str], session: Session
) -> None:
    _org_setup()
    capsys.readouterr()

    assert main(["invite", "--role", "zorgcoordinator", "--school", "12AB"]) == 0

    lines = capsys.readouterr().out.splitlines()
    # The role in the words the chat uses.
    assert lines[0].startswith(
        "Uitnodiging voor zorgcoördinator bij De Regenboog, geldig tot en met"
    )
    code = lines[-1]
    stored = session.exec(select(Invitation).where(Invitation.code_hash == hash_code(code))).one()
    school = session.exec(select(School).where(School.brin == "12AB")).one()
    assert (stored.role, stored.school_id, stored.used_at) == ("zorgcoordinator", school.id, None)
    assert stored.expires_at - stored.created_at == __import__("datetime").timedelta(days=7)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("placeholder", "error: BOT_TOKEN is malformed: expected the token from @BotFather, like 123456789:AAE…"),
    ],
)  # fmt: skip
def test_run_without_a_good_token_is_one_line_and_exit_2(
    cli_env: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    token: str | None,
    message: str,
) -> None:
    if token is not None:
        monkeypatch.setenv("BOT_TOKEN", token)

    assert main([]) == 2
    assert main(["run"]) == 2

    assert capsys.readouterr().err.splitlines() == [message, message]


def test_a_database_that_cannot_be_written_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'a-file' / 'bot.db'}")
    monkeypatch.setenv("BOT_TOKEN", "123456789:AAEabcdefghijklmnopqrstuvwxyz012345")

    assert main(["run"]) == 2
    assert main(["db", "upgrade"]) == 2

    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("error: the database cannot be opened or written") for line in lines)


def test_db_upgrade(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == "Het databaseschema is bijgewerkt."


@pytest.mark.parametrize(
    "command", [["org", "list"], ["agenda"], ["user", "list"], ["report", "quarterly"]]
)
def test_a_command_does_not_make_a_database_that_is_not_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:  # fmt: skip
    # A mistyped DATABASE_URL: reporting on an empty database made on the spot would be wrong.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'typo' / 'bot.db'}")

    assert main(command) == 2

    assert capsys.readouterr().err.startswith("error: there is no database at ")
    assert not (tmp_path / "typo").exists()


def test_default_sqlite_database_folder_is_created(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert main(["db", "upgrade"]) == 0

    assert (tmp_path / "data" / "bot.db").is_file()


@pytest.mark.parametrize(("level", "info_shown"), [(None, True), ("WARNING", False)])
def test_log_level_decides_what_is_logged(
    tmp_path: Path, level: str | None, info_shown: bool
) -> None:
    # A fresh database: its migrations are logged at INFO ("Running upgrade …").
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "LOG_FORMAT": "json"}
    env.pop("LOG_LEVEL", None)
    if level is not None:
        env["LOG_LEVEL"] = level
    done = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert ('"level": "INFO"' in done.stderr) is info_shown, done.stderr[-300:]


def test_version_is_the_installed_one() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "--version"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.strip() == f"python -m bot {importlib.metadata.version('thuiszitbot')}"


def test_console_script_and_module_help() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("run", "db", "org", "invite"):
        assert command in module.stdout
    script = Path(sys.executable).parent / "thuiszitbot"
    console = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert module.stdout.startswith("usage: python -m bot ")
    assert console.stdout == module.stdout.replace("python -m bot", "thuiszitbot", 1)


async def test_run_answers_start_code_in_dutch_and_stops_on_sigterm(
    cli_env: str, telegram: FakeTelegram, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The README's run command against a Bot API server given by TELEGRAM_BASE_URL."""
    _org_setup()
    assert main(["invite", "--role", "zorgcoordinator", "--school", "12AB"]) == 0
    code = capsys.readouterr().out.splitlines()[-1]
    async with bot_process("run", env=telegram_env(telegram), cwd=tmp_path) as process:
        anne = TgUser(401, "Anne", "nl")
        telegram.push_message(anne, f"/start {code}")
        welcome = await telegram.wait_for_call("sendMessage", anne.id, limit=60)
        assert welcome.text.startswith(
            "Welkom! Je bent aangemeld als zorgcoördinator bij De Regenboog."
        )
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), timeout=5)
    assert returncode == 0
    assert process.stderr is not None
    log = (await process.stderr.read()).decode()
    assert telegram.token not in log
    assert code not in log


async def test_with_a_webhook_the_updates_arrive_on_the_pages_server(
    cli_env: str,
    registry: Session,
    telegram: FakeTelegram,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """WEBHOOK_URL set: the bot sets the webhook with its secret, and the web server that serves
    the pages receives the updates at that address's path; one process, one port."""
    assert main(["invite", "--role", "zorgcoordinator", "--school", "12AB"]) == 0
    code = capsys.readouterr().out.splitlines()[-1]
    port = free_port()
    env = telegram_env(telegram) | {
        "WEB_PORT": str(port), "WEBHOOK_URL": "https://bot.example.org/telegram/updates",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
    }  # fmt: skip
    async with bot_process("run", env=env, cwd=tmp_path) as process:
        # Started: the webhook set with the secret (after the commands, as post_init ran).
        await telegram.wait_for_call("setWebhook", None, limit=60)
        assert telegram.webhook == (
            "https://bot.example.org/telegram/updates",
            WEBHOOK_SECRET,
        )
        assert telegram.commands
        anne = TgUser(401, "Anne", "nl")
        telegram.push_message(anne, f"/start {code}")
        [update] = telegram.take_pending()
        address = f"http://127.0.0.1:{port}/telegram/updates"
        async with aiohttp.ClientSession() as client:
            forged = await client.post(address, json=update)
            assert forged.status == 403
            wrong = await client.post(
                address, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
            assert wrong.status == 403
            sent = await client.post(
                address, json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
            )  # fmt: skip
            assert sent.status == 200
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status == 200
        welcome = await telegram.wait_for_call("sendMessage", anne.id, limit=60)
        assert welcome.text.startswith("Welkom! Je bent aangemeld als zorgcoördinator")
        assert len([c for c in telegram.calls if c.method == "sendMessage"]) == 1
        # A button pressed arrives by webhook too, its data resolved as with polling.
        mark = len(telegram.calls)
        telegram.push_message(anne, "Sanne 2 uur ongeoorloofd vandaag")
        await by_webhook(telegram, address, WEBHOOK_SECRET)
        question = await telegram.wait_for_call("sendMessage", anne.id, after=mark, limit=60)
        [save] = [b["callback_data"] for b in question.buttons if b["text"] == "Opslaan"]
        mark = len(telegram.calls)
        telegram.push_callback(anne, question.result, save)
        await by_webhook(telegram, address, WEBHOOK_SECRET)
        saved = await telegram.wait_for_call("editMessageText", anne.id, after=mark, limit=60)
        assert saved.text.startswith("Opgeslagen:")
        assert not [c for c in telegram.calls if c.method == "getUpdates"]
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), timeout=10)
    assert returncode == 0
    assert process.stderr is not None
    log = (await process.stderr.read()).decode()
    assert log.rstrip().endswith(": stopped"), log
    assert WEBHOOK_SECRET not in log
    assert code not in log


async def test_a_second_sigterm_while_stopping_does_not_break_off_the_shutdown(
    cli_env: str, telegram: FakeTelegram, tmp_path: Path
) -> None:
    """`make run` stopped with SIGTERM: make passes its own on, so the bot often gets two."""
    log: list[str] = []
    async with bot_process(
        "run", env=telegram_env(telegram), cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL
    ) as process:
        assert process.stderr is not None

        async def read_until(words: str) -> None:
            while not log or words not in log[-1]:
                line = await asyncio.wait_for(process.stderr.readline(), timeout=60)  # type: ignore[union-attr]
                assert line, f"the bot ended before {words!r}: {log}"
                log.append(line.decode())

        await read_until("Application started")
        process.send_signal(signal.SIGTERM)
        await read_until("Application is stopping")
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), timeout=10)
    log += (await process.stderr.read()).decode().splitlines(keepends=True)

    assert returncode == 0
    assert "never awaited" not in "".join(log)
    assert any("Application.stop() complete" in line for line in log), log
    assert log[-1].rstrip().endswith(": stopped"), log


def test_import_reports_every_bad_row_with_line_and_column(
    cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, session: Session
) -> None:

    rows = [pupil_row(n) for n in range(4)]
    rows[1] |= {"geboortedatum": "2099-01-01"}
    rows[2] |= {"onderwijssoort": "MBO"}
    path = tmp_path / "leerlingen.csv"
    path.write_text(pupils_csv(rows), encoding="utf-8")

    assert main(["import", str(path)]) == 1

    assert capsys.readouterr().err.splitlines() == [
        "regel 3, kolom geboortedatum: Die datum ligt in de toekomst. Schrijf de geboortedatum "
        "met het jaar, zoals 15-03-2015.",
        "regel 4, kolom onderwijssoort: geen van de toegestane waarden (MBO)",
        "error: er is niets geïmporteerd vanwege 2 fouten.",
    ]
    from bot.storage.models import Pupil

    assert session.exec(select(Pupil)).all() == []


def test_import_then_reimport(
    cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.utils.datasets import standard_pupils

    path = tmp_path / "leerlingen.csv"
    path.write_text(standard_pupils(20), encoding="utf-8-sig")  # with a BOM, as Excel writes

    assert main(["import", str(path)]) == 0
    assert main(["import", str(path)]) == 0

    first, *overdue, again = capsys.readouterr().out.splitlines()
    assert first == (
        "20 regels geïmporteerd: 20 nieuwe leerlingen, 0 bijgewerkt, 18 nieuwe dossiers, "
        "0 dossiers bijgewerkt, 0 ongewijzigd."
    )
    # The standard cases start in 2026: what fell due before today is said, counted (the count
    # depends on the day the test runs); importing again changes nothing and says nothing more.
    assert overdue
    assert all(
        re.fullmatch(r"\d+ termijnen? (waren|was) (al verlopen|lang geleden).*\.", line)
        for line in overdue
    ), overdue
    assert again == (
        "20 regels geïmporteerd: 0 nieuwe leerlingen, 0 bijgewerkt, 0 nieuwe dossiers, "
        "0 dossiers bijgewerkt, 20 ongewijzigd."
    )


def test_import_of_a_missing_or_binary_file(
    cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["import", str(tmp_path / "nope.csv")]) == 1
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10)
    assert main(["import", str(binary)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"error: kan {tmp_path / 'nope.csv'} niet lezen"
    assert err[-1] == "error: er is niets geïmporteerd vanwege 1 fout."


def test_agenda_text_and_json(
    cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.utils.datasets import standard_pupils

    path = tmp_path / "leerlingen.csv"
    path.write_text(standard_pupils(3), encoding="utf-8")
    assert main(["import", str(path)]) == 0
    summary = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"\d+ termijnen waren al verlopen \(achterstand\): `agenda` toont ze, en wie ze krijgt "
        r"hoort het in één bericht\.",
        summary[1],
    )

    # Imported today, the January deadlines were long past; the cases are open, so they are
    # achterstand: in the agenda, overdue, not history.
    assert main(["agenda", "--as-of", "2026-02-01", "--days", "10"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["Datum", "Regel", "Leerling", "Voor", "Status"]
    assert any("VIER_WEKEN_VERZUIM" in line and "L00000" in line and "30 januari 2026" in line
               and line.endswith("verlopen") for line in table)  # fmt: skip

    assert main(["agenda", "--as-of", "2026-02-10", "--days", "10", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    # Open 7 working days after its due date, but the bot learned of it only on the import
    # day: the ladder counts from then, so nobody was added yet.
    assert {"leerling_id": "L00000", "rule": "VIER_WEKEN_VERZUIM", "due": "2026-01-30",
            "recipients": ["zorgcoordinator", "boc", "swv", "leerplicht"], "status": "overdue",
            "escalated_to": []} in items  # fmt: skip
    assert all(
        set(item) == {"leerling_id", "rule", "due", "recipients", "status", "escalated_to"}
        for item in items
    )


def test_agenda_refuses_bad_arguments(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["agenda", "--as-of", "1-3-2027"])
    assert exit_info.value.code == 2
    assert "not a date (YYYY-MM-DD): '1-3-2027'" in capsys.readouterr().err
    assert main(["agenda", "--days", "-1"]) == 1


def test_a_school_closure_day_moves_the_deadlines(
    cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tests.utils.datasets import standard_pupils

    path = tmp_path / "leerlingen.csv"
    path.write_text(standard_pupils(1), encoding="utf-8")
    assert main(["import", str(path)]) == 0
    assert main(["org", "closure", "12AB", "2026-01-12", "2026-01-13"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 sluitingsdagen toegevoegd."

    # Both imported and moved long after January: history, so --all.
    assert main(["agenda", "--as-of", "2026-02-01", "--days", "10", "--json", "--all"]) == 0
    items = json.loads(capsys.readouterr().out)
    four_weeks = [i["due"] for i in items if i["rule"] == "VIER_WEKEN_VERZUIM"]
    assert four_weeks == ["2026-02-03"]  # two school days later than 30 January
    assert main(["org", "closure", "12AB", "2026-01-13", "2026-01-12"]) == 1


def test_org_chat_cleanup_switches_the_swvs_choice(
    cli_env: str, capsys: pytest.CaptureFixture[str], session: Session
) -> None:
    _org_setup()
    capsys.readouterr()
    assert main(["org", "chat-cleanup", "SWV Rijn en Gouwe", "on"]) == 0
    assert capsys.readouterr().out == (
        "SWV Rijn en Gouwe: een bericht dat een leerling noemt, wordt na het opslaan uit de chat "
        "verwijderd (met WEB_BASE_URL ingesteld).\n"
    )
    swv = session.exec(select(Swv)).one()
    assert swv.clear_named_messages is True
    assert main(["org", "chat-cleanup", "SWV Rijn en Gouwe", "off"]) == 0
    assert capsys.readouterr().out == (
        "SWV Rijn en Gouwe: berichten die een leerling noemen, blijven in de chat staan.\n"
    )
    session.expire_all()
    assert session.exec(select(Swv)).one().clear_named_messages is False
    assert main(["org", "chat-cleanup", "SWV Onbekend", "on"]) == 1


async def test_sigterm_in_the_middle_of_a_large_batch_stops_within_5_seconds_losing_nothing(
    cli_env: str, telegram: FakeTelegram, session: Session, tmp_path: Path
) -> None:
    """A supervisor's SIGTERM while hundreds of nudges go out: the messages in flight are
    finished and recorded, the rest is left planned for the next start, and the process is gone
    well before a supervisor would kill it."""
    now = datetime.now(ZoneInfo("Europe/Amsterdam"))
    organisations(session)
    row = pupil_row(1) | {"categorie": "B1", "gemeente": "Gouda", "vrijstelling_artikel": "",
                          "vrijstelling_permanent": "",
                          "startdatum": (now.date() - timedelta(days=30)).isoformat()}  # fmt: skip
    result = import_csv(settings=PROTOCOL, session=session, stream=io.StringIO(pupils_csv([row])), today=now.date(),
                        now=now)  # fmt: skip
    assert result.ok, result.errors
    gouda = session.exec(select(Gemeente).where(Gemeente.name == "Gouda")).one()
    officers = 300
    session.execute(insert(User.__table__), [  # type: ignore[arg-type]
        {"telegram_id": 700_000 + n, "display_name": f"Officer {n}", "role": "leerplicht",
         "swv_id": gouda.swv_id, "gemeente_id": gouda.id, "school_id": None, "bestuur_id": None,
         "language": "nl", "work_start": time_of_day(0, 0), "work_end": time_of_day(23, 59),
         "active": True, "created_at": now}
        for n in range(officers)
    ])  # fmt: skip
    session.commit()
    index = recipient_index(session)
    ids = set(session.exec(select(User.id).where(User.role == "leerplicht")))
    # (Not the first check, 16 days overdue when imported: history, which is never nudged.)
    [deadline, *_] = [d for d in session.exec(select(DeadlineRow).where(
                          DeadlineRow.status == "open", col(DeadlineRow.history).is_(False)))
                      if ids <= set(recipients(d, index))]  # fmt: skip
    session.execute(insert(Nudge.__table__), [  # type: ignore[arg-type]
        {"key": f"batch:{uid}", "deadline_id": deadline.id, "user_id": uid, "kind": "due",
         "planned_at": now - timedelta(minutes=1), "status": "planned", "attempts": 0,
         "late": False, "created_at": now}
        for uid in ids
    ])  # fmt: skip
    session.commit()
    async with bot_process(
        "run", env=telegram_env(telegram), cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL, stderr=(tmp_path / "bot.log").open("w"),
    ) as process:  # fmt: skip
        await telegram.wait_for_received(30, limit=60)
        process.send_signal(signal.SIGTERM)
        stopping = asyncio.get_running_loop().time()
        returncode = await asyncio.wait_for(process.wait(), timeout=10)
        stopped_after = asyncio.get_running_loop().time() - stopping

    assert returncode == 0
    assert stopped_after < 5.0
    # The bot plans its own nudges for the same deadline at start; per person the newest is
    # sent and older ones are dropped, so the check is per person, over all their nudges.
    nudges = {n.id: n for n in session.exec(select(Nudge).where(col(Nudge.user_id).in_(ids)))}
    delivered = {
        int(b["callback_data"].split(":")[2])
        for call in telegram.calls
        if call.method in ("sendMessage", "sendDocument")  # a nudge may carry its draft report
        for b in call.buttons
        if b["callback_data"].startswith("n:d:")
    } & set(nudges)
    assert "sending" not in {n.status for n in nudges.values()}  # in flight finished, rest planned
    assert {i for i, n in nudges.items() if n.status == "sent"} == delivered  # all recorded
    assert 0 < len(delivered) < officers  # stopped in the middle of the batch
    after = datetime.now(ZoneInfo("Europe/Amsterdam"))
    for uid in ids:  # nothing lost: sent, or planned and due at the next start
        theirs = [n for n in nudges.values() if n.user_id == uid]
        assert any(n.status == "sent" or (n.status == "planned" and n.planned_at <= after)
                   for n in theirs), [(n.status, n.planned_at) for n in theirs]  # fmt: skip
