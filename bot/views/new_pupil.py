"""What a new pupil's registration says when a value cannot be used (chat and web alike)."""

from __future__ import annotations

from bot.i18n import N_
from bot.protocol.dates import BirthDateProblem

_USABLE = N_("That is not a date of birth I can use. Write it with the year, like 15-03-2015.")
BIRTH_DATE_PROBLEMS: dict[BirthDateProblem, str] = {
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
