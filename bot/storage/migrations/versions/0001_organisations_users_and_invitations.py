"""organisations, users and invitations

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "swv",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "bestuur",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("swv_id", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["swv.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("bestuur", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bestuur_swv_id"), ["swv_id"], unique=False)

    op.create_table(
        "gemeente",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("swv_id", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["swv.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("gemeente", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gemeente_swv_id"), ["swv_id"], unique=False)

    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brin", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("onderwijssoort", sa.String(length=3), nullable=False),
        sa.Column("regio", sa.String(length=6), nullable=False),
        sa.Column("bestuur_id", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bestuur_id"],
            ["bestuur.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brin"),
    )
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_bestuur_id"), ["bestuur_id"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("swv_id", sa.Integer(), nullable=False),
        sa.Column("bestuur_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("gemeente_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("work_start", sa.Time(), nullable=False),
        sa.Column("work_end", sa.Time(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bestuur_id"],
            ["bestuur.id"],
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id"],
            ["gemeente.id"],
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["swv.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("telegram_id"),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_swv_id"), ["swv_id"], unique=False)

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("swv_id", sa.Integer(), nullable=False),
        sa.Column("bestuur_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("gemeente_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bestuur_id"],
            ["bestuur.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id"],
            ["gemeente.id"],
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
        ),
        sa.ForeignKeyConstraint(
            ["swv_id"],
            ["swv.id"],
        ),
        sa.ForeignKeyConstraint(
            ["used_by_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_swv_id"), ["swv_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_swv_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_swv_id"))

    op.drop_table("app_user")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_bestuur_id"))

    op.drop_table("school")
    with op.batch_alter_table("gemeente", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gemeente_swv_id"))

    op.drop_table("gemeente")
    with op.batch_alter_table("bestuur", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bestuur_swv_id"))

    op.drop_table("bestuur")
    op.drop_table("swv")
