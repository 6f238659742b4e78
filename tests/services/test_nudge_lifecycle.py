"""A nudge's life has one owner: each step of `nudge_lifecycle` moves exactly the nudges it may
(table), and no other module of the bot writes a nudge's row."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.services import nudge_lifecycle as lifecycle
from bot.storage.models import DeadlineRow, Nudge, Role, User
from tests.utils.factories import NOW

BOT = Path(__file__).resolve().parents[2] / "bot"
STATUSES = ["planned", "sending", "sent", "failed", "cancelled"]
LATER = NOW + timedelta(hours=3)


def _one_of_each(session: Session) -> dict[str, int]:
    """One nudge in each status, of one deadline and one user."""
    user = User(telegram_id=1, role=Role.SWV.value, swv_id=1, created_at=NOW)
    session.add(user)
    session.flush()
    deadline = DeadlineRow(identity="x", swv_id=1, rule="OVERLEG_LEERPLICHT", due=NOW.date(),
                           trigger_day=NOW.date(), created_at=NOW, updated_at=NOW)  # fmt: skip
    session.add(deadline)
    session.flush()
    assert user.id is not None
    assert deadline.id is not None
    ids = {}
    for status in STATUSES:
        row = lifecycle.planned(key=status, deadline_id=deadline.id, user_id=user.id,
                                kind="due", at=NOW, now=NOW)  # fmt: skip
        nudge = Nudge(**(row | {"status": status}))
        session.add(nudge)
        session.flush()
        assert nudge.id is not None
        ids[status] = nudge.id
    return ids


# Each step, and the status a nudge in each status has afterwards (unchanged when not listed).
STEPS: list[tuple[str, Callable[[Session, list[int]], None], dict[str, str]]] = [
    ("claim", lambda s, ids: lifecycle.claim(s, [(i, 0) for i in ids]),
     {"planned": "sending", "sending": "sending"}),
    ("cancel", lifecycle.cancel, {"planned": "cancelled"}),
    ("cancel_unsent", lifecycle.cancel_unsent, {"planned": "cancelled", "sending": "cancelled"}),
    ("fail", lifecycle.fail, dict.fromkeys(STATUSES, "failed")),
    ("plan_again", lambda s, ids: lifecycle.plan_again(s, ids, at=LATER),
     dict.fromkeys(STATUSES, "planned")),
    ("sent", lambda s, ids: lifecycle.sent(s, ids, at=LATER, chat_id=5, message_id=6),
     dict.fromkeys(STATUSES, "sent")),
]  # fmt: skip


@pytest.mark.parametrize(("name", "step", "moves"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_moves_the_nudges_it_may(
    orgs: Session, name: str, step: Callable[[Session, list[int]], None], moves: dict[str, str]
) -> None:
    ids = _one_of_each(orgs)
    # The steps are called on the nudges a caller selected; which statuses each may move is the
    # step's own business (cancel only what is still planned).
    step(orgs, list(ids.values()))
    orgs.expire_all()
    after = {status: orgs.get(Nudge, nudge_id) for status, nudge_id in ids.items()}
    assert {s: n.status for s, n in after.items() if n} == {s: moves.get(s, s) for s in STATUSES}
    if name == "claim":
        attempts = {s: n.attempts for s, n in after.items() if n}
        assert attempts == {"planned": 1, "sending": 1, "sent": 0, "failed": 0, "cancelled": 0}
    if name == "plan_again":
        assert {n.planned_at for n in after.values() if n} == {LATER}
    if name == "sent":
        assert {(n.chat_id, n.message_id) for n in after.values() if n} == {(5, 6)}


def test_a_nudge_read_by_two_runs_is_taken_by_one(orgs: Session) -> None:
    # Both runs read the planned nudge with no attempts; the first to claim it counts its
    # attempt, and the second, claiming what it read, takes nothing.
    ids = _one_of_each(orgs)
    read = [(ids["planned"], 0)]
    assert lifecycle.claim(orgs, read) == {ids["planned"]}
    assert lifecycle.claim(orgs, read) == set()
    orgs.expire_all()
    nudge = orgs.get(Nudge, ids["planned"])
    assert nudge is not None
    assert (nudge.status, nudge.attempts) == ("sending", 1)
    # A run that stopped left it `sending`: the next run, reading it anew, takes it.
    assert lifecycle.claim(orgs, [(ids["planned"], 1)]) == {ids["planned"]}


def test_cancelling_a_users_nudges_leaves_the_others(orgs: Session) -> None:
    ids = _one_of_each(orgs)
    lifecycle.cancel_for_user(orgs, user_id=999)
    lifecycle.plan_again(orgs, [ids["sending"]])  # planned again at its old moment
    orgs.expire_all()
    again = orgs.get(Nudge, ids["sending"])
    assert again is not None
    assert again.planned_at == NOW
    user_id = orgs.exec(select(User.id)).one()
    assert user_id is not None
    lifecycle.cancel_for_user(orgs, user_id)
    orgs.expire_all()
    assert {n.key: n.status for n in orgs.exec(select(Nudge))} == {
        "planned": "cancelled", "sending": "cancelled", "sent": "sent", "failed": "failed",
        "cancelled": "cancelled",
    }  # fmt: skip


def _writes_nudges(tree: ast.AST) -> bool:
    """An `update(Nudge)`: a change of nudges' rows."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "update"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "Nudge"
        ):
            return True
    return False


def test_no_other_module_writes_a_nudge_row() -> None:
    writers = sorted(
        str(path.relative_to(BOT))
        for path in BOT.rglob("*.py")
        if _writes_nudges(ast.parse(path.read_text(encoding="utf-8")))
    )
    assert writers == ["services/nudge_lifecycle.py"]
