"""Administrators withdraw access, change roles, see unused accounts and the audit trail; a
revoked user learns nothing more, whether by message, button or scheduled nudge."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlmodel import Session, select

from bot.clock import FixedClock
from bot.reminders.runtime import services_of
from bot.services.organisations import add_school
from bot.services.ratelimit import MessageLimiter
from bot.storage.models import AuditEvent, LeerplichtLink, Nudge, Role, User
from tests.reminders.test_delivery import (
    ADMIN,
    LP,
    SWV,
    _deliver_at,
    _exempted_pupil,
    _nudges_to,
    _reminders,
    _sign_in,
    at,
)
from tests.utils.factories import NOW, invitation_code
from tests.utils.fake_telegram import FakeTelegram, TgUser
from tests.utils.harness import BotHarness, alerts, edited, texts

REVOKED = (
    "Je toegang tot Thuiszitbot is ingetrokken. Denk je dat dit een vergissing is, vraag het "
    "dan aan de beheerder van je samenwerkingsverband."
)
CARE = TgUser(804, "Zoë Zorg", "nl")


def _user(session: Session, tg: TgUser) -> User:
    session.expire_all()
    return session.exec(select(User).where(User.telegram_id == tg.id)).one()


async def test_a_revoked_user_gets_nothing_more_by_message_button_or_nudge(
    bot: BotHarness, session: Session, clock: FixedClock, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP, ADMIN)
    _reminders(bot).plan(everything=True)
    await _deliver_at(bot, clock, at(2026, 12, 17, 8, 0))
    [nudge] = _nudges_to(telegram, LP)
    lp_id = _user(session, LP).id

    [question] = await bot.send(ADMIN, "/intrekken")
    assert question.text == "Van wie wil je de toegang intrekken?"
    confirm = edited(await bot.press(ADMIN, question, "Lea Leerplicht (leerplichtambtenaar)"))
    assert confirm.text.startswith("De toegang van Lea Leerplicht (leerplichtambtenaar) intrekken?")
    assert texts(await bot.press(ADMIN, confirm, "Ja, toegang intrekken")) == [
        "De toegang van Lea Leerplicht (leerplichtambtenaar) is ingetrokken."
    ]
    assert (
        session.exec(select(Nudge).where(Nudge.user_id == lp_id, Nudge.status == "planned")).all()
        == []
    )

    seen = len(telegram.sent_to(LP.id))
    assert texts(await bot.send(LP, "/dossier Sanne")) == [REVOKED]
    assert texts(await bot.send(LP, "Sanne 2 uur ongeoorloofd vandaag")) == [REVOKED]
    assert texts(await bot.send(LP, "/start")) == [REVOKED]
    pressed = await bot.press(LP, nudge, "Dossier openen")
    assert alerts(pressed) == [REVOKED]
    assert texts(pressed) == []
    for moment in (at(2026, 12, 28, 8, 0), at(2026, 12, 31, 8, 0), at(2027, 1, 7, 8, 0)):
        _reminders(bot).plan(everything=True)
        await _deliver_at(bot, clock, moment)
    after = telegram.sent_to(LP.id)[seen:]
    assert [c.text for c in after if c.method == "sendMessage"] == [REVOKED, REVOKED, REVOKED]
    assert not any("S.V." in c.text or "Sanne" in c.text for c in after)
    revoked = session.exec(select(AuditEvent).where(AuditEvent.action == "revoke")).one()
    assert (revoked.subject_user_id, revoked.actor_id) == (lp_id, _user(session, ADMIN).id)

    # Only a new invitation lets them in again.
    code = invitation_code(
        session, Role.LEERPLICHT, now=clock.now(), gemeente="Alphen aan den Rijn"
    )
    [welcome] = texts(await bot.send(LP, f"/start {code}"))
    assert welcome.startswith("Welkom!")
    assert _user(session, LP).revoked_at is None
    assert texts(await bot.send(LP, "/dossier Sanne"))[0] != REVOKED


async def test_users_unused_for_90_days_are_listed_and_roles_change_in_chat(
    bot: BotHarness, session: Session, clock: FixedClock
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP, SWV, ADMIN)
    lp = _user(session, LP)
    lp.last_seen_at = clock.now() - timedelta(days=91)
    session.add(lp)
    session.add(LeerplichtLink(pupil_id=1, user_id=lp.id or 0, created_at=clock.now()))
    session.commit()

    [listing] = await bot.send(ADMIN, "/gebruikers")
    lines = listing.text.splitlines()
    # The count is of the users listed: everyone but the administrator.
    assert lines[0] == "2 andere gebruikers in je samenwerkingsverband."
    assert lines[1] == "⚠ 1 van hen heeft de bot 90 dagen of langer niet gebruikt:"
    assert lines[2] == "• Lea Leerplicht (leerplichtambtenaar), laatst actief 24 augustus 2026"
    # Who receives nothing: organisations of the SWV where nobody fills a role with deadlines.
    assert lines[4:12] == [
        "⚠ Niemand ontvangt de termijnen van:",
        "• Stichting Bolder: geen bovenschools ondersteuningscoördinator (BOC-er)",
        "• De Regenboog: geen zorgcoördinator",
        "• Het Baken: geen zorgcoördinator",
        "• Stichting Kompas: geen bovenschools ondersteuningscoördinator (BOC-er)",
        "• De Vlinder: geen zorgcoördinator",
        "• Gouda: geen leerplichtambtenaar",
        "Nodig iemand uit met /uitnodigen.",
    ]
    assert [b["text"] for b in listing.buttons] == [
        "⚠ Lea Leerplicht (leerplichtambtenaar)",
        "Sam SWV (medewerker van het samenwerkingsverband)",
    ]

    card = edited(await bot.press(ADMIN, listing, "⚠ Lea Leerplicht (leerplichtambtenaar)"))
    assert [b["text"] for b in card.buttons] == [
        "Toegang intrekken", "Rol wijzigen", "« Terug naar de lijst"
    ]  # fmt: skip
    back = edited(await bot.press(ADMIN, card, "« Terug naar de lijst"))
    assert back.text == listing.text
    card = edited(await bot.press(ADMIN, back, "⚠ Lea Leerplicht (leerplichtambtenaar)"))
    roles = edited(await bot.press(ADMIN, card, "Rol wijzigen"))
    schools = edited(await bot.press(ADMIN, roles, "zorgcoördinator"))
    assert schools.text == "Waar gaat de zorgcoördinator werken?"
    done = edited(await bot.press(ADMIN, schools, schools.buttons[0]["text"]))
    assert done.text == "Lea Leerplicht is nu zorgcoördinator."
    lp = _user(session, LP)
    assert (lp.role, lp.gemeente_id, lp.school_id is not None) == ("zorgcoordinator", None, True)
    # An attendance officer's links end with the role.
    assert session.exec(select(LeerplichtLink)).all() == []

    [listing] = await bot.send(ADMIN, "/gebruikers")
    card = edited(
        await bot.press(ADMIN, listing, "Sam SWV (medewerker van het samenwerkingsverband)")
    )
    roles = edited(await bot.press(ADMIN, card, "Rol wijzigen"))
    done = edited(
        await bot.press(ADMIN, roles, "functioneel beheerder van het samenwerkingsverband")
    )
    assert _user(session, SWV).role == Role.ADMIN.value
    roles_changed = session.exec(select(AuditEvent.detail).where(AuditEvent.action == "role")).all()
    assert roles_changed == ["leerplicht>zorgcoordinator", "swv>admin"]


async def test_only_admins_and_never_by_replaying_an_admins_button(
    bot: BotHarness, session: Session, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP, SWV, ADMIN)
    for command in ("/intrekken", "/gebruikers", "/audit"):
        assert texts(await bot.send(SWV, command)) == ["This is not available."]
    [question] = await bot.send(ADMIN, "/intrekken")
    confirm = edited(await bot.press(ADMIN, question, "Lea Leerplicht (leerplichtambtenaar)"))
    # SWV staff press the admin's confirmation (its data copied): refused, nothing changes.
    replay = await bot.press_data(SWV, confirm, confirm.buttons[0]["callback_data"])
    assert alerts(replay) == ["This button has expired. Please give the command again."]
    # Copied under their own message it is refused too; and were it not, the handler checks
    # the role again.
    [own] = await bot.send(SWV, "/agenda")
    replay = await bot.press_data(SWV, own, confirm.buttons[0]["callback_data"])
    assert alerts(replay) == ["This button has expired. Please give the command again."]
    assert _user(session, LP).revoked_at is None
    # An admin who lost the role meanwhile presses their own, real button: refused as well.
    admin = _user(session, ADMIN)
    admin.role = Role.SWV.value
    session.add(admin)
    session.commit()
    assert texts(await bot.press(ADMIN, confirm, "Ja, toegang intrekken")) == [
        "Dit is niet beschikbaar."
    ]
    assert _user(session, LP).revoked_at is None
    # An admin cannot lock themselves out.
    assert "Ada Admin" not in [b["text"].split(" (")[0] for b in question.buttons]


async def test_audit_shows_who_did_what_in_the_admins_language(
    bot: BotHarness, session: Session
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP, ADMIN)
    await bot.send(LP, "/dossier Sanne")
    await bot.send(LP, "/overzicht")
    [trail] = await bot.send(ADMIN, "/audit")
    lines = trail.text.splitlines()
    assert lines[0] == "De laatste 20 regels van het auditlog:"
    # An export says what was exported.
    assert lines[1].endswith(
        " · Lea Leerplicht (leerplichtambtenaar) · exporteerde · het overzicht van de schoolmissers"
    )
    assert lines[2].endswith(
        " · Lea Leerplicht (leerplichtambtenaar) · bekeek het dossier · S.V. #1"
    )
    # How people got in: the invitations made and redeemed.
    assert lines[3].endswith(
        " · Ada Admin (functioneel beheerder van het samenwerkingsverband) · meldde zich aan"
        " · Ada Admin (functioneel beheerder van het samenwerkingsverband)"
    )
    assert any(line.endswith(" · maakte een uitnodiging") for line in lines)
    assert any(line.endswith(" · het systeem (cli) · importeerde · S.V. #1") for line in lines)
    assert lines[-1] == (
        "Alles: op de pagina's onder Audit (/web geeft een inloglink), of python -m bot audit export"
    )


async def test_messages_beyond_the_rate_limit_get_one_polite_warning(
    bot: BotHarness, session: Session, telegram: FakeTelegram
) -> None:
    _exempted_pupil(session)
    await _sign_in(bot, session, LP)
    services_of(bot.application).message_limiter = MessageLimiter(3)
    with time_machine.travel("2026-11-23 10:00:00 +01:00", tick=False) as traveller:
        replies = [texts(await bot.send(LP, "/agenda")) for _ in range(5)]
        assert all(r and "Je stuurt sneller" not in r[0] for r in replies[:3])
        assert replies[3] == [
            "Je stuurt sneller berichten dan ik kan verwerken. Wacht even een minuut."
        ]
        assert replies[4] == []  # warned once, then quiet
        traveller.shift(timedelta(seconds=61))
        assert "Je stuurt sneller" not in texts(await bot.send(LP, "/agenda"))[0]


async def test_a_role_change_pages_through_many_organisations(
    bot: BotHarness, session: Session
) -> None:
    _exempted_pupil(session)
    for number in range(9):
        add_school(
            session=session, brin=f"9{number}ZZ", name=f"School {number}", school_type="PO",
            region="midden", bestuur_name="Stichting Bolder", today=NOW.date(),
        )  # fmt: skip
    session.commit()
    await _sign_in(bot, session, LP, ADMIN)
    [listing] = await bot.send(ADMIN, "/gebruikers")
    card = edited(await bot.press(ADMIN, listing, listing.buttons[0]["text"]))
    roles = edited(await bot.press(ADMIN, card, "Rol wijzigen"))
    first = edited(await bot.press(ADMIN, roles, "zorgcoördinator"))
    labels = [b["text"] for b in first.buttons]
    assert (len(labels), labels[-1]) == (9, "»")  # 8 schools and the way on
    second = edited(await bot.press(ADMIN, first, "»"))
    assert [b["text"] for b in second.buttons][-1] == "«"
    last = second.buttons[-2]["text"]
    done = edited(await bot.press(ADMIN, second, last))
    assert done.text == "Lea Leerplicht is nu zorgcoördinator."
    assert _user(session, LP).school_id is not None


async def test_an_english_admin_sees_where_nobody_receives_deadlines(
    bot: BotHarness, session: Session
) -> None:
    from tests.utils.factories import organisations

    organisations(session)
    elsewhere = TgUser(806, "Eve Elders", "en")
    code = invitation_code(session, Role.ADMIN, now=NOW, swv="SWV Elders")
    await bot.send(elsewhere, f"/start {code}")

    [listing] = await bot.send(elsewhere, "/users")

    assert listing.text.splitlines() == [
        "0 other users in your samenwerkingsverband.",
        "⚠ Nobody receives the deadlines of:",
        "• SWV Elders: no staff member of the samenwerkingsverband",
        "• Stichting Ver: no board support coordinator (BOC)",
        "• Verre School: no care coordinator",
        "• Verweg: no attendance officer",
        "Invite someone with /invite.",
    ]
