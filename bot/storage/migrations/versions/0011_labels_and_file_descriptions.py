"""a search token of a pupil's initials (labels typed back), and a file's description

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

The initials token is filled from the names with DATA_KEY, as 0005 filled the other tokens.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of how the token is made when this migration was written: a migration must not
# change when live code does (and the storage layer imports nothing above it).
_PREFIXES = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "ter",
        "ten",
        "te",
        "'t",
        "in",
        "op",
        "la",
        "le",
        "du",
        "di",
        "da",
        "el",
        "al",
        "von",
        "vd",
        "v.d.",
        "d'",
    }
)


def _initials(first: str, last: str) -> str:
    words = last.split()
    initial = next(
        (w[0] for w in words if w.lower() not in _PREFIXES), words[-1][0] if words else ""
    )
    return f"{first.strip()[:1]}.{initial}." if initial else f"{first.strip()[:1]}."


def _fill() -> None:
    pupils = sa.table(
        "pupil", sa.column("id", sa.Integer()), sa.column("token_initials", sa.String())
    )
    ring: Any = None
    rows = op.get_bind().execute(sa.text("SELECT id, first_name, last_name FROM pupil"))
    for pupil_id, sealed_first, sealed_last in list(rows):
        if ring is None:
            from bot.storage import crypto

            ring = crypto.active()
        first = ring.open(bytes(sealed_first), "pupil.first_name").decode("utf-8")
        last = ring.open(bytes(sealed_last), "pupil.last_name").decode("utf-8")
        op.get_bind().execute(
            pupils.update()
            .where(pupils.c.id == pupil_id)
            .values(token_initials=ring.token(_initials(first, last)))
        )


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_initials", sa.String(length=32), nullable=False, server_default="")
        )
    _fill()
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.alter_column(
            "token_initials", existing_type=sa.String(length=32), server_default=None
        )
        batch_op.create_index("ix_pupil_token_initials", ["token_initials"], unique=False)
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_column("description")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_index("ix_pupil_token_initials")
        batch_op.drop_column("token_initials")
