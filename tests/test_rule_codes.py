"""Each rule code is declared once: as a member of `bot.protocol.rules.Rule`, whose entry in the
catalogue says who is nudged, from what, and where the protocol asks for it. Elsewhere the code
is referred to through that member, never spelled out as a string."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.protocol.rules import CATALOGUE, Rule
from bot.texts import RULE_ACTIONS

ROOT = Path(__file__).resolve().parent.parent / "bot"


def _spelled_out(path: Path) -> list[tuple[int, str]]:
    codes = {rule.value for rule in Rule}
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes
    ]


def test_no_rule_code_is_spelled_out_as_a_string_in_the_bot() -> None:
    found = {
        str(path.relative_to(ROOT)): hits
        for path in sorted(ROOT.rglob("*.py"))
        if (hits := _spelled_out(path))
    }
    assert found == {}


def test_the_check_sees_a_spelled_out_code(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('QUIET = frozenset({"GEEN_ACTIE"})\n', encoding="utf-8")
    assert _spelled_out(sample) == [(1, "GEEN_ACTIE")]


def test_every_rule_has_an_action_text_and_no_text_is_left_over() -> None:
    assert set(RULE_ACTIONS) == set(CATALOGUE) == {rule.value for rule in Rule}
