"""Documents and photos filed with a case: limits, and access on the way in and out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.protocol.parsing import split_caption
from bot.services import audit
from bot.services.access import NotAvailable, sees_confidential, visible_pupil
from bot.services.cases import UpdateError, label, latest_case
from bot.services.container import Services
from bot.storage.models import AuditAction, Case, CaseFile, User

# Telegram lets bots download files up to 20 MB; case documents are letters, plans and photos.
MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "text/plain": ".txt",
}
# The words that mark a file confidential, and hashtags ("#medisch"; "#12" is a label's number).
_CONFIDENTIAL_WORDS = re.compile(
    r"\b(?:vertrouwelijk|medisch|confidential|medical)\b|#(?!\d)\w+", re.IGNORECASE
)


@dataclass(frozen=True)
class Caption:
    """A file's caption: whom it is about, what the file is, and whether it is confidential."""

    name: str
    confidential: bool
    description: str = ""


def read_caption(caption: str) -> Caption:
    """ "Sanne vertrouwelijk" → name "Sanne", confidential; "S.V. #12 verslag RTG" → name
    "S.V. #12", described as "verslag RTG"."""
    confidential = bool(re.search(r"vertrouwelijk|medisch|confidential|medical", caption, re.I))
    name, description = split_caption(" ".join(_CONFIDENTIAL_WORDS.sub(" ", caption).split()))
    return Caption(name=name[:80], confidential=confidential, description=description[:200])


# How each accepted type begins. The type a phone claims is not trusted on its own: a program
# renamed to "plan.pdf" does not start like a PDF. (A short fixed list: no sniffing library.)
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
}


def content_matches(mime_type: str, content: bytes) -> bool:
    """Whether the bytes are what the declared type says (plain text: UTF-8 without NUL)."""
    if mime_type == "text/plain":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in content
    return content.startswith(_SIGNATURES.get(mime_type, (b"\x00invalid",)))


def photo_type(content: bytes) -> str | None:
    """The type of a photo's bytes: Telegram clients send JPEG, and some a PNG as it is."""
    for mime_type in ("image/jpeg", "image/png"):
        if content_matches(mime_type, content):
            return mime_type
    return None


def upload_problem(mime_type: str | None, size: int | None) -> str | None:
    """Why an upload is refused ("type", "size"), or None when it is fine."""
    if mime_type not in ALLOWED_TYPES:
        return "type"
    if size is None or size > MAX_FILE_BYTES:
        return "size"
    return None


def safe_file_name(name: str | None, mime_type: str) -> str:
    """A plain file name: no folders, no control characters, the right extension."""
    base = PurePath(name or "").name
    base = re.sub(r"[^\w .()-]", "_", base).strip(" .")[:150] or "bestand"
    extension = ALLOWED_TYPES[mime_type]
    if not base.lower().endswith(extension):
        base += extension
    return base


def store_file(
    *,
    session: Session,
    user: User,
    pupil_id: int,
    file_name: str,
    mime_type: str,
    content: bytes,
    confidential: bool,
    now: datetime,
    quota_bytes: int | None = None,
    description: str | None = None,
) -> CaseFile:
    """File a document with the pupil's current (or latest) case; UpdateError("quota_full")
    when the pupil's files would then take more than `quota_bytes`."""
    pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
    assert pupil.id is not None
    case = latest_case(session=session, pupil_id=pupil.id)
    if case is None or case.id is None:
        raise UpdateError("no_case")
    if quota_bytes is not None:
        kept = session.exec(
            select(func.coalesce(func.sum(CaseFile.size), 0))
            .join(Case, col(Case.id) == col(CaseFile.case_id))
            .where(Case.pupil_id == pupil.id)
        ).one()
        if kept + len(content) > quota_bytes:
            raise UpdateError("quota_full")
    stored = CaseFile(
        case_id=case.id,
        file_name=safe_file_name(file_name, mime_type),
        mime_type=mime_type,
        size=len(content),
        content=content,
        confidential=confidential,
        created_at=now,
        created_by_id=user.id,
        description=description or None,
    )
    session.add(stored)
    session.flush()
    audit.record(
        session,
        action=AuditAction.ADD_FILE,
        at=now,
        actor=user,
        pupil_id=pupil.id,
        detail=mime_type,
    )
    return stored


def file_document(
    services: Services,
    *,
    user: User,
    pupil_id: int,
    file_name: str,
    mime_type: str,
    content: bytes,
    confidential: bool,
    description: str = "",
) -> tuple[str, str]:
    """File a document sent in chat (see `store_file`); returns the pupil's chat label and the
    name it was filed under. Raises `NotAvailable` or `UpdateError`, and then stores nothing."""
    with services.session() as session:
        stored = store_file(
            session=session,
            user=user,
            pupil_id=pupil_id,
            file_name=file_name,
            mime_type=mime_type,
            content=content,
            confidential=confidential,
            now=services.clock.now(),
            quota_bytes=services.settings.upload_quota_mb * 1024**2,
            description=description,
        )
        pupil = visible_pupil(session=session, user=user, pupil_id=pupil_id)
        return label(session=session, pupil=pupil), stored.file_name


def file_for(*, session: Session, user: User, file_id: int, now: datetime) -> CaseFile:
    """A filed document, if `user` may see it (confidential ones never reach leerplicht).

    Opening it is recorded in the audit trail."""
    stored = session.get(CaseFile, file_id)
    if stored is None:
        raise NotAvailable
    case = session.get(Case, stored.case_id)
    assert case is not None
    visible_pupil(session=session, user=user, pupil_id=case.pupil_id)
    if stored.confidential and not sees_confidential(user):
        raise NotAvailable
    audit.record(session, action=AuditAction.VIEW_FILE, at=now, actor=user, pupil_id=case.pupil_id)
    return stored
