"""Property: what the confirmation shows is exactly what Save stores, and nothing else changes.

Random quick updates (kinds, amounts, dates, two facts in one message) are parsed, prepared and
saved on a real database that already holds random absence; afterwards the absence table must
equal what it held, changed by exactly the rows the confirmation listed.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.i18n import translator
from bot.protocol.parsing import Ambiguous, QuickUpdate, parse_quick_update
from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.cases import UpdateError, apply_update, prepare_update
from bot.storage.models import Absence, Pupil, User
from bot.views.texts import hours_text
from bot.views.updates import describe
from tests.utils.factories import NOW

TODAY = NOW.date()  # Monday 23 November 2026
KINDS = ["ongeoorloofd", "geoorloofd", "ziek", "te laat", "tandarts", "spijbelt", "sick", "griep"]
AMOUNTS = ["", "2 uur", "1,5 uur", "het 3e en 4e uur", "van 9 tot 11", "kwartier", "10 min",
           "halve dag", "hele dag", "een uur", "2x", "4u"]  # fmt: skip
DATES = ["", "vandaag", "gisteren", "eergisteren", "maandag", "vorige week dinsdag",
         "3 dagen geleden", "18 november", "sinds vorige week donderdag", "vorige maandag",
         "van 16 t/m 18 november", "vorige week", "maandag en dinsdag"]  # fmt: skip
SECOND = ["", " en 1x te laat", " en 2 uur ziek", " en 1 uur ongeoorloofd"]
STORED_KINDS = ["ongeoorloofd", "geoorloofd", "ziek", "te_laat"]


@st.composite
def messages(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(KINDS)), draw(st.sampled_from(AMOUNTS))]
    parts.append(draw(st.sampled_from(DATES)))
    order = draw(st.permutations(parts))
    return "Sanne " + " ".join(p for p in order if p) + draw(st.sampled_from(SECOND))


stored_rows = st.lists(
    st.tuples(st.integers(0, 12), st.sampled_from(STORED_KINDS), st.sampled_from([1.0, 2.5, 5.0])),
    max_size=6,
    unique_by=lambda row: (row[0], row[1]),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=messages(), stored=stored_rows, replace=st.booleans(), data=st.data())
def test_the_confirmation_is_what_is_stored(
    registry: Session,
    text: str,
    stored: list[tuple[int, str, float]],
    replace: bool,
    data: st.DataObject,
) -> None:
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    staff = User(telegram_id=9001, role="swv", swv_id=sanne.swv_id, created_at=NOW)
    registry.add(staff)
    for back, kind, hours in stored:
        registry.add(Absence(pupil_id=sanne.id, day=TODAY - timedelta(days=back), hours=hours,
                             kind=kind, created_at=NOW))  # fmt: skip
    registry.flush()
    try:
        before = _table(registry)
        parsed = parse_quick_update(text, TODAY)
        if isinstance(parsed, Ambiguous):
            parsed = data.draw(st.sampled_from(parsed.options))
        if not isinstance(parsed, QuickUpdate):
            event("refused")
            return
        assert sanne.id is not None
        try:
            prepared = prepare_update(
                settings=PROTOCOL,
                session=registry,
                user=staff,
                pupil_id=sanne.id,
                update=parsed,
                today=TODAY,
            )
        except UpdateError:
            event("no school days")
            return
        event("stored")
        shown = "\n".join(describe(prepared, "S.V. #1", translator("nl"), replace=replace))

        apply_update(
            settings=PROTOCOL,
            session=registry,
            user=staff,
            prepared=prepared,
            replace=replace,
            now=NOW,
        )

        expected = dict(before)
        for row in prepared.checked.rows:
            expected[(row.day, row.kind.value)] = row.after(replace=replace)
            if row.before is not None or not _in_a_long_period(prepared, row.day):
                # Each day that is not part of a multi-day period is named with its total.
                tr = translator("nl")
                assert tr.day(row.day) in shown, (text, shown)
                assert hours_text(row.hours, tr) in shown, (text, shown)
        assert _table(registry) == expected, text
        for period in prepared.checked.periods:
            assert f"{period.school_days} schooldag" in shown or period.start == period.end
    finally:
        registry.rollback()


def _table(session: Session) -> dict[tuple[object, str], float]:
    session.flush()
    return {(a.day, a.kind): a.hours for a in session.exec(select(Absence))}


def _in_a_long_period(prepared: object, day: object) -> bool:
    periods = prepared.checked.periods  # type: ignore[attr-defined]
    return any(p.start != p.end and p.start <= day <= p.end for p in periods)
