"""The repository documents its own rule catalogue: RULES.md is generated from the rules, and
nothing in the repository points to documents outside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.i18n import translator
from bot.protocol.rules import Rule
from bot.rule_table import markdown

ROOT = Path(__file__).resolve().parent.parent


def test_rules_md_is_what_the_rules_say() -> None:
    # After changing a rule: .venv/bin/python -m bot rules --markdown > RULES.md
    assert (ROOT / "RULES.md").read_text(encoding="utf-8") == markdown(translator("en"))


def test_every_rule_code_has_its_row() -> None:
    rows = [line for line in markdown(translator("en")).splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows[2:]] == [r.value for r in Rule]


def test_the_rules_command_needs_no_key_or_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATA_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/folder/bot.db")
    monkeypatch.setenv("BOT_LOCALE", "nl")
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "MELDING_16_UUR\n  16 uur ongeoorloofd verzuim binnen 4 schoolweken" in out
    assert all(rule.value in out for rule in Rule)


def test_nothing_points_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    texts = [ROOT / name for name in tracked if name.endswith((".py", ".md", ".toml", ".example"))]
    pointing = [
        str(path.relative_to(ROOT))
        for path in texts
        if path.name != "test_rule_table.py"
        and any(
            word in path.read_text(encoding="utf-8")
            for word in ("PROTOCOL.md", "DESIGN.md", "../shared")
        )
    ]
    assert pointing == []


def test_a_rules_source_is_cited_in_the_catalogue_only() -> None:
    # RuleSpec.source is where a rule's seed protocols are named (RULES.md shows it); a second
    # citation in the function's docstring would drift from it.
    import inspect

    from bot.protocol.rules import CATALOGUE_ORDER

    cited = sorted(
        {
            function.__name__
            for spec in CATALOGUE_ORDER
            if (function := spec.pupil or spec.organisation) is not None
            and "Source" in (inspect.getdoc(function) or "")
        }
    )
    assert cited == []


def test_a_rules_action_text_is_written_in_the_catalogue_only() -> None:
    # RuleSpec.action is what a rule asks people to do; the chat, the pages, the nudges and
    # RULES.md read it from there. The text written anywhere else in bot/ would drift from it.
    from pathlib import Path

    from bot.protocol.rules import CATALOGUE_ORDER

    root = Path(__file__).resolve().parent.parent / "bot"
    catalogue = root / "protocol" / "rules" / "catalogue.py"
    elsewhere = {
        (str(path.relative_to(root)), spec.rule.value)
        for path in root.rglob("*.py")
        if path != catalogue
        for spec in CATALOGUE_ORDER
        if spec.action[:40] in path.read_text(encoding="utf-8")
    }
    assert elsewhere == set()
    assert all(
        spec.action[:40] in catalogue.read_text(encoding="utf-8") for spec in CATALOGUE_ORDER
    )
