"""indexes that serve a name lookup and delivery's due nudges whatever the planner's statistics

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

A name is looked up by one token within an SWV (and a school): (token, swv_id, school_id)
replaces the token alone, which lost to `ix_pupil_swv_id` when SQLite had no statistics. The
due nudges are read by status and time: (status, planned_at) replaces the status alone, which
read every planned nudge and sorted them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENS = ("token_first", "token_full", "token_short", "token_initials")


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        for token in _TOKENS:
            batch_op.drop_index(f"ix_pupil_{token}")
            batch_op.create_index(f"ix_pupil_{token}_scope", [token, "swv_id", "school_id"])
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_index("ix_nudge_status")
        batch_op.create_index("ix_nudge_status_planned_at", ["status", "planned_at"])


def downgrade() -> None:
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_index("ix_nudge_status_planned_at")
        batch_op.create_index("ix_nudge_status", ["status"])
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        for token in reversed(_TOKENS):
            batch_op.drop_index(f"ix_pupil_{token}_scope")
            batch_op.create_index(f"ix_pupil_{token}", [token])
