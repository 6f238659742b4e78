"""A fixed dataset → the exact `agenda --json` (tests/data/golden/agenda.json).

The data are imported on Friday 26 February 2027 (the day the organisations are registered);
the agenda is asked as of 1 March 2027 for 30 days, with `--all`: what was already overdue on
the import day is achterstand when the pupil's case is open or absence recent (overdue, climbing
the ladder from the import day), and what was overtaken is history, listed with that status. Besides the file
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


def _status(items: list[dict[str, object]], pupil: str | None, rule: str) -> list[str]:
    return [str(i["status"]) for i in items if i["leerling_id"] == pupil and i["rule"] == rule]


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
    # G2 has no case, but its absence is recent: what fell due before the import is
    # achterstand (overdue), not history; the early warning was overtaken by the report (history).
    assert _status(items, "G2", "MELDING_16_UUR") == ["overdue"]
    assert _status(items, "G2", "VO_3_UUR") == ["overdue"]
    assert _status(items, "G2", "DREIGEND_16_UUR") == ["history"]
    # G3: B1 from 1 February: leerplicht checks every 14 days (29 March is Easter Monday: the
    # 30th); the check of 15 February was overtaken by the one of 1 March (history).
    assert _dates(items, "G3", "ABSOLUUT_VERZUIM_CONTROLE") == [
        "2027-02-15", "2027-03-01", "2027-03-15", "2027-03-30",
    ]  # fmt: skip
    assert _status(items, "G3", "ABSOLUUT_VERZUIM_CONTROLE") == ["history", "open", "open", "open"]
    # G4: exemption 5A from 1 September 2026: involve the SWV. Known only on the import day,
    # half a year after it was due, but the A2 case is open: achterstand, not history.
    [swv] = [
        i for i in items if i["leerling_id"] == "G4" and i["rule"] == "VRIJSTELLING_SWV_BETREKKEN"
    ]
    assert (swv["due"], swv["status"], swv["recipients"], swv["escalated_to"]) == (
        "2026-09-01",
        "overdue",
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
    # The ladder, as of Monday 1 March: everything overdue was learned of on Friday 26
    # February, so nothing has climbed yet (test_the_ladder_counts_from_the_import_day).
    assert all(item["escalated_to"] == [] for item in items)
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


def test_the_ladder_counts_from_the_import_day(
    golden_agenda: list[dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    # As of Monday 8 March: 5 working days after the import day (Friday 26 February) is
    # Friday 5 March, so the first rung is added to what was overdue when it was imported; the
    # second (10 working days, Friday 12 March) not yet.
    assert main(["agenda", "--as-of", "2027-03-08", "--days", "30", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert _escalated(items, "G1", "PLAN_VAN_AANPAK") == ["boc"]  # due 19 February
    assert _escalated(items, "G1", "GEEN_ACTIE") == ["boc"]  # due 8 February
    # The report already goes to the school and the BOC-er: the next rung is the SWV.
    assert _escalated(items, "G2", "MELDING_16_UUR") == ["swv"]
    # The SWV already has the 4 weeks; the evaluation is optional: never escalated.
    assert _escalated(items, "G1", "VIER_WEKEN_VERZUIM") == []
    assert _escalated(items, "G5", "EVALUATIE") == []
    # G3's check of 1 March was known before it was due: it climbs from its due date.
    assert _escalated(items, "G3", "GEEN_ACTIE") == ["boc"]
