"""The audit trail as people read it: who did what, about whom, when."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.services.admin import AuditLine
from bot.storage.models import AuditAction, Role, User
from bot.texts import aside
from bot.views.texts import role_name

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
    AuditAction.VERIFY: N_("verified the case"),
    AuditAction.DEADLINE_NOTE: N_("noted what was done with a deadline"),
    AuditAction.INVITE: N_("made an invitation"),
    AuditAction.SIGN_IN: N_("signed in"),
    AuditAction.SIGN_IN_REFUSED: N_("a sign-in was refused"),
    AuditAction.SIGN_OUT: N_("signed out"),
    AuditAction.SESSION_ENDED: N_("a session on the pages ended (access changed)"),
    AuditAction.FEED_MADE: N_("made a new calendar address"),
    AuditAction.FEED_READ: N_("a calendar read the deadlines"),
}


# What an export was, by the first word of its audit detail.
EXPORT_NAMES: dict[str, str] = {
    "quarterly": N_("the quarterly overview"),
    "overview": N_("the overview of pupils missing school"),
    "draft": N_("a draft report with a nudge"),
    "agenda": N_("the agenda"),
    "inspectie": N_("the Inspectie registration"),
    "pupil": N_("the pupil's data"),
    "audit": N_("the audit trail"),
}


def who_text(user: User, tr: Translator) -> str:
    """Someone as others see them: their name and, aside, their role."""
    return f"{user.display_name or '#' + str(user.id)} {aside(role_name(Role(user.role), tr))}"


def audit_line(line: AuditLine, tr: Translator, tz: ZoneInfo) -> str:
    """One entry of the audit trail as a line: when, who, what, about whom."""
    if line.actor is not None:
        who = who_text(line.actor, tr)
    else:
        who = tr.gettext("the system ({channel})").format(channel=line.channel)
    action = line.action
    what = tr.gettext(ACTION_NAMES[action]) if isinstance(action, AuditAction) else action
    if line.pupil is not None:
        subject = line.pupil
    elif line.removed_pupil is not None:
        subject = tr.gettext("pupil {id} (removed)").format(id=line.removed_pupil)
    elif line.user_id is not None:
        subject = who_text(line.user, tr) if line.user else f"#{line.user_id}"
    elif action is AuditAction.EXPORT and line.detail.split(" ")[0] in EXPORT_NAMES:
        subject = tr.gettext(EXPORT_NAMES[line.detail.split(" ")[0]])
    else:
        subject = ""
    moment = line.at.astimezone(tz)
    return f"{tr.date(moment.date())} {moment:%H:%M} · {who} · {what}" + (
        f" · {subject}" if subject else ""
    )
