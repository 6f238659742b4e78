"""plan_needed flag on deadlines; indexes to find a deadline's recipients and nudges

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing deadlines start unflagged: the bot plans every deadline once after start anyway.
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("plan_needed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_deadline_plan_needed"), ["plan_needed"], unique=False)
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        for column in ("bestuur_id", "school_id", "gemeente_id"):
            batch_op.create_index(batch_op.f(f"ix_app_user_{column}"), [column], unique=False)
    op.create_index("ix_nudge_deadline_status", "nudge", ["deadline_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_nudge_deadline_status", table_name="nudge")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        for column in ("gemeente_id", "school_id", "bestuur_id"):
            batch_op.drop_index(batch_op.f(f"ix_app_user_{column}"))
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_plan_needed"))
        batch_op.drop_column("plan_needed")
