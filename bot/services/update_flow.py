"""The flow of a quick update, the same whichever front end shows it: after a message is read,
the next step is to ask what was meant, to confirm what will be stored, or to refuse. The chat
renders a step as a message with buttons, the page as a form; the value waiting for Save is the
step's own (`Ask.options`, `Confirm.prepared`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.protocol.parsing import Ambiguous, Question, QuickUpdate
from bot.services.access import NotAvailable
from bot.services.cases import PreparedUpdate, UpdateError, prepare_update, pupil_choices
from bot.services.container import Services
from bot.services.pupil_search import find_pupils
from bot.storage.models import Pupil, User

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
    with services.session() as session:
        return _step(session, services, user, pupil_id, parsed)


def _step(
    session: Session,
    services: Services,
    user: User,
    pupil_id: int,
    parsed: QuickUpdate | Ambiguous,
    visible: Pupil | None = None,
) -> Step:
    """`next_step` in a unit of work already open (`visible`: the pupil, read in it as one the
    user may see)."""
    if isinstance(parsed, Ambiguous):
        return Ask(parsed.question, parsed.options)
    try:
        prepared = prepare_update(
            session=session,
            user=user,
            pupil_id=pupil_id,
            update=parsed,
            today=services.clock.now().date(),
            settings=services.settings.protocol,
            visible=visible,
        )
    except NotAvailable:
        return Refuse(NOT_AVAILABLE)
    except UpdateError as error:
        return Refuse(error.code)
    return Confirm(prepared)


@dataclass(frozen=True)
class Named:
    """The pupils an update's name may refer to (at most a page of them, as (id, chat label)),
    how many there are, and — when it is exactly one — the update's next step for them."""

    choices: list[tuple[int, str]]
    count: int
    step: Step | None


def named_step(
    services: Services, *, user: User, name: str, parsed: QuickUpdate | Ambiguous, limit: int
) -> Named:
    """Who `name` is and, for one pupil, what follows (as `next_step`): in one unit of work, as
    the chat answers an update with a name in it."""
    with services.session() as session:
        pupils = find_pupils(session=session, user=user, name=name)
        choices = pupil_choices(session, pupils, limit=limit, show_school=True)
        if len(pupils) != 1:
            return Named(choices, len(pupils), None)
        return Named(choices, 1, _step(session, services, user, choices[0][0], parsed, pupils[0]))
