"""Every phrasing of bench/phrasings.py's rounds stays right: none stored wrongly, and none
refused that was once understood. (The rounds were first run unseen; see the README.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "phrasings.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_phrasings", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


phrasings = _bench()
CASES = [
    (text, expected, today) for _, texts, today in phrasings.ROUNDS for text, expected in texts
]


@pytest.mark.parametrize(("text", "expected", "today"), CASES, ids=[c[0][:50] for c in CASES])
def test_phrasing_is_stored_as_meant_or_refused_on_purpose(
    text: str, expected: object, today: object
) -> None:
    result = phrasings.outcome(text, expected, today)
    if text in phrasings.KNOWN_REFUSALS:
        assert result == "refused"
    else:
        assert result in phrasings.GOOD


def test_a_wrong_reading_would_be_caught() -> None:
    # The check itself can fail: a phrasing whose meaning is written down wrongly.
    wrong = phrasings.rows((12, 2, "ziek", 5.0))
    assert phrasings.outcome("Bram 4 uur ongeoorloofd gisteren", wrong, phrasings.TODAY) == "WRONG"
