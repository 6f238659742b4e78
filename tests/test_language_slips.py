"""The language slips a new user caught, each held by a test: sentences start with a capital,
a label ending in a full stop does not get a second one, brackets do not nest, minutes are
minutes, one pupil is "1 leerling", the English help gives English examples."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.handlers.dossier import render_dossier
from bot.handlers.help import help_text
from bot.i18n import translator
from bot.reports.exports import CATEGORY_LABELS
from bot.reports.overview import Overview
from bot.services.cases import TimelineItem
from bot.services.dossier import DossierView
from bot.storage.models import Role, User
from bot.texts import aside, sentence
from bot.views.reports import summary

SENTENCES = [
    ("dinsdag 8 december 2026 ligt in de toekomst.", "Dinsdag 8 december 2026 ligt in de toekomst."),
    ("⚠️ zondag 6 december is geen schooldag.", "⚠️ Zondag 6 december is geen schooldag."),
    ("Bo ziet nu M.D..", "Bo ziet nu M.D."),
    ("Je bent gekoppeld aan M.D.. /dossier toont het dossier.",
     "Je bent gekoppeld aan M.D. /dossier toont het dossier."),
    ("Wacht even…", "Wacht even…"),
    ("/dossier S.V. #12", "/dossier S.V. #12"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_a_sentence_starts_with_a_capital_and_ends_with_one_full_stop(
    text: str, expected: str
) -> None:
    assert sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De Oefenboom (fictief)", "(De Oefenboom, fictief)"),
        ("bovenschools ondersteuningscoördinator (BOC-er)",
         "(bovenschools ondersteuningscoördinator, BOC-er)"),
        ("zorgcoördinator", "(zorgcoördinator)"),
    ],
)  # fmt: skip
def test_brackets_never_nest(text: str, expected: str) -> None:
    assert aside(text) == expected


def _view(*items: TimelineItem) -> DossierView:
    return DossierView(
        pupil_id=1, label="S.V. #1", full_name="Sanne de Vries", age=12, school=None,
        gemeente=None, case=None, absence_hours={}, timeline=list(items),
        timeline_total=len(items), year_hours={"te_laat": 1 / 6}, year_start=date(2026, 8, 1),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "late"), [("nl", "te laat 10 minuten"), ("en", "late 10 minutes")]
)
def test_ten_minutes_late_is_ten_minutes_in_the_timeline(locale: str, late: str) -> None:
    shown = render_dossier(_view(TimelineItem(date(2026, 12, 7), "absence:te_laat", "", 1 / 6)),
                           translator(locale))  # fmt: skip
    timeline = shown.split("\n")[-1]
    assert timeline.endswith(late)
    assert "0,2" not in shown
    assert "0.2" not in shown


def _overview(count: int) -> Overview:
    zero = {c: 0 for c in ("A1", "A2", "B1", "B2")}
    return Overview(
        peildatum=date(2026, 12, 15), vorige_peildatum=date(2026, 9, 15),
        totaal=zero | {"B2": count}, met_aanbod=zero, zonder_aanbod=zero, duur={}, nieuw=zero,
        beeindigd=zero, per_school={}, per_bestuur={}, per_gemeente={},
    )  # fmt: skip


def test_one_pupil_is_one_leerling() -> None:
    tr = translator("nl")
    assert ": 1 leerling (" in summary(_overview(1), "De Regenboog", tr)
    assert ": 2 leerlingen (" in summary(_overview(2), "De Regenboog", tr)


def test_the_chart_names_the_categories_as_the_chat_does() -> None:
    tr = translator("nl")
    from bot.texts import CATEGORY_NAMES

    assert {code: tr.gettext(name) for code, name in CATEGORY_NAMES.items()} == CATEGORY_LABELS
    assert CATEGORY_LABELS["B1"] == "B1 – niet ingeschreven (absoluut verzuim)"


def test_the_english_help_gives_english_examples() -> None:
    user = User(telegram_id=1, role=Role.ZORGCOORDINATOR, swv_id=1, language="en")
    text = help_text(user, translator("en"))
    examples = re.findall(r"“([^”]+)”", text)
    assert examples
    dutch = {"uur", "ongeoorloofd", "vandaag", "ziek", "sinds", "maandag", "weer", "actie",
             "hoeveel", "gemist?"}  # fmt: skip
    assert not [e for e in examples if dutch & set(e.lower().split())]
    # The Dutch help asks its question in Dutch, and names labels.
    nl = help_text(user, translator("nl"))
    assert "“Hoeveel uur heeft Sanne gemist?”" in nl
    assert "“S.V. #12”" in nl


def test_english_prompts_give_english_examples() -> None:
    from bot.handlers.replies import QUESTIONS
    from bot.handlers.updates import PLANNED_RETURN

    tr = translator("en")
    prompts = [*QUESTIONS.values(), PLANNED_RETURN,
               "About which pupil? Ask with the name or label, for example “Hoeveel uur heeft "
               "Sanne gemist?”, or open the dossier: /dossier Sanne. Nothing was stored.",
               "A label can be typed back as a name: “/dossier {label}” or “{label} 2 uur ziek "
               "vandaag”."]  # fmt: skip
    dutch = {"uur", "vandaag", "ziek", "sinds", "maandag", "gesprek", "gepland", "hoeveel"}
    for prompt in prompts:
        examples = re.findall(r"“([^”]+)”", tr.gettext(prompt))
        assert examples, prompt
        assert not [e for e in examples if dutch & set(e.lower().split())], prompt
