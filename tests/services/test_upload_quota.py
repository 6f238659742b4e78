"""An upload quota per pupil (UPLOAD_QUOTA_MB, all of the pupil's files together): a file that
would go over it is refused with a clear reason, and nothing is filed."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import Session, select

from bot.services.cases import UpdateError
from bot.services.files import store_file
from bot.services.onboarding import redeem_invitation
from bot.storage.models import CaseFile, Pupil, Role
from tests.utils.factories import NOW, invitation_code

PDF = b"%PDF-1.4\n" + b"x" * (600 * 1024)


def test_a_file_beyond_the_pupils_quota_is_refused(registry: Session) -> None:
    sanne = registry.exec(select(Pupil).where(Pupil.leerling_id == "L00000")).one()
    assert sanne.id is not None
    user = redeem_invitation(
        session=registry, code=invitation_code(registry, Role.ZORGCOORDINATOR, now=NOW, school="12AB"),
        telegram_id=4242, display_name="Zorg", language="nl", now=NOW,
        work_start=time(8, 0), work_end=time(18, 0),
    ).user  # fmt: skip
    assert user is not None
    quota = 1024 * 1024  # 1 MB

    def store() -> CaseFile:
        return store_file(session=registry, user=user, pupil_id=sanne.id or 0, file_name="a.pdf",
                          mime_type="application/pdf", content=PDF, confidential=False, now=NOW,
                          quota_bytes=quota)  # fmt: skip

    store()
    with pytest.raises(UpdateError) as refused:
        store()
    assert refused.value.code == "quota_full"
    assert len(registry.exec(select(CaseFile)).all()) == 1
