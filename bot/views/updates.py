"""An update as the user sees it, in chat and on the web: what will be stored (one line per
fact), the questions to settle first, why a message was not understood, and the refusals of a
save."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.i18n import N_, Translator
from bot.protocol.parsing import (
    ABSENCE_ITEMS,
    AbsenceOnDay,
    AbsencePeriod,
    BackAtSchool,
    ContactPerson,
    Entry,
    Evaluation,
    Exemption,
    FailureReason,
    Hint,
    Item,
    LateArrival,
    Movement,
    Offer,
    ParseFailure,
    Question,
    QuickUpdate,
    Result,
    Suspension,
    Variawet,
    VariawetStep,
)
from bot.protocol.quick_checks import AbsenceRow, Concern, Period
from bot.protocol.vocabulary import AbsenceKind, EntryKind, MovementKind
from bot.services.cases import PreparedUpdate
from bot.texts import sentence
from bot.views.texts import EXAMPLES, hours_text

FAILURES: dict[FailureReason, str] = {
    FailureReason.EMPTY: N_("I did not understand that as a case update."),
    FailureReason.NOT_UNDERSTOOD: N_("I did not understand that as a case update."),
    FailureReason.NO_NAME: N_("Whom is this about? Start with the pupil's name."),
    FailureReason.TOO_LONG: N_(
        "That is too long for a quick update (at most 500 characters). Keep it short."
    ),
    FailureReason.UNKNOWN_WORDS: N_("I did not understand every word, so I stored nothing."),
    FailureReason.NO_KIND: N_(
        "What kind of absence is it: unauthorised, authorised, ill or late? Nothing was stored."
    ),
    FailureReason.TWO_KINDS: N_(
        "I read two kinds of absence in one part of the message. Send each with its own hours."
    ),
    FailureReason.NEGATION: N_(
        "The message says what did not happen, so I stored nothing. Send what did happen."
    ),
    FailureReason.FUTURE_DATE: N_(
        "Absence and returns can only be registered for today or earlier."
    ),
    FailureReason.BAD_DATE: N_("A date in the message does not exist, or I cannot read it."),
    FailureReason.END_BEFORE_START: N_("The end date lies before the start date."),
    FailureReason.TOO_MANY_HOURS: N_(
        "That is more hours than fit in one day. Send the hours of each day separately."
    ),
    FailureReason.NEEDS_DAYS: N_("On which days? Name each day, so that every day is right."),
    FailureReason.UNCLEAR_DATES: N_(
        "I cannot tell which date goes with which part of the message. Send one day at a time."
    ),
    FailureReason.DATE_OR_TIME: N_(
        "Is that a date or a time? Write a date with the month (“9 oktober”) and a time with "
        "“van … tot …” (“van 9 tot 10”)."
    ),
    FailureReason.NEEDS_HOURS: N_("How many hours? Part of a day is not a whole day."),
    FailureReason.QUESTION: N_(
        "That is a question, so I stored nothing. The dossier shows the hours of this school "
        "year and what is open."
    ),
    FailureReason.SEVERAL_PUPILS: N_(
        "That message is about several pupils. Send it once per pupil; nothing was stored."
    ),
    FailureReason.NO_TEXT: N_(
        "What is the action, goal or person involved? Write it after the colon."
    ),
    FailureReason.NO_ARTICLE: N_("On which article is the exemption based: 5A, 5B, 5C or 5D?"),
}

# Examples close to what was typed: the user's own pupil name in a phrasing that works.
HINT_EXAMPLES: dict[Hint, str] = {
    Hint.ABSENCE: N_("For example: “{name} 4 uur ongeoorloofd vandaag”."),
    Hint.AUTHORISED: N_("For example: “{name} 2 uur geoorloofd vandaag (tandarts)”."),
    Hint.LATE: N_("For example: “{name} te laat maandag en woensdag” or “{name} 10 min te laat”."),
    Hint.SICK: N_("For example: “{name} ziek sinds maandag” or “{name} 2 uur ziek gisteren”."),
    Hint.ENTRY: N_("For example: “actie {name}: gesprek met ouders op 12 maart”."),
    Hint.EXEMPTION: N_("For example: “{name} vrijstelling 5A van 1 maart tot 31 juli”."),
    Hint.SUSPENSION: N_("For example: “{name} geschorst van 2 t/m 4 november”."),
}

UPDATE_ERRORS: dict[str, str] = {
    "no_open_case": N_("There is no open case for this pupil. Register one with /nieuw."),
    "no_case": N_("There is no case for this pupil yet. Register one with /nieuw."),
    "before_case_start": N_("That date lies before the start of the open case."),
    "no_school_days": N_("There are no school days in that period."),
    "no_variawet_application": N_("There is no open Variawet application for this pupil."),
    "before_application": N_("That date lies before the application."),
    "evaluation_while_open": N_(
        "The case is still open. Record the evaluation after it has ended."
    ),
    "quota_full": N_(
        "This pupil's files take all the room a dossier has; nothing was filed. Ask the "
        "administrator to make room or raise UPLOAD_QUOTA_MB."
    ),
    "no_open_action": N_(
        "This pupil has no action up to today without a result. Record the action first "
        "(“actie: gesprek met ouders op 12 maart”), then its result."
    ),
    "action_changed": N_(
        "Meanwhile that action got a result. Nothing was saved: send the result again."
    ),
    "changed_meanwhile": N_(
        "Meanwhile absence was stored for this pupil on one of these days. Nothing was saved: "
        "send the update again to see the new totals."
    ),
}


ABSENCE_NAMES: dict[AbsenceKind, str] = {
    AbsenceKind.ONGEOORLOOFD: N_("unauthorised absence"),
    AbsenceKind.GEOORLOOFD: N_("authorised absence"),
    AbsenceKind.ZIEK: N_("ill"),
    AbsenceKind.TE_LAAT: N_("late"),
}


def _row_line(row: AbsenceRow, replace: bool, late: LateArrival | None, tr: Translator) -> str:
    """One day of absence: weekday, date, hours and kind, and what was stored before."""
    _ = tr.gettext
    if row.kind is AbsenceKind.TE_LAAT:
        if late is not None and late.hours is None:
            text = _("late {count}× on {day} (counts as {hours})").format(
                count=late.count, day=tr.day(row.day), hours=hours_text(row.hours, tr)
            )
        else:
            text = _("{hours} late on {day}").format(
                hours=hours_text(row.hours, tr), day=tr.day(row.day)
            )
    else:
        text = _("{what}, {hours} on {day}").format(
            what=_(ABSENCE_NAMES[row.kind]), hours=hours_text(row.hours, tr), day=tr.day(row.day)
        )
    if row.before is not None:
        if replace:
            text += " " + _("(replaces the {before} stored)").format(
                before=hours_text(row.before, tr)
            )
        else:
            text += " " + _("(added to the {before} stored: {total} in all)").format(
                before=hours_text(row.before, tr),
                total=hours_text(row.after(replace=False), tr),
            )
    return text


def _period_line(period: Period, daily: float, tr: Translator) -> str:
    _ = tr.gettext
    days = tr.ngettext("{n} school day", "{n} school days", period.school_days).format(
        n=period.school_days
    )
    text = _("{what} from {start} up to and including {end}: {days} of {hours}").format(
        what=_(ABSENCE_NAMES[period.kind]),
        start=tr.day(period.start),
        end=tr.day(period.end),
        days=days,
        hours=hours_text(daily, tr),
    )
    if period.already:
        text += " " + tr.ngettext(
            "({n} day was registered already and stays as it is)",
            "({n} days were registered already and stay as they are)",
            period.already,
        ).format(n=period.already)
    return text


def item_line(item: Item, tr: Translator, *, with_text: bool = True) -> str:
    """A fact other than absence, in one line, without health details or exemption grounds (and
    without what was written, unless `with_text`)."""
    _ = tr.gettext
    if not with_text and isinstance(item, Offer | ContactPerson | Evaluation | Entry | Result):
        return _without_text(item, tr)
    if isinstance(item, BackAtSchool):
        return _("back at school since {date}; the open case is closed").format(
            date=tr.day(item.day)
        )
    if isinstance(item, Offer):
        return _("suitable offer since {date}: {offer}").format(
            date=tr.day(item.since), offer=item.text or "—"
        )
    if isinstance(item, Suspension):
        return _("suspended from {start} up to and including {end}").format(
            start=tr.day(item.start), end=tr.day(item.end)
        )
    if isinstance(item, Exemption):
        if item.end is None:
            return _("exemption from {start}").format(start=tr.day(item.start))
        return _("exemption from {start} up to and including {end}").format(
            start=tr.day(item.start), end=tr.day(item.end)
        )
    if isinstance(item, Movement):
        steps = {
            MovementKind.VERWIJDERING: _("removed from school"),
            MovementKind.UITSCHRIJVING: _("de-registered"),
            MovementKind.INSCHRIJVING: _("enrolled"),
        }
        line = _("{what} on {date}").format(what=steps[item.step], date=tr.day(item.day))
        if item.new_school:
            line += "; " + _("new school: {school}").format(school=item.new_school)
        return line
    if isinstance(item, Variawet):
        steps_v = {
            VariawetStep.APPLIED: _("Variawet application"),
            VariawetStep.APPROVED: _("Variawet application approved"),
            VariawetStep.REJECTED: _("Variawet application rejected"),
        }
        return _("{what} on {date}").format(what=steps_v[item.step], date=tr.day(item.day))
    if isinstance(item, ContactPerson):
        return _("contact person: {name}").format(name=item.text)
    if isinstance(item, Evaluation):
        return _("evaluation: {text}").format(text=item.text)
    if isinstance(item, Result):
        return _("result of the action of {date}: {text}").format(
            date=tr.day(item.action_day) if item.action_day else "—", text=item.text
        )
    assert isinstance(item, Entry)
    line = _("{what} on {date}: {text}").format(
        what=_entry_name(item.kind, tr), date=tr.day(item.day), text=item.text
    )
    if item.confidential:
        line += " " + _("(confidential: not shown to leerplicht)")
    return line


def _without_text(item: Offer | ContactPerson | Evaluation | Entry | Result, tr: Translator) -> str:
    _ = tr.gettext
    kept = _("(the text is in the dossier)")
    if isinstance(item, Result):
        day = tr.day(item.action_day) if item.action_day else "—"
        return _("result of the action of {date}").format(date=day) + " " + kept
    if isinstance(item, Offer):
        return _("suitable offer since {date}").format(date=tr.day(item.since)) + " " + kept
    if isinstance(item, ContactPerson):
        return _("contact person") + " " + kept
    if isinstance(item, Evaluation):
        return _("evaluation") + " " + kept
    what = _entry_name(item.kind, tr)
    return _("{what} on {date}").format(what=what, date=tr.day(item.day)) + " " + kept


def _entry_name(kind: EntryKind, tr: Translator) -> str:
    _ = tr.gettext
    names = {
        EntryKind.ACTION: _("action"),
        EntryKind.GOAL: _("goal"),
        EntryKind.PARTY: _("involved"),
        EntryKind.NOTE: _("note"),
    }
    return names[kind]


def describe(
    prepared: PreparedUpdate, who: str, tr: Translator, *, replace: bool, with_text: bool = True
) -> list[str]:
    """What will be (or was) stored, one line per fact, each with its weekday and date (without
    the texts of notes, actions and the like when `with_text` is off: the chat's record of a
    save when the dossier lives on the web pages)."""
    checked = prepared.checked
    # A period of one day ("ziek sinds maandag" on that Monday) reads best as that day's row.
    periods = [p for p in checked.periods if p.start != p.end]
    lines = [_period_line(p, prepared.daily_hours, tr) for p in periods]
    covered = {(p.kind, p.start, p.end) for p in periods}
    late = {i.day: i for i in prepared.update.items if isinstance(i, LateArrival)}
    for row in checked.rows:
        in_period = any(k == row.kind and s <= row.day <= e for k, s, e in covered)
        if not (in_period and row.before is None):
            lines.append(_row_line(row, replace, late.get(row.day), tr))
    lines += [
        item_line(i, tr, with_text=with_text)
        for i in prepared.update.items
        if not isinstance(i, ABSENCE_ITEMS)
    ]
    return [f"{who}: {line}" for line in lines]


def _concern_lines(prepared: PreparedUpdate, tr: Translator) -> list[str]:
    _ = tr.gettext
    texts = {
        Concern.NOT_A_SCHOOL_DAY: _("{day} is not a school day (weekend, holiday or day off)."),
        Concern.FAR_BACK: _("{day} is more than four weeks ago."),
        Concern.MORE_THAN_A_DAY: _(
            "On {day} that is more absence than a school day of {hours} has."
        ),
    }
    return [
        "⚠️ "
        + sentence(
            texts[concern].format(day=tr.day(day), hours=hours_text(prepared.daily_hours, tr))
        )
        for concern, day in prepared.checked.concerns
        if concern in texts
    ]


@dataclass(frozen=True)
class Confirmation:
    """What will be stored, as both front ends show it: the chat joins it into one message, the
    page's template loops over its lines."""

    heading: str
    lines: tuple[str, ...]
    asks_add_or_replace: bool
    worried: bool  # a concern was raised: Save is "Save anyway"

    def text(self) -> str:
        """The confirmation as one chat message."""
        return "\n".join((self.heading, *self.lines))


def confirmation(prepared: PreparedUpdate, who: str, tr: Translator) -> Confirmation:
    """The confirmation: what will be stored, the question to add up or replace, the concerns."""
    _ = tr.gettext
    checked = prepared.checked
    lines = describe(prepared, who, tr, replace=False)
    if checked.asks_add_or_replace:
        lines.append(
            _("Hours of this kind are already stored on that day. Add these up, or replace them?")
        )
    lines += _concern_lines(prepared, tr)
    if prepared.update.explanation_dropped:
        lines.append(
            _(
                "The explanation (in brackets, or after “want”, “ivm” or “because”) is not "
                "stored; add it as a note (“notitie {name}: …”) if it matters."
            ).format(name=prepared.update.name[:40])
        )
    worried = any(c is not Concern.ALREADY_STORED for c, _day in checked.concerns)
    return Confirmation(_("Is this right?"), tuple(lines), checked.asks_add_or_replace, worried)


def failure_text(failure: ParseFailure, tr: Translator, *, echo_name: bool = True) -> str:
    """Why a message was not stored, what was understood and what not, and an example close to
    what was typed (with the user's own pupil name, unless `echo_name` is off)."""
    _ = tr.gettext
    if not echo_name:
        failure = replace(failure, name="")
    lines = [_(FAILURES[failure.reason]).format(name=failure.name[:40] or "Sanne")]
    understood = [_("pupil “{name}”").format(name=failure.name[:40])] if failure.name else []
    understood += [_(ABSENCE_NAMES[kind]) for kind in failure.kinds]
    if understood and failure.reason not in (FailureReason.EMPTY, FailureReason.TOO_LONG):
        lines.append(_("Understood: {what}.").format(what=", ".join(understood)))
    if failure.reason is FailureReason.FUTURE_DATE and failure.day is not None:
        lines.append(sentence(_("{day} lies in the future.").format(day=tr.day(failure.day))))
    if failure.unknown:
        words = ", ".join(f"“{word[:30]}”" for word in failure.unknown[:5])
        lines.append(_("Not understood: {words}.").format(words=words))
    if failure.reason in (FailureReason.EMPTY, FailureReason.TOO_LONG):
        lines.append(_(EXAMPLES))
    elif failure.hint in HINT_EXAMPLES:
        lines.append(_(HINT_EXAMPLES[failure.hint]).format(name=failure.name[:40] or "Sanne"))
    else:
        lines.append(_(EXAMPLES))
    return "\n".join(lines)


def option_label(question: Question, option: QuickUpdate, tr: Translator) -> str:
    """The button for one reading: what differs between the readings."""
    _ = tr.gettext
    item = option.items[0]
    if question is Question.WHICH_KIND and isinstance(item, AbsenceOnDay | AbsencePeriod):
        return _(ABSENCE_NAMES[item.kind])
    if isinstance(item, AbsencePeriod | Suspension):
        if question is Question.UNTIL:
            return _("up to and including {day}").format(day=tr.day(item.end))
        if question is Question.WHICH_START:
            # "sinds vrijdag" said on a Friday: since today, or since a week ago.
            return _("since {day}").format(day=tr.day(item.start))
        return _("the whole week ({start} – {end})").format(
            start=tr.short_day(item.start), end=tr.short_day(item.end)
        )
    if isinstance(item, BackAtSchool | Movement | Variawet):
        return tr.day(item.day)
    assert isinstance(item, AbsenceOnDay | LateArrival)
    return tr.day(item.day)


QUESTIONS: dict[Question, str] = {
    Question.WHICH_DAY: N_("Which day do you mean?"),
    Question.WHICH_START: N_("Since which day?"),
    Question.WHICH_KIND: N_("What kind of absence is it?"),
    Question.UNTIL: N_("Is the last day included?"),
}
