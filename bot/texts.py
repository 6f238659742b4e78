"""Texts shared by the chat and the nudges: what each protocol rule asks people to do, and the
names of the roles (message ids; translated where shown)."""

from __future__ import annotations

import re
from datetime import date

from bot.i18n import N_, Translator
from bot.protocol.rules import CATALOGUE_ORDER, Rule
from bot.storage.models import Role

# The categories of the Inspectie's registration, as every text names them: chat, pages, the
# workbooks and the chart.
CATEGORY_NAMES: dict[str, str] = {
    "A1": N_("A1 – illness"),
    # Translators: the exemption's article is not shown in chat (it is its ground).
    "A2": N_("A2 – exemption"),
    "B1": N_("B1 – not enrolled (absolute absence)"),
    "B2": N_("B2 – long-term relative absence"),
}

# A case's status and the kinds of its timeline's items (`absence:` kind, `entry:` kind).
STATUS_NAMES: dict[str, str] = {
    "threatening": N_("threatening"),
    "current": N_("current"),
    "closed": N_("closed"),
}
KIND_NAMES: dict[str, str] = {
    "absence:ongeoorloofd": N_("unauthorised absence"),
    "absence:geoorloofd": N_("authorised absence"),
    "absence:ziek": N_("ill"),
    "absence:te_laat": N_("late"),
    "absence:schorsing": N_("suspended"),
    "entry:action": N_("action"),
    "entry:goal": N_("goal"),
    "entry:party": N_("involved"),
    "entry:note": N_("note"),
}

ROLE_NAMES: dict[Role, str] = {
    # Translators: the role of a school's care coordinator (zorgcoördinator / IB-er).
    Role.ZORGCOORDINATOR: N_("care coordinator"),
    # Translators: bovenschoolse ondersteuningscoördinator of a school board.
    Role.BOC: N_("board support coordinator (BOC)"),
    Role.LEERPLICHT: N_("attendance officer"),
    Role.SWV: N_("staff member of the samenwerkingsverband"),
    Role.ADMIN: N_("administrator of the samenwerkingsverband"),
}

# Someone's role with the organisation it is at, said once: "medewerker van SWV Rijn en Gouwe",
# not "medewerker van het samenwerkingsverband bij SWV Rijn en Gouwe".
ROLE_AT: dict[Role, str] = {
    Role.ZORGCOORDINATOR: N_("care coordinator at {organisation}"),
    Role.BOC: N_("board support coordinator (BOC) at {organisation}"),
    Role.LEERPLICHT: N_("attendance officer at {organisation}"),
    Role.SWV: N_("staff member of {organisation}"),
    Role.ADMIN: N_("administrator of {organisation}"),
}


def role_at(role: Role, organisation: str, tr: Translator) -> str:
    """A role at its organisation, in the reader's language."""
    return tr.gettext(ROLE_AT[role]).format(organisation=organisation)


# What each rule asks people to do, by code (a stored deadline's rule is a plain string); the
# texts live in the rule catalogue, each beside its rule.
RULE_ACTIONS: dict[str, str] = {spec.rule.value: spec.action for spec in CATALOGUE_ORDER}

# Why a deadline closed although nobody marked it done: it was overtaken (rules.SUPERSEDED).
SUPERSEDED_BY: dict[str, str] = {
    # Translators: an early warning closed because the 16-hour report it warned of is due.
    Rule.DREIGEND_16_UUR: N_("taken over by the 16-hour report"),
    Rule.ZONDER_AANBOD_2M: N_("taken over by the 3-month step"),
}
# Translators: an occurrence of a repeating deadline closed because the next one is due.
SUPERSEDED_BY_NEXT = N_("taken over by the next occurrence")


# The reports whose evidence is a date and a kenmerk in DUO's verzuimregister.
MELDINGEN = (Rule.MELDING_16_UUR, Rule.VERVOLGMELDING_16_UUR)


def done_note_prefill(rule: str, today: date, tr: Translator) -> str | None:
    """What Done fills in for a melding ("gemeld in het verzuimregister op 7 december 2026"),
    to be completed with its kenmerk; None for other rules."""
    if rule not in MELDINGEN:
        return None
    return tr.gettext("reported in the verzuimregister on {date}").format(date=tr.date(today))


# A kenmerk as DUO gives it: one word with a digit in it ("2026-123456").
_KENMERK = re.compile(r"[\w./-]*\d[\w./-]*")


def done_note_from_reply(reply: str, prefilled: str | None) -> str:
    """The line kept from a reply to "what was done?": a bare kenmerk completes the filled-in
    line of a melding; anything else is kept as typed."""
    text = reply.strip()
    if prefilled is not None and _KENMERK.fullmatch(text):
        return f"{prefilled}, kenmerk {text}"
    return text


def sentence(text: str) -> str:
    """A sentence as it is sent: its first letter capitalised (a weekday that opens it:
    "Dinsdag 8 december 2026 ligt in de toekomst."), and one full stop where a label that ends
    in one closes it ("… ziet nu M.D.", not "M.D..")."""
    text = re.sub(r"(?<![.…])\.\.(?![.…])", ".", text)
    first = re.search(r"[^\W\d_]", text)
    if first is None or text[: first.start()].strip(" ⚠️⏰✓🗂•-"):
        return text
    return text[: first.start()] + text[first.start()].upper() + text[first.start() + 1 :]


def aside(text: str) -> str:
    """`text` in brackets, its own brackets flattened: "(De Oefenboom, fictief)", never
    "(De Oefenboom (fictief))"."""
    return "(" + text.replace(" (", ", ").replace("(", "").replace(")", "") + ")"
