"""deadlines and school closures

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "school_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "day"),
    )
    with op.batch_alter_table("school_closure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_school_closure_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=80), nullable=False),
        sa.Column("swv_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("org_kind", sa.String(length=10), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("trigger_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("closed_reason", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["swv.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("identity"),
    )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_swv_id"), ["swv_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_swv_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_status"))
        batch_op.drop_index(batch_op.f("ix_deadline_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_due"))

    op.drop_table("deadline")
    with op.batch_alter_table("school_closure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_closure_school_id"))

    op.drop_table("school_closure")
