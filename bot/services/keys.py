"""Re-encrypting every personal value with a new DATA_KEY, resumably."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from bot.services import audit
from bot.services.pupil_search import TOKEN_COLUMNS, token_columns
from bot.storage import crypto
from bot.storage.models import AuditAction, AuditChannel
from bot.storage.types import _Sealed


@dataclass(frozen=True)
class SealedColumns:
    """The encrypted columns of one table, with their sealing contexts."""

    table: str
    columns: tuple[tuple[str, str], ...]  # (column name, context)


def sealed_columns() -> list[SealedColumns]:
    """Every encrypted column of the schema, found from the column types."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = tuple(
            (column.name, column.type.context)
            for column in table.columns
            if isinstance(column.type, _Sealed)
        )
        if columns:
            found.append(SealedColumns(table.name, columns))
    return found


@dataclass
class Rotation:
    """Progress of a rotation."""

    values: int = 0  # values re-encrypted in this run
    rows: int = 0
    complete: bool = False


def _batches(engine: Engine, spec: SealedColumns, size: int) -> Iterator[list[sa.Row]]:
    raw = sa.table(
        spec.table,
        sa.column("id", sa.Integer()),
        *(sa.column(name, sa.LargeBinary()) for name, _ in spec.columns),
    )
    last_id = 0
    while True:
        with engine.connect() as connection:
            rows = list(
                connection.execute(
                    sa.select(raw).where(raw.c.id > last_id).order_by(raw.c.id).limit(size)
                )
            )
        if not rows:
            return
        last_id = rows[-1][0]
        yield rows


def rotate(
    engine: Engine, *, now: datetime, batch_size: int = 500, max_batches: int | None = None
) -> Rotation:
    """Re-seal every value not yet under the current key, one committed batch at a time.

    Values already under the current key are skipped, so an interrupted run is finished by
    running it again. Old keys must stay in DATA_KEYS_OLD until a run completes.
    """
    ring = crypto.active()
    progress = Rotation()
    batches = 0
    for spec in sealed_columns():
        raw = sa.table(
            spec.table,
            sa.column("id", sa.Integer()),
            *(sa.column(name, sa.LargeBinary()) for name, _ in spec.columns),
            *(sa.column(name, sa.String()) for name in TOKEN_COLUMNS if spec.table == "pupil"),
        )
        for rows in _batches(engine, spec, batch_size):
            if max_batches is not None and batches >= max_batches:
                return progress
            batches += 1
            with Session(engine) as session:
                for row in rows:
                    values: dict[str, object] = {}
                    plain: dict[str, bytes] = {}
                    for index, (name, context) in enumerate(spec.columns, start=1):
                        blob = row[index]
                        if blob is None or ring.is_current(bytes(blob)):
                            continue
                        plain[name] = ring.open(bytes(blob), context)
                        values[name] = ring.seal(plain[name], context)
                    if not values:
                        continue
                    if spec.table == "pupil":
                        # Tokens follow the key too; a name that was already current is opened.
                        names = [
                            plain.get(name) or ring.open(bytes(row._mapping[name]), context)
                            for name, context in (
                                ("first_name", "pupil.first_name"),
                                ("last_name", "pupil.last_name"),
                            )
                        ]
                        values.update(token_columns(names[0].decode(), names[1].decode()))
                    session.execute(raw.update().where(raw.c.id == row[0]).values(**values))
                    progress.values += len(plain)
                    progress.rows += 1
                session.commit()
    with Session(engine) as session:
        audit.record(
            session,
            action=AuditAction.KEY_ROTATE,
            at=now,
            channel=AuditChannel.CLI,
            detail=f"{progress.values} values",
        )
        session.commit()
    progress.complete = True
    return progress


def key_opens_stored_data(engine: Engine) -> bool:
    """Whether the installed keys open the first and the last sealed pupil name (a wrong
    DATA_KEY is caught at start, not at the first dossier)."""
    raw = sa.table(
        "pupil", sa.column("id", sa.Integer()), sa.column("first_name", sa.LargeBinary())
    )
    ring = crypto.active()
    with engine.connect() as connection:
        samples = [
            connection.execute(sa.select(raw.c.first_name).order_by(order).limit(1)).scalar()
            for order in (raw.c.id, raw.c.id.desc())
        ]
    try:
        for blob in samples:
            if blob is not None:
                ring.open(bytes(blob), "pupil.first_name")
    except crypto.DataKeyError:
        return False
    return True
