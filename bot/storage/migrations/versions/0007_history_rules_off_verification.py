"""deadlines kept as history; rules an SWV switched off; when a case was last verified

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("history", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("swv", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rules_off", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("thuiszit_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("verified_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_thuiszit_case_verified_by_id_app_user", "app_user", ["verified_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("thuiszit_case", schema=None) as batch_op:
        batch_op.drop_constraint("fk_thuiszit_case_verified_by_id_app_user", type_="foreignkey")
        batch_op.drop_column("verified_by_id")
        batch_op.drop_column("verified_at")
    with op.batch_alter_table("swv", schema=None) as batch_op:
        batch_op.drop_column("rules_off")
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_column("history")
