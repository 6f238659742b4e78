"""The flow of a quick update, the same whichever front end shows it: after a message is read,
the next step is to ask what was meant, to confirm what will be stored, or to refuse. The chat
renders a step as a message with buttons, the page as a form; the value waiting for Save is the
step's own (`Ask.options`, `Confirm.prepared`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.protocol.parsing import Ambiguous, Question, QuickUpdate
from bot.services.access import NotAvailable
from bot.services.cases import PreparedUpdate, UpdateError, prepare
from bot.services.container import Services
from bot.storage.models import User

# A refusal for a pupil the user may not (or no longer) see; the others are `UpdateError` codes.
NOT_AVAILABLE = "not_available"


@dataclass(frozen=True)
class Ask:
    """Which of these readings was meant (each a complete update)."""

    question: Question
    options: tuple[QuickUpdate, ...]


@dataclass(frozen=True)
class Confirm:
    """This is what Save will store."""

    prepared: PreparedUpdate


@dataclass(frozen=True)
class Refuse:
    """Nothing can be stored: why (`NOT_AVAILABLE` or an `UpdateError` code)."""

    code: str


Step = Ask | Confirm | Refuse


def next_step(
    services: Services, *, user: User, pupil_id: int, parsed: QuickUpdate | Ambiguous
) -> Step:
    """What follows a read update about this pupil (a database read: call it off the loop)."""
    if isinstance(parsed, Ambiguous):
        return Ask(parsed.question, parsed.options)
    try:
        return Confirm(prepare(services, user=user, pupil_id=pupil_id, update=parsed))
    except NotAvailable:
        return Refuse(NOT_AVAILABLE)
    except UpdateError as error:
        return Refuse(error.code)
