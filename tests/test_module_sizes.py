"""No module of the bot grows past what one reader holds: 600 lines, and the delivery of nudges
(queue, messages, sender) 400 each. A module that outgrows its limit is split by concern."""

from __future__ import annotations

from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
LIMIT = 600
# Migrations are frozen history: they are never edited, so never split.
FROZEN = BOT / "storage" / "migrations" / "versions"


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_longer_than_600_lines() -> None:
    long = {
        str(path.relative_to(BOT)): _lines(path)
        for path in BOT.rglob("*.py")
        if FROZEN not in path.parents and _lines(path) > LIMIT
    }
    assert long == {}


def test_delivery_is_three_modules_of_at_most_400_lines() -> None:
    parts = {name: _lines(BOT / "reminders" / f"{name}.py") for name in ("queue", "messages",
                                                                        "delivery")}  # fmt: skip
    assert max(parts.values()) <= 400, parts
