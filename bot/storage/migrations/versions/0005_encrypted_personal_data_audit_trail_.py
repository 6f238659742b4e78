"""encrypted personal data, name search tokens, audit trail, user revocation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:28:15.457373

Existing personal values are encrypted here with DATA_KEY (the bot installs its key ring before
it upgrades the database); the downgrade decrypts them again.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → (column, sealing context, plain type, nullable)
_SEALED: dict[str, list[tuple[str, str, Any, bool]]] = {
    "pupil": [
        ("first_name", "pupil.first_name", sa.VARCHAR(length=100), False),
        ("last_name", "pupil.last_name", sa.VARCHAR(length=100), False),
        ("birth_date", "pupil.birth_date", sa.DATE(), True),
        ("residence", "pupil.residence", sa.VARCHAR(length=100), True),
    ],
    "thuiszit_case": [
        ("offer_description", "case.offer_description", sa.VARCHAR(length=500), True),
        ("contact_person", "case.contact_person", sa.VARCHAR(length=200), True),
        ("evaluation", "case.evaluation", sa.TEXT(), True),
    ],
    "case_entry": [
        ("text", "case_entry.text", sa.TEXT(), False),
        ("result", "case_entry.result", sa.TEXT(), True),
    ],
    "case_file": [("file_name", "case_file.file_name", sa.VARCHAR(length=200), False)],
}


def _plain_bytes(value: Any) -> bytes:
    if isinstance(value, date):
        return value.isoformat().encode("ascii")
    return str(value).encode("utf-8")


def _plain_value(raw: bytes, plain_type: Any) -> Any:
    text = raw.decode("utf-8")
    return date.fromisoformat(text) if isinstance(plain_type, sa.DATE) else text


def _ring() -> Any:
    from bot.storage import crypto

    return crypto.active()


def _rows(table: str, columns: list[str]) -> list[Any]:
    names = ", ".join(["id", *columns])
    return list(op.get_bind().execute(sa.text(f"SELECT {names} FROM {table}")))


def _convert(table: str, columns: list[tuple[str, str, Any, bool]], *, seal: bool) -> None:
    """Move each column into a new one of the other kind (sealed or plain), row by row."""
    new_type = (lambda plain: sa.LargeBinary()) if seal else (lambda plain: plain)
    with op.batch_alter_table(table) as batch:
        for name, _, plain, _ in columns:
            batch.add_column(sa.Column(f"{name}__new", new_type(plain), nullable=True))
    rows = _rows(table, [name for name, *_ in columns])
    if rows:
        ring = _ring()
        new_table = sa.table(
            table,
            sa.column("id", sa.Integer()),
            *(sa.column(f"{name}__new", new_type(plain)) for name, _, plain, _ in columns),
        )
        for row in rows:
            values: dict[str, Any] = {}
            for index, (name, context, plain, _) in enumerate(columns, start=1):
                value = row[index]
                if value is None:
                    values[f"{name}__new"] = None
                elif seal:
                    values[f"{name}__new"] = ring.seal(_plain_bytes(value), context)
                else:
                    values[f"{name}__new"] = _plain_value(ring.open(bytes(value), context), plain)
            op.get_bind().execute(
                new_table.update().where(new_table.c.id == row[0]).values(**values)
            )
    with op.batch_alter_table(table) as batch:
        for name, *_ in columns:
            batch.drop_column(name)
    with op.batch_alter_table(table) as batch:
        for name, _, plain, nullable in columns:
            batch.alter_column(
                f"{name}__new",
                new_column_name=name,
                existing_type=new_type(plain),
                nullable=nullable,
            )


def _seal_file_contents(*, seal: bool) -> None:
    files = sa.table(
        "case_file", sa.column("id", sa.Integer()), sa.column("content", sa.LargeBinary())
    )
    rows = _rows("case_file", ["content"])
    if not rows:
        return
    ring = _ring()
    for file_id, content in rows:
        raw = bytes(content)
        new = ring.seal(raw, "case_file.content") if seal else ring.open(raw, "case_file.content")
        op.get_bind().execute(files.update().where(files.c.id == file_id).values(content=new))


# Frozen copies of how the tokens were made when this migration was written: a migration must
# not change when live code does (and the storage layer imports nothing above it).
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


def _surname_initial(last_name: str) -> str:
    words = last_name.split()
    for word in words:
        if word.lower() not in _PREFIXES:
            return word[0].upper()
    return words[-1][0].upper() if words else ""


def _token_columns(ring: Any, first: str, last: str) -> dict[str, str]:
    return {
        "token_first": ring.token(first),
        "token_full": ring.token(f"{first} {last}"),
        "token_short": ring.token(f"{first} {_surname_initial(last)}"),
    }


def _fill_tokens() -> None:
    pupils = sa.table(
        "pupil",
        sa.column("id", sa.Integer()),
        sa.column("token_first", sa.String()),
        sa.column("token_full", sa.String()),
        sa.column("token_short", sa.String()),
    )
    ring = None
    for pupil_id, sealed_first, sealed_last in _rows("pupil", ["first_name", "last_name"]):
        ring = ring or _ring()
        first = ring.open(bytes(sealed_first), "pupil.first_name").decode("utf-8")
        last = ring.open(bytes(sealed_last), "pupil.last_name").decode("utf-8")
        op.get_bind().execute(
            pupils.update()
            .where(pupils.c.id == pupil_id)
            .values(**_token_columns(ring, first, last))
        )


def _require_key_for_existing_data() -> None:
    # Checked before any DDL: SQLite cannot roll DDL back, so failing halfway would leave a
    # schema that is neither 0004 nor 0005.
    for table in [*_SEALED, "case_file"]:
        if op.get_bind().execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:
            _ring()
            return


def upgrade() -> None:
    _require_key_for_existing_data()
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=True),
        sa.Column("channel", sa.String(length=5), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("subject_user_id", sa.Integer(), nullable=True),
        sa.Column("swv_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_pupil_id"), ["pupil_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_swv_id"), ["swv_id"], unique=False)

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_app_user_revoked_by_id", "app_user", ["revoked_by_id"], ["id"]
        )

    for table, columns in _SEALED.items():
        _convert(table, columns, seal=True)
    _seal_file_contents(seal=True)

    with op.batch_alter_table("pupil", schema=None) as batch_op:
        for name in ("token_first", "token_full", "token_short"):
            batch_op.add_column(
                sa.Column(name, sa.String(length=32), nullable=False, server_default="")
            )
    _fill_tokens()
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        for name in ("token_first", "token_full", "token_short"):
            batch_op.alter_column(name, existing_type=sa.String(length=32), server_default=None)
            batch_op.create_index(f"ix_pupil_{name}", [name], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        for name in ("token_short", "token_full", "token_first"):
            batch_op.drop_index(f"ix_pupil_{name}")
            batch_op.drop_column(name)
    _seal_file_contents(seal=False)
    for table, columns in _SEALED.items():
        _convert(table, columns, seal=False)

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint("fk_app_user_revoked_by_id", type_="foreignkey")
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("revoked_by_id")
        batch_op.drop_column("revoked_at")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_swv_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))
    op.drop_table("audit_event")
