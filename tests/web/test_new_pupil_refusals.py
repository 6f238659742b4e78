"""A new pupil's bad values on the web form are refused as in chat and in a CSV import, in the
same words (the table: `tests/utils/new_pupil_cases.py`)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.clock import FixedClock
from tests.utils.browser import chromium
from tests.utils.harness import BotHarness
from tests.utils.new_pupil_cases import BAD, GOOD, csv_refusals, words
from tests.web.conftest import ZOE, signed_in


@pytest.mark.parametrize(("field", "typed", "in_csv", "code"), BAD)
async def test_the_web_form_refuses_a_bad_value_as_the_csv_does(
    bot: BotHarness,
    site: str,
    session: Session,
    clock: FixedClock,
    field: str,
    typed: str,
    in_csv: str,
    code: str,
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.get_by_role("link", name="Nieuwe leerling").click()
        for name, value in GOOD.items():
            await page.fill(f"#{name}", typed if name == field else value)
        await page.select_option("#gemeente", index=1)
        await page.select_option("#category", "A1")
        await page.fill("#start", "vandaag")
        await page.get_by_role("button", name="Controleren").click()
        errors = page.locator(".error")
        assert await errors.count() == 1
        assert (await errors.inner_text()).strip() == words(code)

    assert csv_refusals(session, field, in_csv, clock.now()) == [code]
