"""A fixed dataset → the exact `agenda --json` (tests/data/golden/agenda.json).

The data are imported on Friday 26 February 2027 (the day the organisations are registered);
the agenda is asked as of 1 March 2027 for 30 days, with `--all`: what was already more than 14
days past due on the import day is history, listed with that status. Besides the file
comparison, the key dates are checked against hand counts on the school calendar.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.__main__ import main

DATA = Path(__file__).parent / "data" / "golden"
IMPORT_DAY = datetime(2027, 2, 26, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def golden_agenda(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> list[dict[str, object]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_LOCALE", "nl")
    with time_machine.travel(IMPORT_DAY, tick=False):
        assert main(["import", str(DATA / "pupils.csv")]) == 0
        assert main(["import", str(DATA / "absences.csv")]) == 0
    capsys.readouterr()
    assert main(["agenda", "--as-of", "2027-03-01", "--days", "30", "--json", "--all"]) == 0
    return json.loads(capsys.readouterr().out)


def test_agenda_json_is_exactly_the_golden_file(golden_agenda: list[dict[str, object]]) -> None:
    expected = json.loads((DATA / "agenda.json").read_text(encoding="utf-8"))
    assert golden_agenda == expected


def _dates(items: list[dict[str, object]], pupil: str | None, rule: str) -> list[str]:
    return [str(i["due"]) for i in items if i["leerling_id"] == pupil and i["rule"] == rule]


def _escalated(items: list[dict[str, object]], pupil: str, rule: str) -> list[object]:
    [item] = [i for i in items if i["leerling_id"] == pupil and i["rule"] == rule]
    escalated = item["escalated_to"]
    assert isinstance(escalated, list)
    return escalated


def test_hand_counted_dates(golden_agenda: list[dict[str, object]]) -> None:
    items = golden_agenda
    # G1: B2 from Monday 11 January 2027 (midden). Day 20 is Friday 5 February; the plan is
    # due 10 school days later, Friday 19 February (before the spring holiday of 20–28 February).
    assert _dates(items, "G1", "VIER_WEKEN_VERZUIM") == ["2027-02-05"]
    assert _dates(items, "G1", "PLAN_VAN_AANPAK") == ["2027-02-19"]
    assert _dates(items, "G1", "ZONDER_AANBOD_2M") == ["2027-03-11"]
    assert _dates(items, "G1", "ZONDER_AANBOD_3M") == []  # 11 April: after the 30 days
    # G2 (VO, zuid): 4 hours a day from 1 to 4 February → 16 hours on Thursday 4 February,
    # report within 5 working days: Thursday 11 February. VO schema 3/6/9/12 hours likewise.
    assert _dates(items, "G2", "MELDING_16_UUR") == ["2027-02-11"]
    assert _dates(items, "G2", "VO_3_UUR") == ["2027-02-08"]
    assert _dates(items, "G2", "VO_12_UUR") == ["2027-02-10"]
    assert _dates(items, "G2", "VERVOLGMELDING_16_UUR") == []  # no new hours after the report
    # G3: B1 from 1 February: leerplicht checks every 14 days.
    assert _dates(items, "G3", "ABSOLUUT_VERZUIM_CONTROLE") == [
        "2027-02-15", "2027-03-01", "2027-03-15", "2027-03-29",
    ]  # fmt: skip
    # G4: exemption 5A from 1 September 2026: involve the SWV (overdue by now).
    [swv] = [
        i for i in items if i["leerling_id"] == "G4" and i["rule"] == "VRIJSTELLING_SWV_BETREKKEN"
    ]
    # Known only on the import day, half a year after it was due: history.
    assert (swv["due"], swv["status"], swv["recipients"], swv["escalated_to"]) == (
        "2026-09-01",
        "history",
        ["swv", "boc"],
        [],  # the SWV is the top of the ladder
    )
    # G5: ended 15 January 2027 → evaluation 4 weeks later; the deadlines that needed the case
    # open (four weeks, plan, no action) closed with it.
    assert _dates(items, "G5", "EVALUATIE") == ["2027-02-12"]
    for rule in ("VIER_WEKEN_VERZUIM", "PLAN_VAN_AANPAK", "GEEN_ACTIE", "ZONDER_AANBOD_2M"):
        assert _dates(items, "G5", rule) == []
    # Early warning: G2's 4 hours a day reach 12 (≥ 10, < 16) on Wednesday 3 February; a VO
    # pupil, so the BOC-er hears it too.
    [warning] = [i for i in items if i["leerling_id"] == "G2" and i["rule"] == "DREIGEND_16_UUR"]
    assert (warning["due"], warning["recipients"]) == ("2027-02-03", ["zorgcoordinator", "boc"])
    # The ladder, as of Monday 1 March. G1's plan was due Friday 19 February; the 5th working
    # day after it is Friday 26 February (the spring holiday closes schools, not offices): the
    # BOC-er is added, the SWV only after 5 more working days.
    assert _escalated(items, "G1", "PLAN_VAN_AANPAK") == ["boc"]
    # Due Monday 8 February: 5 working days → 15 February (BOC-er), 10 → 22 February (SWV).
    assert _escalated(items, "G1", "GEEN_ACTIE") == ["boc", "swv"]
    # The report already goes to the school and the BOC-er: the next rung is the SWV.
    assert _escalated(items, "G2", "MELDING_16_UUR") == ["swv"]
    assert _escalated(items, "G5", "EVALUATIE") == []  # optional: never escalated
    # The SWV and boards registered on 26 February 2027: their dates from then on.
    assert _dates(items, None, "KWARTAAL_PEILDATUM") == ["2027-03-15"] * 3  # the SWV, two boards
    # Verification: the SWV's own, each board's, and each gemeente's with an open case (Gouda,
    # Waddinxveen).
    assert _dates(items, None, "LEERPLICHT_VERIFICATIE") == ["2027-03-01"] * 5
    # Gouda and Waddinxveen both have an open case (G4's exemption counts too).
    assert _dates(items, None, "MAANDOVERZICHT_SWV") == ["2027-03-01", "2027-03-01"]
    assert items == sorted(
        items, key=lambda i: (str(i["due"]), str(i["rule"]), str(i["leerling_id"] or ""))
    )
