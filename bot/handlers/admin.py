"""For SWV administrators: /gebruikers (users, unused accounts, role changes), /intrekken
(withdraw access) and /audit (the recent audit trail)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.handlers.context import BotContext
from bot.handlers.org_choice import ask_organisation
from bot.handlers.texts import not_available_text, role_name
from bot.i18n import N_, Translator
from bot.services import audit
from bot.services.cases import label
from bot.services.onboarding import membership_for
from bot.services.organisations import OrganisationError
from bot.services.users import (
    UserChangeRefused,
    change_role,
    inactive_users,
    last_active,
    revoke,
    users_of,
)
from bot.storage.models import ROLE_ORG_KIND, AuditAction, OrgKind, Pupil, Role, User

logger = logging.getLogger(__name__)

MAX_LISTED = 40  # buttons per list; more users are still counted and reachable from the CLI
AUDIT_SHOWN = 20

ACTION_NAMES: dict[AuditAction, str] = {
    AuditAction.VIEW_DOSSIER: N_("viewed the dossier"),
    AuditAction.VIEW_FILE: N_("opened a file"),
    AuditAction.CREATE: N_("registered the pupil"),
    AuditAction.CHANGE: N_("changed the case"),
    AuditAction.ADD_FILE: N_("filed a document"),
    AuditAction.DEADLINE_DONE: N_("marked a deadline done"),
    AuditAction.IMPORT: N_("imported"),
    AuditAction.EXPORT: N_("exported"),
    AuditAction.LINK: N_("linked an attendance officer"),
    AuditAction.UNLINK: N_("unlinked an attendance officer"),
    AuditAction.FORGET: N_("erased the pupil (right to erasure)"),
    AuditAction.RETENTION: N_("deleted after the retention period"),
    AuditAction.REVOKE: N_("withdrew access"),
    AuditAction.ROLE: N_("changed a role"),
    AuditAction.KEY_ROTATE: N_("re-encrypted the data with a new key"),
}


@dataclass(frozen=True)
class UserCard:
    """Button data: show one user with what an admin can do."""

    user_id: int


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
    return account if account is not None and account.role == Role.ADMIN.value else None


def _who(user: User, tr: Translator) -> str:
    return f"{user.display_name or '#' + str(user.id)} ({role_name(Role(user.role), tr)})"


def _user_in_swv(context: BotContext, admin: User, user_id: int) -> User | None:
    """The user behind button data, only if still in the admin's SWV and not revoked."""
    with context.services.session() as session:
        user = session.get(User, user_id)
    if user is None or user.swv_id != admin.swv_id or user.revoked_at is not None:
        return None
    return user


async def list_users(update: Update, context: BotContext) -> None:
    """/gebruikers: the users of the SWV, with those unused for a long time marked."""
    message = update.effective_message
    assert message is not None
    admin = _admin(context)
    if admin is None:
        await message.reply_text(not_available_text(context.tr))
        return
    _ = context.tr.gettext
    services = context.services
    now = services.clock.now()
    days = services.settings.inactive_days
    with services.session() as session:
        users = users_of(session, swv_id=admin.swv_id)
        idle = {u.id for u in inactive_users(session, swv_id=admin.swv_id, now=now, days=days)}
    ngettext = context.tr.ngettext
    lines = [
        ngettext(
            "{count} user in your samenwerkingsverband.",
            "{count} users in your samenwerkingsverband.",
            len(users),
        ).format(count=len(users))
    ]
    if idle:
        lines.append(
            ngettext(
                "⚠ {count} of them has not used the bot for {days} days or more:",
                "⚠ {count} of them have not used the bot for {days} days or more:",
                len(idle),
            ).format(count=len(idle), days=days)
        )
        for user in users:
            if user.id in idle:
                seen = context.tr.date(last_active(user).astimezone(services.settings.tz).date())
                lines.append(
                    _("• {who}, last active {date}").format(who=_who(user, context.tr), date=seen)
                )
        lines.append(_("Consider withdrawing their access with /intrekken."))
    lines.append(_("Choose a user to withdraw access or change the role."))
    buttons = [
        [InlineKeyboardButton(("⚠ " if u.id in idle else "") + _who(u, context.tr),
                              callback_data=UserCard(u.id))]
        for u in users[:MAX_LISTED] if u.id is not None and u.id != admin.id
    ]  # fmt: skip
    await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(buttons))


async def start_revoke(update: Update, context: BotContext) -> None:
    """/intrekken: choose whose access to withdraw."""
    message = update.effective_message
    assert message is not None
    admin = _admin(context)
    if admin is None:
        await message.reply_text(not_available_text(context.tr))
        return
    with context.services.session() as session:
        users = [u for u in users_of(session, swv_id=admin.swv_id) if u.id != admin.id]
    if not users:
        await message.reply_text(
            context.tr.gettext("There is nobody whose access you can withdraw.")
        )
        return
    buttons = [
        [InlineKeyboardButton(_who(u, context.tr), callback_data=RevokeAsk(u.id))]
        for u in users[:MAX_LISTED] if u.id is not None
    ]  # fmt: skip
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
    target = _user_in_swv(context, admin, user_id) if admin is not None else None
    if admin is None or target is None or target.id == admin.id:
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
        _("{who}, last active {date}.").format(who=_who(target, context.tr), date=seen),
        reply_markup=InlineKeyboardMarkup([
            [InlineKeyboardButton(_("Withdraw access"), callback_data=RevokeAsk(target.id or 0))],
            [InlineKeyboardButton(_("Change role"), callback_data=RoleAsk(target.id or 0))],
        ]),
    )  # fmt: skip


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
            who=_who(target, context.tr)
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
    with context.services.session() as session:
        stored = session.get(User, target.id)
        assert stored is not None
        revoke(session, stored, now=context.services.clock.now(), by=admin)
    context.drop_callback_data(query)
    logger.info("user %s revoked user %s", admin.id, target.id)
    await query.edit_message_text(
        context.tr.gettext("The access of {who} is withdrawn.").format(who=_who(target, context.tr))
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
        for r in Role if r.value != target.role
    ]  # fmt: skip
    await query.edit_message_text(
        context.tr.gettext("Which role will {who} have?").format(who=_who(target, context.tr)),
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
        query, services=context.services, tr=context.tr, role=role, swv_id=admin.swv_id,
        page=data.page if isinstance(data, RolePage) else 0,
        choose=lambda org_id: RoleOrg(user_id, role, org_id),
        turn=lambda number: RolePage(user_id, role, number),
    )  # fmt: skip


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
        with context.services.session() as session:
            membership = membership_for(session=session, role=role, org_id=org_id)
            stored = session.get(User, target.id)
            assert stored is not None
            change_role(session, stored, role=role, membership=membership,
                        now=context.services.clock.now(), by=admin)  # fmt: skip
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
    message = update.effective_message
    assert message is not None
    admin = _admin(context)
    if admin is None:
        await message.reply_text(not_available_text(context.tr))
        return
    tr = context.tr
    tz = context.services.settings.tz
    lines = [tr.gettext("The last {count} entries of the audit trail:").format(count=AUDIT_SHOWN)]
    with context.services.session() as session:
        events = audit.recent(session, swv_id=admin.swv_id, limit=AUDIT_SHOWN)
        for event in events:
            actor = session.get(User, event.actor_id) if event.actor_id else None
            who = (
                _who(actor, tr)
                if actor
                else tr.gettext("the system ({channel})").format(channel=event.channel)
            )
            what = tr.gettext(ACTION_NAMES.get(AuditAction(event.action), event.action))
            subject = ""
            if event.pupil_id is not None:
                pupil = session.get(Pupil, event.pupil_id)
                subject = (
                    label(session=session, pupil=pupil)
                    if pupil is not None
                    else tr.gettext("pupil {id} (removed)").format(id=event.pupil_id)
                )
            elif event.subject_user_id is not None:
                other = session.get(User, event.subject_user_id)
                subject = _who(other, tr) if other else f"#{event.subject_user_id}"
            moment = event.at.astimezone(tz)
            lines.append(
                f"{tr.date(moment.date())} {moment:%H:%M} · {who} · {what}"
                + (f" · {subject}" if subject else "")
            )
    if not events:
        lines = [tr.gettext("The audit trail is empty.")]
    else:
        lines.append(tr.gettext("Everything: python -m bot audit export"))
    await message.reply_text("\n".join(lines))


def register(application: Application) -> None:
    """Add /gebruikers, /intrekken, /audit and their buttons."""
    application.add_handler(CommandHandler(["gebruikers", "users"], list_users))
    application.add_handler(CommandHandler(["intrekken", "revoke"], start_revoke))
    application.add_handler(CommandHandler("audit", show_audit))
    application.add_handler(CallbackQueryHandler(show_card, pattern=UserCard))
    application.add_handler(CallbackQueryHandler(ask_revoke, pattern=RevokeAsk))
    application.add_handler(CallbackQueryHandler(do_revoke, pattern=RevokeDo))
    application.add_handler(CallbackQueryHandler(ask_role, pattern=RoleAsk))
    application.add_handler(CallbackQueryHandler(pick_role, pattern=RolePick))
    application.add_handler(CallbackQueryHandler(pick_role, pattern=RolePage))
    application.add_handler(CallbackQueryHandler(pick_org, pattern=RoleOrg))
