"""Nudges as messages: pure functions from the claimed items to texts and buttons, one message
per nudge or a digest, the summaries for administrators, the escalation and early-warning notes.
No database and no Telegram calls here: `queue` reads, `delivery` sends."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.config import Settings
from bot.i18n import N_, Translator, translator
from bot.protocol.calendar import DUTCH_TZ, count_working_days
from bot.protocol.rules import ProtocolSettings, WarningFacts, escalated_to
from bot.storage.models import DeadlineRow, NudgeKind, Role, User
from bot.texts import ROLE_NAMES

DIGEST_FROM = 6  # more than 5 nudges on one day become one message, unless the user chose
BUTTON_PREFIX = "n:"


KIND_LINES = {
    "before_14": N_("In two weeks:"),
    "before_3": N_("In three working days:"),
    "due": N_("Today:"),
    "weekly": N_("Still open:"),
    "event": N_("To do now:"),
    "snoozed": N_("Reminder:"),
    "unassigned": N_("Nobody receives this deadline (no colleague with that role is registered):"),
    "escalation": N_("Escalated to you (the escalation ladder):"),
    "backlog": N_("Overdue when it reached the bot (achterstand):"),
}


# An organisation's overview as of a due date: (organisation kind, id, due date).
DraftKey = tuple[str, int, date]


@dataclass(frozen=True)
class NudgeItem:
    nudge_id: int
    deadline_id: int
    kind: str
    late: bool
    text_parts: tuple[str, str, str]  # (what, who, by)
    pupil_id: int | None
    # The organisation's overview this nudge carries as its document, if it carries one.
    draft: DraftKey | None = None
    # The escalation ladder, translated: how long it is open and where, or to whom it went.
    note: str = ""
    # For the administrators: the organisation and the role nobody fills there, and the due
    # date (deadlines without a recipient are summarised per organisation and role).
    missing: tuple[str, str] | None = None
    due: date | None = None
    # The 4-week deadline of a pupil without an open case: its nudge opens the case.
    opens_case: bool = False


def render(item: NudgeItem, tr: Translator) -> str:
    """One nudge as a message, in the recipient's language."""
    _ = tr.gettext
    what, who, by = item.text_parts
    lines = ["⏰ " + _(KIND_LINES.get(item.kind, KIND_LINES["due"])), _(what), f"{who} — {by}"]
    if item.note:
        lines.append(item.note)
    if item.late:
        lines.append(_("(Sent late: the bot was not reachable for a while.)"))
    return "\n".join(lines)


def buttons(
    item: NudgeItem, tr: Translator, settings: Settings | None = None
) -> InlineKeyboardMarkup:
    """Done, Later (a day, a week), Open case — plain button data, checked when pressed; with
    the web pages on, Open case opens the dossier in the Mini App at once."""
    _ = tr.gettext
    rows = [
        [
            InlineKeyboardButton(
                "✓ " + _("Done"), callback_data=f"{BUTTON_PREFIX}d:{item.nudge_id}"
            ),
            InlineKeyboardButton(_("Tomorrow"), callback_data=f"{BUTTON_PREFIX}l1:{item.nudge_id}"),
            InlineKeyboardButton(
                _("Next week"), callback_data=f"{BUTTON_PREFIX}l7:{item.nudge_id}"
            ),
        ]
    ]
    if item.pupil_id is None:
        return InlineKeyboardMarkup(rows)
    if item.opens_case:
        rows.append(
            [
                InlineKeyboardButton(
                    "📂 " + _("Open the thuiszit case"),
                    callback_data=f"{BUTTON_PREFIX}c:{item.nudge_id}",
                )
            ]
        )
    url = settings.mini_app_url(f"/pupils/{item.pupil_id}") if settings is not None else None
    if url is not None:
        rows.append([InlineKeyboardButton(_("Open case"), web_app=WebAppInfo(url))])
    else:
        rows.append(
            [
                InlineKeyboardButton(
                    _("Open case"), callback_data=f"{BUTTON_PREFIX}o:{item.nudge_id}"
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def warning_text(warning: WarningFacts, tr: Translator) -> str:
    """The facts of an early warning as people say them: "10 uur ongeoorloofd in 5 schooldagen"."""
    if warning.kind == "hours":
        hours = format_decimal(warning.amount, locale=tr.locale)
        return tr.ngettext(
            "{hours} hours unauthorised in {days} school day.",
            "{hours} hours unauthorised in {days} school days.",
            warning.school_days,
        ).format(hours=hours, days=warning.school_days)
    if warning.kind == "sick_period":
        return tr.gettext("Ill {days} school days in a row.").format(days=warning.school_days)
    weeks = -(-warning.school_days // 5)
    return tr.ngettext(
        "{count} sick reports in {weeks} school week.",
        "{count} sick reports in {weeks} school weeks.",
        weeks,
    ).format(count=int(warning.amount), weeks=weeks)


def escalation_note(
    kind: str,
    deadline: DeadlineRow,
    school: tuple[str, str] | None,
    today: date,
    settings: ProtocolSettings,
    tr: Translator,
) -> str:
    """What a nudge says of the ladder: to the rung above, how long and where it is open; to
    the deadline's own recipients, to whom it went."""
    if deadline.pupil_id is None:
        return ""
    name, school_type = school or ("", None)
    if kind == NudgeKind.ESCALATION:
        days = count_working_days(deadline.due, today)
        text = tr.ngettext(
            "⬆ Open {days} working day past its due date at {place}.",
            "⬆ Open {days} working days past its due date at {place}.",
            days,
        )
        return text.format(days=days, place=name or tr.gettext("the school"))
    learned = deadline.created_at.astimezone(DUTCH_TZ).date()
    roles = escalated_to(deadline.rule, deadline.due, today, settings, school_type, learned)
    if not roles:
        return ""
    names = ", ".join(tr.gettext(ROLE_NAMES[Role(role)]) for role in roles)
    return tr.gettext("⬆ Escalated to: {roles}.").format(roles=names)


def _wants_digest(user: User, items: list[NudgeItem]) -> bool:
    if user.digest is not None:
        return user.digest and len(items) > 1
    return len(items) >= DIGEST_FROM


# Telegram refuses a text over 4096 characters; a digest is split well before that, and never
# carries more items (each with its Done button) than fit comfortably on a phone.
TEXT_LIMIT = 3800


DIGEST_ITEMS = 24


def digest(
    items: list[NudgeItem], tr: Translator, closed: frozenset[int] = frozenset()
) -> tuple[str, InlineKeyboardMarkup]:
    """One digest message: its items numbered from 1, a Done button for each open one; the
    items of `closed` deadlines marked done (after someone pressed Done)."""
    done = [
        InlineKeyboardButton(f"✓ {number}", callback_data=f"{BUTTON_PREFIX}d:{item.nudge_id}")
        for number, item in enumerate(items, start=1)
        if item.deadline_id not in closed
    ]
    rows = [done[start : start + 6] for start in range(0, len(done), 6)]
    return _digest_text(items, tr, closed), InlineKeyboardMarkup(rows)


def _digest_text(
    items: list[NudgeItem], tr: Translator, closed: frozenset[int] = frozenset()
) -> str:
    _ = tr.gettext
    lines = [_("Your deadlines ({count}):").format(count=len(items))]
    for number, item in enumerate(items, start=1):
        what, who, by = item.text_parts
        late = " " + _("(sent late)") if item.late else ""
        mark = "✓ " if item.deadline_id in closed else ""
        note = f" {item.note}" if item.note else ""
        lines.append(f"{number}. {mark}{_(what)} — {who} — {by}{late}{note}")
    return "\n".join(lines)


def _digests(items: list[NudgeItem], tr: Translator) -> list[Outgoing]:
    """A digest in as many messages as Telegram's limits need, each whole with its buttons."""
    chunks: list[list[NudgeItem]] = [[]]
    for item in items:
        candidate = [*chunks[-1], item]
        if chunks[-1] and (
            len(candidate) > DIGEST_ITEMS or len(_digest_text(candidate, tr)) > TEXT_LIMIT
        ):
            chunks.append([item])
        else:
            chunks[-1] = candidate
    return [Outgoing(chunk, *digest(chunk, tr)) for chunk in chunks]


class Outgoing(NamedTuple):
    """One message to send: the nudges it carries, its text and buttons, and the draft report
    that goes with it as a document (the text then its caption)."""

    items: list[NudgeItem]
    text: str
    markup: InlineKeyboardMarkup
    draft: DraftKey | None = None


def _missing_summaries(items: list[NudgeItem], tr: Translator) -> list[Outgoing]:
    """One message per organisation and missing role: how many deadlines, the first when."""
    groups: dict[tuple[str, str], list[NudgeItem]] = defaultdict(list)
    for item in items:
        assert item.missing is not None
        groups[item.missing].append(item)
    found = []
    for (name, role), group in sorted(groups.items()):
        first = min(item.due for item in group if item.due is not None)
        text = tr.ngettext(
            "ℹ {organisation} has no {role}: {count} deadline, due by {date}. Invite someone "
            "with /uitnodigen.",
            "ℹ {organisation} has no {role}: {count} deadlines, the first due by {date}. Invite "
            "someone with /uitnodigen.",
            len(group),
        ).format(
            organisation=name,
            role=tr.gettext(ROLE_NAMES[Role(role)]),
            count=len(group),
            date=tr.day(first),
        )
        found.append(Outgoing(group, text, InlineKeyboardMarkup([])))
    return found


def messages_for(user: User, items: list[NudgeItem], settings: Settings) -> list[Outgoing]:
    tr = translator(user.language)
    # Deadlines nobody receives are not the administrator's own: one summary per
    # organisation and missing role.
    summaries = _missing_summaries([item for item in items if item.missing is not None], tr)
    items = [item for item in items if item.missing is None]
    # A nudge that carries its draft report is one document message, never part of a digest:
    # it is delivered whole or not at all.
    with_draft = [
        Outgoing(
            [item],
            render(item, tr) + "\n" + tr.gettext("Draft report for this deadline."),
            buttons(item, tr, settings),
            item.draft,
        )
        for item in items
        if item.draft is not None
    ]
    plain = [item for item in items if item.draft is None]
    # Achterstand the bot learned of at once (an import, a case registered late) is one
    # message of its own, however few items it has; the rest as always.
    backlog = [item for item in plain if item.kind == NudgeKind.BACKLOG]
    if len(backlog) > 1:
        plain = [item for item in plain if item.kind != NudgeKind.BACKLOG]
    together = _digests(backlog, tr) if len(backlog) > 1 else []
    if _wants_digest(user, plain):
        return [*summaries, *with_draft, *together, *_digests(plain, tr)]
    single = [Outgoing([item], render(item, tr), buttons(item, tr, settings)) for item in plain]
    return [*summaries, *with_draft, *together, *single]
