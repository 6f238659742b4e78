"""Who may see which pupil (README, "Who sees what"), as one matrix: each role, each
relation to a pupil, and each way in — reading (/dossier), writing (a quick update and Save) and
a button (another user's Save button replayed). Nothing about a pupil leaks on a denial."""

from __future__ import annotations

import io

from sqlmodel import Session, select

from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.importing import import_csv
from bot.storage.models import Absence, LeerplichtLink, Pupil, Role, User
from tests.utils.datasets import pupils_csv
from tests.utils.factories import NOW, TODAY, invitation_code, organisations
from tests.utils.fake_telegram import TgUser
from tests.utils.harness import BotHarness, alerts, texts

SWV_A = "SWV Rijn en Gouwe"


def _row(leerling_id: str, first: str, last: str, brin: str, gemeente: str, swv: str,
         category: str, article: str = "") -> dict[str, str]:  # fmt: skip
    return {
        "leerling_id": leerling_id, "voornaam": first, "achternaam": last,
        "geboortedatum": "2014-05-01", "gemeente": gemeente, "school_brin": brin, "swv": swv,
        "categorie": category, "vrijstelling_artikel": article, "startdatum": "2026-09-01",
    }  # fmt: skip


PUPILS = [
    _row("M1", "Anna", "Alfa", "12AB", "Alphen aan den Rijn", SWV_A, "B2"),  # school of CARE
    _row("M2", "Bram", "Beta", "", "Alphen aan den Rijn", SWV_A, "B1"),  # not enrolled
    _row("M3", "Cas", "Gamma", "56EF", "Alphen aan den Rijn", SWV_A, "A2", "5A"),  # other board
    _row("M4", "Dirk", "Delta", "34CD", "Gouda", SWV_A, "B2"),  # same board, other school
    _row("M5", "Eva", "Epsilon", "78GH", "Verweg", "SWV Elders", "B2"),  # other SWV
    _row("M6", "Fien", "Zeta", "56EF", "Alphen aan den Rijn", SWV_A, "B2"),  # to be linked
]
NAMES = {row["leerling_id"]: f"{row['voornaam']} {row['achternaam']}" for row in PUPILS}

USERS: dict[str, tuple[TgUser, Role, dict[str, str]]] = {
    "zc 12AB": (TgUser(701), Role.ZORGCOORDINATOR, {"school": "12AB"}),
    "zc 56EF": (TgUser(702), Role.ZORGCOORDINATOR, {"school": "56EF"}),
    "boc Bolder": (TgUser(703), Role.BOC, {"bestuur": "Stichting Bolder"}),
    "boc Kompas": (TgUser(704), Role.BOC, {"bestuur": "Stichting Kompas"}),
    "swv": (TgUser(705), Role.SWV, {"swv": SWV_A}),
    "admin": (TgUser(706), Role.ADMIN, {"swv": SWV_A}),
    "lp Alphen": (TgUser(707), Role.LEERPLICHT, {"gemeente": "Alphen aan den Rijn"}),
    "lp Gouda": (TgUser(708), Role.LEERPLICHT, {"gemeente": "Gouda"}),
    "swv Elders": (TgUser(709), Role.SWV, {"swv": "SWV Elders"}),
    "admin Elders": (TgUser(710), Role.ADMIN, {"swv": "SWV Elders"}),
}

# The expected visibility: the same for reading, writing and buttons.
VISIBLE = {
    "zc 12AB": {"M1"},
    "zc 56EF": {"M3", "M6"},
    "boc Bolder": {"M1", "M4"},
    "boc Kompas": {"M3", "M6"},
    "swv": {"M1", "M2", "M3", "M4", "M6"},
    "admin": {"M1", "M2", "M3", "M4", "M6"},
    # Own gemeente: B1 and A2 without a link; M6 (B2) only because a BOC-er linked it.
    "lp Alphen": {"M2", "M3", "M6"},
    "lp Gouda": set(),
    "swv Elders": {"M5"},
    "admin Elders": {"M5"},
}

EXPIRED = "Deze knop is verlopen. Geef de opdracht nog een keer."
LABEL_EXAMPLE = "“S.V. #12 4 uur ongeoorloofd vandaag”"


async def test_access_matrix(bot: BotHarness, session: Session) -> None:
    organisations(session)
    result = import_csv(
        settings=PROTOCOL,
        session=session,
        stream=io.StringIO(pupils_csv(PUPILS)),
        today=TODAY,
        now=NOW,
    )
    assert result.ok, result.errors
    session.commit()
    for user, role, org in USERS.values():
        await bot.send(user, f"/start {invitation_code(session, role, now=NOW, **org)}")
    # A BOC-er of Kompas links the Alphen officer to Fien (B2).
    boc = USERS["boc Kompas"][0]
    [question] = await bot.send(boc, "/koppel Fien")
    await bot.press(boc, question, question.buttons[0]["text"])
    lp_id = session.exec(select(User.id).where(User.telegram_id == 707)).one()
    assert session.exec(select(LeerplichtLink.user_id)).all() == [lp_id]

    async def save_button(leerling_id: str) -> str:
        """A fresh Save button made by someone who may write (a saved one is spent)."""
        owner = USERS["swv Elders" if leerling_id == "M5" else "swv"][0]
        [confirm] = await bot.send(owner, f"{NAMES[leerling_id]} 1 uur ongeoorloofd vandaag")
        return str(confirm.buttons[0]["callback_data"])

    seen: dict[str, dict[str, set[str]]] = {}
    leaks = []
    for key, (user, _, _) in USERS.items():
        read, write, button = set(), set(), set()
        for leerling_id, name in NAMES.items():
            [card] = texts(await bot.send(user, f"/dossier {name}"))
            if card.startswith("Dossier "):
                read.add(leerling_id)
            [confirm] = await bot.send(user, f"{name} 2 uur ongeoorloofd vandaag")
            if confirm.text.startswith("Klopt dit?"):
                # The first button saves: "Opslaan", or "Optellen" once others stored hours
                # for the same day.
                saved = texts(await bot.press(user, confirm, confirm.buttons[0]["text"]))
                if saved[0].startswith("Opgeslagen:"):
                    write.add(leerling_id)
            forged = await save_button(leerling_id)
            replayed_calls = await bot.press_data(user, confirm, forged)
            replayed = texts(replayed_calls)
            if replayed and replayed[0].startswith("Opgeslagen:"):
                button.add(leerling_id)
            elif alerts(replayed_calls) != [EXPIRED]:
                leaks.append((key, leerling_id, "button", replayed))
            if leerling_id not in VISIBLE[key]:
                first, last = name.split()
                for text in [card, confirm.text, *replayed]:
                    # The bot may repeat the name the user typed; anything beyond is a leak.
                    # (and the fixed example of a label in its hint).
                    rest = text.replace(name, "").replace(LABEL_EXAMPLE, "")
                    if last in rest or f"{first[0]}.{last[0]}." in rest or "#" in rest:
                        leaks.append((key, leerling_id, text))
        seen[key] = {"read": read, "write": write, "button": button}

    # A Save button copied from someone else's message never works, not even for users who may
    # write: the gate refuses button data that is not on the pressed message itself.
    expected = {key: {"read": v, "write": v, "button": set()} for key, v in VISIBLE.items()}
    assert seen == expected
    assert leaks == []
    # Writes happened only for visible pupils.
    writers = {(a.pupil_id, a.created_by_id) for a in session.exec(select(Absence)).all()}
    pupil_ids = {p.id: p.leerling_id for p in session.exec(select(Pupil)).all()}
    user_keys = {
        session.exec(select(User.id).where(User.telegram_id == u.id)).one(): key
        for key, (u, _, _) in USERS.items()
    }
    for pupil_id, user_id in writers:
        assert pupil_ids[pupil_id] in VISIBLE[user_keys[user_id]]
