"""A new pupil, as every front end takes one in: the chat (field by field), the web form (all
at once) and the CSV import (row by row). Its rules live here once; each refusal has a code,
and the words for it are the same everywhere (`REFUSALS`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from bot.i18n import N_
from bot.protocol.dates import BirthDateProblem, read_birth_date

MAX_NAME = 100

# What each refusal says (message ids; translated where shown). Birth dates: `BirthDateProblem`.
_USABLE = N_("That is not a date of birth I can use. Write it with the year, like 15-03-2015.")
REFUSALS: dict[str, str] = {
    "bad_first_name": N_("A first name is written in letters: at most 100, without digits."),
    "bad_last_name": N_(
        "A last name (with its prefix, like “de Vries”) is written in letters: at most 100, "
        "without digits."
    ),
    BirthDateProblem.NOT_A_DATE: _USABLE,
    BirthDateProblem.NO_YEAR: _USABLE,
    BirthDateProblem.NO_SUCH_DAY: N_(
        "That day does not exist in the calendar. Check the day and the month, like 15-03-2015."
    ),
    BirthDateProblem.FUTURE: N_(
        "That date lies in the future. Write the date of birth with the year, like 15-03-2015."
    ),
    BirthDateProblem.AGE: N_(
        "With that date of birth the pupil would not be of school age (2 to 25 years old). "
        "Check the year."
    ),
}


def _name(code: str) -> BeforeValidator:
    def clean(value: Any) -> str:
        cleaned = " ".join(str(value or "").split())
        if not cleaned or len(cleaned) > MAX_NAME or any(c.isdigit() for c in cleaned):
            raise PydanticCustomError(code, "not a name")
        return cleaned

    return BeforeValidator(clean)


def _today(info: ValidationInfo) -> date:
    context = info.context or {}
    if "today" not in context:
        raise TypeError("a new pupil is read with today's date: NewPupil.read(..., today=...)")
    today: date = context["today"]
    return today


def _born(value: Any, info: ValidationInfo) -> date:
    """A date of birth as typed ("15-03-2015", "15 maart 2015") or as a date: in the past, of
    someone of school age (2 to 25) today."""
    today = _today(info)
    born = read_birth_date(value if isinstance(value, str) else value.isoformat(), today)
    if isinstance(born, BirthDateProblem):
        raise PydanticCustomError(born.value, "not a date of birth")
    return born


FirstName = Annotated[str, _name("bad_first_name")]
LastName = Annotated[str, _name("bad_last_name")]
BirthDate = Annotated[date, BeforeValidator(_born)]


class NewPupil(BaseModel):
    """A new pupil and their case, as registered."""

    model_config = ConfigDict(frozen=True)

    first_name: FirstName
    last_name: LastName
    birth_date: BirthDate
    school_id: int | None
    gemeente_id: int | None
    category: str
    article: str | None
    start: date

    @classmethod
    def read(cls, values: dict[str, Any], *, today: date) -> NewPupil:
        """The new pupil, checked as of `today`; `ValidationError` says what is refused."""
        return cls.model_validate(values, context={"today": today})


_FIELDS: dict[str, TypeAdapter[Any]] = {
    "first_name": TypeAdapter(FirstName),
    "last_name": TypeAdapter(LastName),
    "birth_date": TypeAdapter(BirthDate),
}


def read_field(field: str, value: Any, *, today: date) -> Any:
    """One field as typed (the chat asks for them one by one): its value, or `Refused`."""
    try:
        return _FIELDS[field].validate_python(value, context={"today": today})
    except ValidationError as error:
        return Refused(refusal_codes(error)[0])


class Refused(str):
    """A refusal's code (a key of `REFUSALS`)."""


def refusal_codes(error: ValidationError) -> list[str]:
    """The codes of our own refusals in a validation error, field by field in order."""
    return [str(problem["type"]) for problem in error.errors()]
