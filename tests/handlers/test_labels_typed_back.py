"""Every label the bot prints for a pupil, typed back by the user who saw it, finds that pupil:
for every role, the labels of /leerlingen, the nudges, the agenda and the dossier."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from bot.clock import FixedClock
from bot.protocol.calendar import DUTCH_TZ
from bot.reminders.delivery import deliver_due
from bot.reminders.runtime import reminders_of
from bot.storage.models import Role
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness

ROLES = {
    TgUser(561, "Zorg", "nl"): (Role.ZORGCOORDINATOR, {"school": "12AB"}),
    TgUser(562, "Bo", "nl"): (Role.BOC, {"bestuur": "Stichting Bolder"}),
    TgUser(563, "Sofie", "nl"): (Role.SWV, {"swv": "SWV Rijn en Gouwe"}),
    TgUser(564, "Lea", "nl"): (Role.LEERPLICHT, {"gemeente": "Alphen aan den Rijn"}),
    TgUser(565, "Ada", "en"): (Role.ADMIN, {"swv": "SWV Rijn en Gouwe"}),
}
# "S.V. #12" (or "S.V." for a pupil without a case), as every message prints it.
LABEL = re.compile(r"(?<![\w.])([A-Z]\.(?:[A-Z]\.)?(?: #\d+)?)(?![\w.])")


async def _every_page(bot: BotHarness, user: TgUser) -> list[str]:
    """The labels of every page of /leerlingen."""
    [page] = await bot.send(user, "/leerlingen")
    labels = []
    while True:
        labels += [b["text"].split(" — ")[0] for b in page.buttons if b["text"] not in "«»"]
        if "»" not in [b["text"] for b in page.buttons]:
            return labels
        [page] = [c for c in await bot.press(user, page, "»") if c.method == "editMessageText"]


async def test_every_label_shown_to_every_role_is_understood_when_typed_back(
    bot: BotHarness, registry: Session, clock: FixedClock
) -> None:
    for user, (role, org) in ROLES.items():
        await bot.send(user, f"/start {invitation_code(registry, role, now=NOW, **org)}")
    # The morning's nudges (8:00 on a working day), then each user's agenda and first dossier.
    clock.current = datetime(2026, 11, 24, 8, 0, tzinfo=DUTCH_TZ)
    reminders = reminders_of(bot.application)
    reminders.plan()
    await deliver_due(services=reminders.services, bot=reminders.bot)

    tried = 0
    for user in ROLES:
        listed = await _every_page(bot, user)
        nudged = [c.text for c in bot.telegram.sent_to(user.id) if c.text.startswith("⏰")]
        agenda = [c.text for c in await bot.send(user, "/agenda")]
        dossier = [c.text for c in await bot.send(user, f"/dossier {listed[0]}")]
        shown = {
            label for text in [*listed, *nudged, *agenda, *dossier] for label in LABEL.findall(text)
        }
        assert listed
        assert set(listed) <= shown, (user.first_name, listed)
        assert any("#" in label for label in shown)
        for label in sorted(shown):
            [reply] = await bot.send(user, f"/dossier {label}")
            if reply.text.startswith(("Welke leerling bedoel je?", "Which pupil do you mean?")):
                # Initials two pupils share: the usual choice, each button with its number.
                assert "#" not in label
                assert all(b["text"].startswith(label) for b in reply.buttons), reply.buttons
            else:
                assert reply.text.splitlines()[0] == f"Dossier {label}", (user.first_name, label)
            tried += 1
    assert tried >= 20
