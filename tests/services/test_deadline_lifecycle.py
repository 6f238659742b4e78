"""A deadline's life has one owner: each step of `deadline_lifecycle` moves exactly the
deadlines it should (table), marking done cancels the planned nudges and is audited when a person
did it, and no other module of the bot writes a deadline's status."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.protocol.rules import SUPERSEDED
from bot.services import deadline_lifecycle as lifecycle
from bot.services import nudge_lifecycle
from bot.storage.models import AuditEvent, DeadlineRow, Nudge, Role, User
from tests.utils.factories import NOW

BOT = Path(__file__).resolve().parents[2] / "bot"
LATER = NOW + timedelta(hours=3)


def _deadline(session: Session, status: str, reason: str | None = None) -> DeadlineRow:
    row = DeadlineRow(identity=f"x:{status}:{reason}", swv_id=1, rule="OVERLEG_LEERPLICHT",
                      due=NOW.date(), trigger_day=NOW.date(), status=status, closed_reason=reason,
                      history=reason == SUPERSEDED, created_at=NOW, updated_at=NOW)  # fmt: skip
    session.add(row)
    session.flush()
    return row


# Each step on an open, a closed and an overtaken (history) deadline: (status, reason, history)
# afterwards.
STEPS: list[tuple[str, Callable[[Session, list[int]], None], dict[str, tuple[object, ...]]]] = [
    ("close", lambda s, ids: lifecycle.close(s, ids, reason="not_triggered", now=LATER),
     {"open": ("closed", "not_triggered", False), "closed": ("closed", "not_triggered", False),
      "history": ("closed", "not_triggered", True)}),
    ("close_superseded", lambda s, ids: lifecycle.close(s, ids, reason=SUPERSEDED, now=LATER),
     {"open": ("closed", SUPERSEDED, True), "closed": ("closed", SUPERSEDED, True),
      "history": ("closed", SUPERSEDED, True)}),
    ("reopen", lambda s, ids: lifecycle.reopen(s, ids, now=LATER, from_history=False),
     {"open": ("open", None, False), "closed": ("open", None, False),
      "history": ("open", None, True)}),
    ("reopen_from_history", lambda s, ids: lifecycle.reopen(s, ids, now=LATER, from_history=True),
     {"open": ("open", None, False), "closed": ("open", None, False),
      "history": ("open", None, False)}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "step", "after"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_moves_the_deadlines_as_it_says(
    orgs: Session, name: str, step: Callable[[Session, list[int]], None], after: dict
) -> None:
    rows = {
        "open": _deadline(orgs, "open"),
        "closed": _deadline(orgs, "closed", "not_triggered"),
        "history": _deadline(orgs, "closed", SUPERSEDED),
    }
    step(orgs, [r.id for r in rows.values() if r.id is not None])
    orgs.expire_all()
    seen = {k: (r.status, r.closed_reason, r.history) for k, r in rows.items()}
    assert seen == after
    # The planner settles their nudges on its next run.
    assert {(r.plan_needed, r.updated_at) for r in rows.values()} == {(True, LATER)}


def test_done_cancels_the_planned_nudges_and_is_audited_when_a_person_did_it(
    orgs: Session,
) -> None:
    user = User(telegram_id=1, role=Role.SWV.value, swv_id=1, created_at=NOW)
    orgs.add(user)
    first, second = _deadline(orgs, "open"), _deadline(orgs, "open", "other")
    assert first.id is not None
    assert second.id is not None
    orgs.flush()
    assert user.id is not None
    for deadline_id, status in ((first.id, "planned"), (first.id, "sent"), (second.id, "planned")):
        row = nudge_lifecycle.planned(key=f"{deadline_id}:{status}", deadline_id=deadline_id,
                                      user_id=user.id, kind="due", at=NOW, now=NOW)  # fmt: skip
        orgs.add(Nudge(**(row | {"status": status})))
    orgs.flush()

    lifecycle.done(orgs, [first], now=LATER, by=user, audited=True)
    lifecycle.done(orgs, [second], now=LATER, by=None, audited=False)
    orgs.flush()
    orgs.expire_all()

    assert [(d.status, d.done_by_id) for d in (first, second)] == [
        ("done", user.id),
        ("done", None),
    ]
    nudges = {n.key: n.status for n in orgs.exec(select(Nudge))}
    assert nudges == {f"{first.id}:planned": "cancelled", f"{first.id}:sent": "sent",
                      f"{second.id}:planned": "cancelled"}  # fmt: skip
    audited = [(a.action, a.detail) for a in orgs.exec(select(AuditEvent))]
    assert audited == [("deadline_done", "OVERLEG_LEERPLICHT")]


_STATUSES = {"open", "done", "closed"}


def _writes_deadline_status(tree: ast.AST) -> list[int]:
    """Lines that write a deadline's status: a `DeadlineStatus` member used other than in a
    comparison (assigned, passed as a value, put in a row), or a status spelled out
    (`status="done"`, `{"status": "done"}`)."""
    compared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            compared |= {id(n) for part in (node.left, *node.comparators) for n in ast.walk(part)}
    lines = []
    for node in ast.walk(tree):
        member = (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "DeadlineStatus"
            and id(node) not in compared
        )
        spelled = [
            value
            for key, value in (
                [(k.arg, k.value) for k in node.keywords] if isinstance(node, ast.Call) else []
            )
            + (
                [(k.value if isinstance(k, ast.Constant) else None, v)
                 for k, v in zip(node.keys, node.values, strict=True)]
                if isinstance(node, ast.Dict) else []
            )
            if key == "status" and isinstance(value, ast.Constant) and value.value in _STATUSES
        ]  # fmt: skip
        if member or spelled:
            lines.append(node.lineno)  # type: ignore[attr-defined]
    return lines


def test_no_other_module_writes_a_deadlines_status() -> None:
    writers = sorted(
        str(path.relative_to(BOT))
        for path in BOT.rglob("*.py")
        if path.parts[-3:-1] != ("storage", "migrations")
        and _writes_deadline_status(ast.parse(path.read_text(encoding="utf-8")))
    )
    # The table declares the column's default (open); the lifecycle does the rest.
    assert writers == ["services/deadline_lifecycle.py", "storage/models.py"]


def test_the_guard_sees_a_write_and_lets_a_comparison_pass() -> None:
    written = (
        'deadline.status = DeadlineStatus.DONE\nrow(status="done")\nrows = [{"status": "closed"}]'
    )
    assert sorted(_writes_deadline_status(ast.parse(written))) == [1, 2, 3]
    compared = "rows = [d for d in ds if d.status == DeadlineStatus.OPEN]"
    assert _writes_deadline_status(ast.parse(compared)) == []
