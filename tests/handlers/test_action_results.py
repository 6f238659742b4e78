"""The result of an action ("resultaat Sanne: …"), end to end: the confirmation names the action
it completes (the latest up to today without a result), Save writes it to that one, once."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from bot.storage.models import Case, CaseEntry, Pupil, Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, texts

CARE = TgUser(501, "Zorg", "nl")  # zorgcoördinator of De Regenboog (12AB): sees Sanne


def _actions(session: Session) -> list[tuple[date, str, str | None]]:
    session.expire_all()
    rows = session.exec(
        select(CaseEntry).where(CaseEntry.kind == "action").order_by(col(CaseEntry.id))
    )
    return [(e.day, e.text, e.result) for e in rows]


async def _with_actions(bot: BotHarness, session: Session) -> int:
    """CARE signed in, with a past and a planned action for Sanne; her case's number."""
    code = invitation_code(session, Role.ZORGCOORDINATOR, now=NOW, school="12AB")
    await bot.send(CARE, f"/start {code}")
    for text in (
        "actie Sanne: gesprek met ouders op 16 november",
        "actie Sanne: RTG op 12 december",
    ):
        [question] = await bot.send(CARE, text)
        await bot.press(CARE, question, "Opslaan")
    sanne = session.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    case = session.exec(select(Case).where(Case.pupil_id == sanne.id)).one()
    assert case.id is not None
    return case.id


async def test_a_result_completes_the_latest_action_up_to_today(
    bot: BotHarness, registry: Session
) -> None:
    case_id = await _with_actions(bot, registry)
    [question] = await bot.send(CARE, "resultaat Sanne: ouders stemmen in met het plan")
    assert question.text == (
        f"Klopt dit?\nS.V. #{case_id}: resultaat van de actie van maandag 16 november 2026: "
        "ouders stemmen in met het plan"
    )
    assert _actions(registry)[0][2] is None  # nothing before Save
    [saved] = texts(await bot.press(CARE, question, "Opslaan"))
    assert saved.startswith(f"Opgeslagen: S.V. #{case_id}: resultaat van de actie van maandag")
    assert _actions(registry) == [
        (date(2026, 11, 16), "gesprek met ouders", "ouders stemmen in met het plan"),
        (date(2026, 12, 12), "RTG", None),  # planned: no result yet
    ]
    # The dossier shows it with its action.
    [dossier] = texts(await bot.send(CARE, "/dossier Sanne"))
    assert "gesprek met ouders — resultaat: ouders stemmen in met het plan" in dossier
    # No action up to today is left without a result: refused, nothing stored.
    [refused] = texts(await bot.send(CARE, "resultaat Sanne: nog een uitkomst"))
    assert refused.startswith("Deze leerling heeft tot vandaag geen actie zonder resultaat.")
    assert [a[2] for a in _actions(registry)] == ["ouders stemmen in met het plan", None]


async def test_two_results_confirmed_for_one_action_store_the_first_only(
    bot: BotHarness, registry: Session
) -> None:
    await _with_actions(bot, registry)
    [first] = await bot.send(CARE, "resultaat Sanne: ouders akkoord")
    [second] = await bot.send(CARE, "resultaat Sanne: vader niet akkoord")
    await bot.press(CARE, first, "Opslaan")
    [told] = texts(await bot.press(CARE, second, "Opslaan"))
    assert (
        told
        == "Intussen heeft die actie een resultaat gekregen. Er is niets opgeslagen: stuur het resultaat opnieuw."
    )
    assert _actions(registry)[0][2] == "ouders akkoord"
