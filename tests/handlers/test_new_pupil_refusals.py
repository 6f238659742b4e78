"""A new pupil's bad values in chat (/nieuw, field by field) are refused as on the web and in a
CSV import, in the same words (the table: `tests/utils/new_pupil_cases.py`)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.clock import FixedClock
from bot.storage.models import Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, texts
from tests.utils.new_pupil_cases import BAD, GOOD, TOO_LONG, csv_refusals, words

CARE = TgUser(601, "Zorg", "nl")  # De Regenboog (12AB)


@pytest.mark.parametrize(("field", "typed", "in_csv", "code"), [*BAD, TOO_LONG])
async def test_the_chat_refuses_a_bad_value_as_the_csv_does(
    bot: BotHarness,
    registry: Session,
    clock: FixedClock,
    field: str,
    typed: str,
    in_csv: str,
    code: str,
) -> None:
    code_to_start = invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(CARE, f"/start {code_to_start}")
    await bot.send(CARE, "/nieuw")
    for name in ("first_name", "last_name", "birth_date"):
        answers = texts(await bot.send(CARE, typed if name == field else GOOD[name]))
        if name == field:
            assert answers == [words(code)]
            break
    else:
        pytest.fail(f"{field} was never asked")

    assert csv_refusals(registry, field, in_csv, clock.now()) == [code]
