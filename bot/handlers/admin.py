"""For SWV administrators: /gebruikers (users, unused accounts, role changes), /intrekken
(withdraw access) and /audit (the recent audit trail)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.context import BotContext
from bot.handlers.org_choice import ask_organisation
from bot.i18n import Translator
from bot.services.admin import (
    UsersOverview,
    audit_trail,
    colleague,
    set_role,
    users_overview,
    withdraw,
)
from bot.services.organisations import OrganisationError
from bot.services.users import UserChangeRefused, last_active
from bot.storage.models import ROLE_ORG_KIND, OrgKind, Role, User
from bot.views.audit import audit_line, who_text
from bot.views.texts import not_available_text, role_name

logger = logging.getLogger(__name__)

MAX_UNSTAFFED = 10  # organisations named in /gebruikers; `org list` names them all
MAX_LISTED = 40  # buttons per list; more users are still counted and reachable from the CLI
AUDIT_SHOWN = 20


@dataclass(frozen=True)
class UserCard:
    """Button data: show one user with what an admin can do."""

    user_id: int


@dataclass(frozen=True)
class UsersBack:
    """Button data: back from a user's card to the list."""


@dataclass(frozen=True)
class RevokeAsk:
    """Button data: ask to confirm withdrawing a user's access."""

    user_id: int


@dataclass(frozen=True)
class RevokeDo:
    """Button data: withdraw the access (confirmed)."""

    user_id: int


@dataclass(frozen=True)
class RoleAsk:
    """Button data: choose a new role for a user."""

    user_id: int


@dataclass(frozen=True)
class RolePick:
    """Button data: the new role; the organisation follows when the role needs one."""

    user_id: int
    role: Role


@dataclass(frozen=True)
class RolePage:
    """Button data: another page of organisations for the new role."""

    user_id: int
    role: Role
    page: int


@dataclass(frozen=True)
class RoleOrg:
    """Button data: the organisation with the new role."""

    user_id: int
    role: Role
    org_id: int


def _admin(context: BotContext) -> User | None:
    account = context.account
    return account if account is not None and account.role == Role.ADMIN else None


async def _asked_by_admin(update: Update, context: BotContext) -> tuple[Message, User] | None:
    """The command's message and the administrator who sent it; anyone else is told that this
    is not available to them."""
    message = update.effective_message
    assert message is not None
    admin = _admin(context)
    if admin is None:
        await message.reply_text(not_available_text(context.tr))
        return None
    return message, admin


def _users_text(overview: UsersOverview, tr: Translator, tz: ZoneInfo) -> str:
    _, ngettext = tr.gettext, tr.ngettext
    users, idle = overview.users, overview.idle
    lines = [
        ngettext(
            "{count} other user in your samenwerkingsverband.",
            "{count} other users in your samenwerkingsverband.",
            len(users),
        ).format(count=len(users))
    ]
    if idle:
        lines.append(
            ngettext(
                "⚠ {count} of them has not used the bot for {days} days or more:",
                "⚠ {count} of them have not used the bot for {days} days or more:",
                len(idle),
            ).format(count=len(idle), days=overview.days)
        )
        for user in users:
            if user.id in idle:
                seen = tr.date(last_active(user).astimezone(tz).date())
                lines.append(
                    _("• {who}, last active {date}").format(who=who_text(user, tr), date=seen)
                )
        lines.append(_("Consider withdrawing their access with /intrekken."))
    lines += _unstaffed_lines(overview, tr)
    if users:
        lines.append(_("Choose a user to withdraw access or change the role."))
    return "\n".join(lines)


def _unstaffed_lines(overview: UsersOverview, tr: Translator) -> list[str]:
    if not overview.unstaffed:
        return []
    _ = tr.gettext
    lines = [_("⚠ Nobody receives the deadlines of:")]
    for name, roles in overview.unstaffed[:MAX_UNSTAFFED]:
        nobody = ", ".join(_("no {role}").format(role=role_name(role, tr)) for role in roles)
        lines.append(f"• {name}: {nobody}")
    if len(overview.unstaffed) > MAX_UNSTAFFED:
        more = len(overview.unstaffed) - MAX_UNSTAFFED
        lines.append(
            tr.ngettext("… and {count} more", "… and {count} more", more).format(count=more)
        )
    lines.append(_("Invite someone with /invite."))
    return lines


def _users_markup(overview: UsersOverview, tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("⚠ " if u.id in overview.idle else "") + who_text(u, tr),
                    callback_data=UserCard(u.id),
                )
            ]
            for u in overview.users[:MAX_LISTED]
            if u.id is not None
        ]
    )


async def list_users(update: Update, context: BotContext) -> None:
    """/gebruikers: the users of the SWV, with those unused for a long time marked."""
    asked = await _asked_by_admin(update, context)
    if asked is None:
        return
    message, admin = asked
    overview = await asyncio.to_thread(users_overview, context.services, admin=admin)
    await message.reply_text(
        _users_text(overview, context.tr, context.services.settings.tz),
        reply_markup=_users_markup(overview, context.tr),
    )


async def back_to_list(update: Update, context: BotContext) -> None:
    """From one user's card back to the list."""
    query, admin = update.callback_query, _admin(context)
    assert query is not None
    await query.answer()
    if admin is None:
        await query.edit_message_text(not_available_text(context.tr))
        return
    overview = await asyncio.to_thread(users_overview, context.services, admin=admin)
    await query.edit_message_text(
        _users_text(overview, context.tr, context.services.settings.tz),
        reply_markup=_users_markup(overview, context.tr),
    )


async def start_revoke(update: Update, context: BotContext) -> None:
    """/intrekken: choose whose access to withdraw."""
    asked = await _asked_by_admin(update, context)
    if asked is None:
        return
    message, admin = asked
    overview = await asyncio.to_thread(users_overview, context.services, admin=admin)
    users = overview.users
    if not users:
        await message.reply_text(
            context.tr.gettext("There is nobody whose access you can withdraw.")
        )
        return
    buttons = [
        [InlineKeyboardButton(who_text(u, context.tr), callback_data=RevokeAsk(u.id))]
        for u in users[:MAX_LISTED]
        if u.id is not None
    ]
    await message.reply_text(
        context.tr.gettext("Whose access do you want to withdraw?"),
        reply_markup=InlineKeyboardMarkup(buttons),
    )


async def _answer_target(
    update: Update, context: BotContext, user_id: int
) -> tuple[User, User] | None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    admin = _admin(context)
    target = (
        await asyncio.to_thread(colleague, context.services, admin=admin, user_id=user_id)
        if admin is not None
        else None
    )
    if admin is None or target is None:
        await query.edit_message_text(not_available_text(context.tr))
        return None
    return admin, target


async def show_card(update: Update, context: BotContext) -> None:
    """One user: withdraw access, or change the role."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, UserCard)
    found = await _answer_target(update, context, query.data.user_id)
    if found is None:
        return
    _, target = found
    _ = context.tr.gettext
    seen = context.tr.date(last_active(target).astimezone(context.services.settings.tz).date())
    await query.edit_message_text(
        _("{who}, last active {date}.").format(who=who_text(target, context.tr), date=seen),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Withdraw access"), callback_data=RevokeAsk(target.id or 0)
                    )
                ],
                [InlineKeyboardButton(_("Change role"), callback_data=RoleAsk(target.id or 0))],
                [InlineKeyboardButton(_("« Back to the list"), callback_data=UsersBack())],
            ]
        ),
    )


async def ask_revoke(update: Update, context: BotContext) -> None:
    """Confirm before withdrawing access."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, RevokeAsk)
    found = await _answer_target(update, context, query.data.user_id)
    if found is None:
        return
    _, target = found
    _ = context.tr.gettext
    await query.edit_message_text(
        _("Withdraw the access of {who}? They will get nothing about any pupil any more.").format(
            who=who_text(target, context.tr)
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Yes, withdraw access"), callback_data=RevokeDo(target.id or 0)
                    )
                ]
            ]
        ),
    )


async def do_revoke(update: Update, context: BotContext) -> None:
    """Withdraw the access."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, RevokeDo)
    found = await _answer_target(update, context, query.data.user_id)
    if found is None:
        return
    admin, target = found
    await asyncio.to_thread(withdraw, context.services, admin=admin, user_id=query.data.user_id)
    context.drop_callback_data(query)
    logger.info("user %s revoked user %s", admin.id, target.id)
    await query.edit_message_text(
        context.tr.gettext("The access of {who} is withdrawn.").format(
            who=who_text(target, context.tr)
        )
    )


async def ask_role(update: Update, context: BotContext) -> None:
    """Choose the new role."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, RoleAsk)
    found = await _answer_target(update, context, query.data.user_id)
    if found is None:
        return
    _, target = found
    target_id = target.id or 0
    buttons = [
        [InlineKeyboardButton(role_name(r, context.tr), callback_data=RolePick(target_id, r))]
        for r in Role
        if r.value != target.role
    ]
    await query.edit_message_text(
        context.tr.gettext("Which role will {who} have?").format(who=who_text(target, context.tr)),
        reply_markup=InlineKeyboardMarkup(buttons),
    )


async def pick_role(update: Update, context: BotContext) -> None:
    """The role is chosen (or another page): change it now (SWV roles), or ask where."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, RolePick | RolePage)
    data = query.data
    found = await _answer_target(update, context, data.user_id)
    if found is None:
        return
    admin, target = found
    role, user_id = data.role, data.user_id
    if ROLE_ORG_KIND[role] is OrgKind.SWV:
        await _change(update, context, target, role, admin.swv_id)
        return
    await ask_organisation(
        query,
        services=context.services,
        tr=context.tr,
        role=role,
        swv_id=admin.swv_id,
        page=data.page if isinstance(data, RolePage) else 0,
        choose=lambda org_id: RoleOrg(user_id, role, org_id),
        turn=lambda number: RolePage(user_id, role, number),
    )


async def pick_org(update: Update, context: BotContext) -> None:
    """The organisation is chosen: change the role."""
    query = update.callback_query
    assert query is not None and isinstance(query.data, RoleOrg)
    data = query.data
    found = await _answer_target(update, context, data.user_id)
    if found is None:
        return
    await _change(update, context, found[1], data.role, data.org_id)


async def _change(
    update: Update, context: BotContext, target: User, role: Role, org_id: int
) -> None:
    query = update.callback_query
    admin = _admin(context)
    assert query is not None and admin is not None
    try:
        await asyncio.to_thread(
            set_role,
            context.services,
            admin=admin,
            user_id=target.id or 0,
            role=role,
            org_id=org_id,
        )
    except (OrganisationError, UserChangeRefused):
        await query.edit_message_text(not_available_text(context.tr))
        return
    context.drop_callback_data(query)
    logger.info("user %s changed the role of user %s", admin.id, target.id)
    await query.edit_message_text(
        context.tr.gettext("{name} is now {role}.").format(
            name=target.display_name or f"#{target.id}", role=role_name(role, context.tr)
        )
    )


async def show_audit(update: Update, context: BotContext) -> None:
    """/audit: the newest entries of the audit trail of the admin's SWV."""
    asked = await _asked_by_admin(update, context)
    if asked is None:
        return
    message, admin = asked
    tr = context.tr
    trail = await asyncio.to_thread(audit_trail, context.services, admin=admin, limit=AUDIT_SHOWN)
    if not trail:
        await message.reply_text(tr.gettext("The audit trail is empty."))
        return
    lines = [tr.gettext("The last {count} entries of the audit trail:").format(count=AUDIT_SHOWN)]
    lines += [audit_line(line, tr, context.services.settings.tz) for line in trail]
    lines.append(
        tr.gettext(
            "Everything: on the pages under Audit (/web gives a sign-in link), or python -m bot "
            "audit export"
        )
    )
    await message.reply_text("\n".join(lines))


def register(application: Application) -> None:
    """Add /gebruikers, /intrekken, /audit and their buttons."""
    application.add_handler(CommandHandler(["gebruikers", "users"], list_users))
    application.add_handler(CommandHandler(["intrekken", "revoke"], start_revoke))
    application.add_handler(CommandHandler("audit", show_audit))
    application.add_handler(CallbackQueryHandler(show_card, pattern=UserCard))
    application.add_handler(CallbackQueryHandler(back_to_list, pattern=UsersBack))
    application.add_handler(CallbackQueryHandler(ask_revoke, pattern=RevokeAsk))
    application.add_handler(CallbackQueryHandler(do_revoke, pattern=RevokeDo))
    application.add_handler(CallbackQueryHandler(ask_role, pattern=RoleAsk))
    application.add_handler(CallbackQueryHandler(pick_role, pattern=RolePick))
    application.add_handler(CallbackQueryHandler(pick_role, pattern=RolePage))
    application.add_handler(CallbackQueryHandler(pick_org, pattern=RoleOrg))
