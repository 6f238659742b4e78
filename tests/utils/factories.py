"""Small factories for test data, on a real database session."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.protocol.rules import DEFAULT_SETTINGS as PROTOCOL
from bot.services.onboarding import Membership, create_invitation, resolve_membership
from bot.services.organisations import add_bestuur, add_gemeente, add_school, add_swv
from bot.storage.models import Role

# The tests' "now": a Monday morning in Amsterdam (the services' clock in tests).
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
# The tests' DATA_KEY (32 bytes of base64); a real one comes from `python -m bot key generate`.
DATA_KEY = "dGh1aXN6aXRib3QtdGVzdC1rZXktMzItYnl0ZXMhISE="
TODAY = NOW.date()


def organisations(session: Session) -> None:
    """Two SWVs; the first with two boards, three schools and two municipalities."""
    add_swv(session=session, name="SWV Rijn en Gouwe", today=TODAY)
    add_swv(session=session, name="SWV Elders", today=TODAY)
    add_bestuur(session=session, name="Stichting Bolder", swv_name="SWV Rijn en Gouwe", today=TODAY)
    add_bestuur(session=session, name="Stichting Kompas", swv_name="SWV Rijn en Gouwe", today=TODAY)
    add_bestuur(session=session, name="Stichting Ver", swv_name="SWV Elders", today=TODAY)
    add_gemeente(
        session=session, name="Alphen aan den Rijn", swv_name="SWV Rijn en Gouwe", today=TODAY
    )
    add_gemeente(session=session, name="Gouda", swv_name="SWV Rijn en Gouwe", today=TODAY)
    add_gemeente(session=session, name="Verweg", swv_name="SWV Elders", today=TODAY)
    add_school(
        session=session,
        brin="12AB",
        name="De Regenboog",
        school_type="PO",
        region="midden",
        bestuur_name="Stichting Bolder",
        today=TODAY,
    )
    add_school(
        session=session,
        brin="34CD",
        name="Het Baken",
        school_type="VO",
        region="zuid",
        bestuur_name="Stichting Bolder",
        today=TODAY,
    )
    add_school(
        session=session,
        brin="56EF",
        name="De Vlinder",
        school_type="SO",
        region="noord",
        bestuur_name="Stichting Kompas",
        today=TODAY,
    )
    add_school(
        session=session,
        brin="78GH",
        name="Verre School",
        school_type="PO",
        region="noord",
        bestuur_name="Stichting Ver",
        today=TODAY,
    )
    session.commit()


def invitation_code(
    session: Session,
    role: Role,
    *,
    now: datetime,
    school: str | None = None,
    bestuur: str | None = None,
    gemeente: str | None = None,
    swv: str | None = None,
    valid_for: timedelta = timedelta(days=7),
) -> str:
    """A fresh invitation code for `role` at the named organisation."""
    membership: Membership = resolve_membership(
        session=session,
        role=role,
        school_brin=school,
        bestuur_name=bestuur,
        gemeente_name=gemeente,
        swv_name=swv,
    )
    _, code = create_invitation(
        session=session, role=role, membership=membership, now=now, valid_for=valid_for
    )
    session.commit()
    return code


def registry(session: Session, rows: str | None = None) -> None:
    """The standard organisations plus the standard 20 pupils (tests/utils/datasets.py)."""
    import io

    from bot.services.importing import import_csv
    from tests.utils.datasets import standard_pupils

    organisations(session)
    result = import_csv(
        settings=PROTOCOL,
        session=session,
        stream=io.StringIO(rows or standard_pupils(20)),
        today=TODAY,
        now=NOW,
    )
    assert result.ok, result.errors
    session.commit()
