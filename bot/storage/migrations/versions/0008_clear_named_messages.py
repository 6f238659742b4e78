"""an SWV's choice to delete chat messages that named a pupil once saved

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("swv", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "clear_named_messages", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("swv", schema=None) as batch_op:
        batch_op.drop_column("clear_named_messages")
