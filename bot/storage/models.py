"""The tables. Enumerated values are stored as short strings and validated in Python, so that
adding a value never needs a database enum migration."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, Table, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from bot.protocol.vocabulary import AbsenceKind, EntryKind, MovementKind
from bot.storage.side_tables import ChatState as ChatState
from bot.storage.types import AwareDateTime, EnumText, SealedBytes, SealedDate, SealedText


class Role(StrEnum):
    """What a user does; decides what they may see and which nudges they get."""

    ZORGCOORDINATOR = "zorgcoordinator"
    BOC = "boc"
    LEERPLICHT = "leerplicht"
    SWV = "swv"
    ADMIN = "admin"


class SchoolType(StrEnum):
    """Onderwijssoort of a school."""

    PO = "PO"
    SO = "SO"
    SBO = "SBO"
    VO = "VO"
    VSO = "VSO"


class Region(StrEnum):
    """School holiday region (the advisory regions of the Ministry of OCW)."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class OrgKind(StrEnum):
    """The organisations an invitation or a user can belong to."""

    SWV = "swv"
    BESTUUR = "bestuur"
    SCHOOL = "school"
    GEMEENTE = "gemeente"


# Which organisation a role belongs to.
ROLE_ORG_KIND: dict[Role, OrgKind] = {
    Role.ZORGCOORDINATOR: OrgKind.SCHOOL,
    Role.BOC: OrgKind.BESTUUR,
    Role.LEERPLICHT: OrgKind.GEMEENTE,
    Role.SWV: OrgKind.SWV,
    Role.ADMIN: OrgKind.SWV,
}


class PupilNaming(StrEnum):
    """How chat messages name a pupil; the SWV chooses (README, "Who sees what")."""

    INITIALS = "initials"  # "S.V. #42"
    FIRST_NAME = "first_name"  # "Sanne V. #42"


class Swv(SQLModel, table=True):
    """A samenwerkingsverband: the top of the organisation tree and the boundary of all data."""

    __tablename__ = "swv"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    registered_on: date
    pupil_naming: str = Field(default=PupilNaming.INITIALS.value, max_length=12)
    # Rule codes this SWV switched off, comma-separated (only early warnings can be).
    rules_off: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # With the web pages on: delete a user's chat message that named a pupil once it is saved.
    clear_named_messages: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa_false()}
    )


class Bestuur(SQLModel, table=True):
    """A school board within an SWV."""

    __tablename__ = "bestuur"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    registered_on: date


class School(SQLModel, table=True):
    """A school (BRIN), run by a board; its region decides its school holidays."""

    __tablename__ = "school"

    id: int | None = Field(default=None, primary_key=True)
    brin: str = Field(max_length=6, unique=True)
    name: str = Field(max_length=200)
    onderwijssoort: str = Field(max_length=3)
    regio: str = Field(max_length=6)
    bestuur_id: int = Field(foreign_key="bestuur.id", index=True)
    registered_on: date


class Gemeente(SQLModel, table=True):
    """A municipality; its leerplicht officers see pupils living there."""

    __tablename__ = "gemeente"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    registered_on: date


class User(SQLModel, table=True):
    """A Telegram user who redeemed an invitation."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    # The professional's own name from Telegram, to tell colleagues apart (never a pupil's).
    display_name: str = Field(default="", max_length=130)
    role: Role = Field(sa_column=Column(EnumText(Role, 20), nullable=False))
    swv_id: int = Field(foreign_key="swv.id", index=True)
    bestuur_id: int | None = Field(default=None, foreign_key="bestuur.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    gemeente_id: int | None = Field(default=None, foreign_key="gemeente.id", index=True)
    language: str = Field(default="nl", max_length=5)
    work_start: time = Field(default=time(8, 0))
    work_end: time = Field(default=time(18, 0))
    # None: automatic (a digest on days with more than 5 nudges); True/False: the user's choice.
    digest: bool | None = Field(default=None)
    # False when the user blocked the bot or was revoked; a new invitation lets them in again.
    active: bool = Field(default=True)
    # Bumped whenever access changes (revoked, another role or organisation, invited again): a
    # web session or sign-in link made under an older grant is refused.
    access_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    # Set by an admin: from then on the user gets nothing about any pupil (PRIVACY.md).
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(AwareDateTime(), nullable=True)
    )
    revoked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    # Last time the user sent anything (to list accounts unused for 90 days).
    last_seen_at: datetime | None = Field(
        default=None, sa_column=Column(AwareDateTime(), nullable=True)
    )


class Invitation(SQLModel, table=True):
    """A one-time code that lets one Telegram user in with a role and an organisation.

    Only a hash of the code is stored: a copy of the database does not let anyone in.
    """

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("code_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64)
    role: Role = Field(sa_column=Column(EnumText(Role, 20), nullable=False))
    swv_id: int = Field(foreign_key="swv.id", index=True)
    bestuur_id: int | None = Field(default=None, foreign_key="bestuur.id")
    school_id: int | None = Field(default=None, foreign_key="school.id")
    gemeente_id: int | None = Field(default=None, foreign_key="gemeente.id")
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime(), nullable=True))
    used_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


# ----- The case registry (issue 3): what the protocol's deadlines are computed from -----


class Category(StrEnum):
    """Category of a thuiszit case for the quarterly overview (README, "Reports")."""

    A1 = "A1"  # illness
    A2 = "A2"  # exemption, with an article
    B1 = "B1"  # absolute absence: not enrolled
    B2 = "B2"  # long-term relative absence


class ExemptionArticle(StrEnum):
    """Leerplichtwet art. 5 onder a/b/c and art. 5a ("5D" in the seeds)."""

    A = "5A"
    B = "5B"
    C = "5C"
    D = "5D"


class CaseStatus(StrEnum):
    """Where a case stands."""

    THREATENING = "threatening"
    CURRENT = "current"
    CLOSED = "closed"


class Gender(StrEnum):
    """As registered (M/V/X)."""

    M = "M"
    V = "V"
    X = "X"


class Pupil(SQLModel, table=True):
    """A child the registry keeps in view; `swv_id` bounds who may ever see them."""

    __tablename__ = "pupil"
    # A name is looked up by one token within the user's SWV (and school): an index on the
    # three serves that lookup whatever the planner's statistics (bot.services.pupil_search).
    __table_args__ = tuple(
        Index(f"ix_pupil_{token}_scope", token, "swv_id", "school_id")
        for token in ("token_first", "token_full", "token_short", "token_initials")
    )

    id: int | None = Field(default=None, primary_key=True)
    leerling_id: str = Field(max_length=40, unique=True)
    # Names, birth date and residence are stored encrypted (DATA_KEY); see PRIVACY.md.
    first_name: str = Field(sa_column=Column(SealedText("pupil.first_name"), nullable=False))
    last_name: str = Field(sa_column=Column(SealedText("pupil.last_name"), nullable=False))
    gender: str | None = Field(default=None, max_length=1)
    birth_date: date | None = Field(
        default=None, sa_column=Column(SealedDate("pupil.birth_date"), nullable=True)
    )
    residence: str | None = Field(
        default=None, sa_column=Column(SealedText("pupil.residence"), nullable=True)
    )
    # Keyed tokens of the first name, the full name and "first name + surname initial", so a
    # name can be found without decrypting every pupil (bot.services.pupil_search).
    token_first: str = Field(default="", max_length=32)
    token_full: str = Field(default="", max_length=32)
    token_short: str = Field(default="", max_length=32)
    # … and of the initials the chat's label shows ("S.V."), so a label can be typed back.
    token_initials: str = Field(default="", max_length=32)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    gemeente_id: int | None = Field(default=None, foreign_key="gemeente.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class Case(SQLModel, table=True):
    """A thuiszit period or signal; its id is the case number people see ("#42")."""

    __tablename__ = "thuiszit_case"

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    category: Category = Field(sa_column=Column(EnumText(Category, 2), nullable=False))
    exemption_article: str | None = Field(default=None, max_length=2)
    start_date: date
    end_date: date | None = None
    offer_since: date | None = None
    offer_description: str | None = Field(
        default=None, sa_column=Column(SealedText("case.offer_description"), nullable=True)
    )
    contact_person: str | None = Field(
        default=None, sa_column=Column(SealedText("case.contact_person"), nullable=True)
    )
    status: CaseStatus = Field(
        default=CaseStatus.CURRENT, sa_column=Column(EnumText(CaseStatus, 12), nullable=False)
    )
    evaluation: str | None = Field(
        default=None, sa_column=Column(SealedText("case.evaluation"), nullable=True)
    )
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    # The last verification with the SWV, BOC-ers and leerplicht (/verificatie).
    verified_at: datetime | None = Field(
        default=None, sa_column=Column(AwareDateTime(), nullable=True)
    )
    verified_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class Absence(SQLModel, table=True):
    """Hours of one kind of absence on one day; one row per (pupil, day, kind)."""

    __tablename__ = "absence"
    __table_args__ = (UniqueConstraint("pupil_id", "day", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    day: date
    hours: float
    kind: AbsenceKind = Field(sa_column=Column(EnumText(AbsenceKind, 12), nullable=False))
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class Exemption(SQLModel, table=True):
    """A vrijstelling from compulsory education."""

    __tablename__ = "exemption"

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    article: str = Field(max_length=2)
    start_date: date
    end_date: date | None = None
    permanent: bool = False
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class Suspension(SQLModel, table=True):
    """A schorsing with its dates."""

    __tablename__ = "suspension"

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    start_date: date
    end_date: date
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class Movement(SQLModel, table=True):
    """A removal (verwijdering), de-registration or enrolment, with the new school if known."""

    __tablename__ = "movement"

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    kind: MovementKind = Field(sa_column=Column(EnumText(MovementKind, 14), nullable=False))
    day: date
    new_school_id: int | None = Field(default=None, foreign_key="school.id")
    new_school_name: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class VariawetApplication(SQLModel, table=True):
    """An application to deviate from the teaching time (Variawet)."""

    __tablename__ = "variawet_application"

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    applied_on: date
    decided_on: date | None = None
    approved: bool | None = None
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class CaseEntry(SQLModel, table=True):
    """A goal, an involved party, an action (with its result) or a note on a case's timeline."""

    __tablename__ = "case_entry"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="thuiszit_case.id", index=True)
    kind: EntryKind = Field(sa_column=Column(EnumText(EntryKind, 8), nullable=False))
    day: date
    text: str = Field(sa_column=Column(SealedText("case_entry.text"), nullable=False))
    result: str | None = Field(
        default=None, sa_column=Column(SealedText("case_entry.result"), nullable=True)
    )
    # Medical or confidential: never shown to leerplicht (AVG; PRIVACY.md).
    confidential: bool = False
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class CaseFile(SQLModel, table=True):
    """A document or photo filed with a case; the content is kept in the database."""

    __tablename__ = "case_file"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="thuiszit_case.id", index=True)
    file_name: str = Field(sa_column=Column(SealedText("case_file.file_name"), nullable=False))
    mime_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_column=Column(SealedBytes("case_file.content"), nullable=False))
    # What the file is, from its caption ("verslag RTG").
    description: str | None = Field(
        default=None, sa_column=Column(SealedText("case_file.description"), nullable=True)
    )
    confidential: bool = False
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class LeerplichtLink(SQLModel, table=True):
    """A leerplicht officer linked to a pupil by a BOC-er or the SWV: they may now see them."""

    __tablename__ = "leerplicht_link"
    __table_args__ = (UniqueConstraint("pupil_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


# ----- Protocol deadlines (issue 4) -----


class DeadlineStatus(StrEnum):
    """Open until someone marks it done, or closed when the data no longer triggers it."""

    OPEN = "open"
    DONE = "done"
    CLOSED = "closed"


class DeadlineRow(SQLModel, table=True):
    """One deadline of the protocol, for a pupil or an organisation.

    `identity` is "(pupil or organisation):RULE:due", so storing a recomputation twice changes
    nothing.
    """

    __tablename__ = "deadline"

    id: int | None = Field(default=None, primary_key=True)
    identity: str = Field(max_length=80, unique=True)
    swv_id: int = Field(foreign_key="swv.id", index=True)
    pupil_id: int | None = Field(default=None, foreign_key="pupil.id", index=True)
    org_kind: str | None = Field(default=None, max_length=10)
    org_id: int | None = None
    rule: str = Field(max_length=40)
    due: date = Field(index=True)
    trigger_day: date
    status: DeadlineStatus = Field(
        default=DeadlineStatus.OPEN,
        sa_column=Column(EnumText(DeadlineStatus, 8), nullable=False, index=True),
    )
    closed_reason: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime(), nullable=True))
    done_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    # Set whenever the deadline is created or changed; planning its nudges clears it.
    plan_needed: bool = Field(
        default=True, sa_column_kwargs={"server_default": sa_false()}, index=True
    )
    # First computed more than `history_days` after its due date while nothing about the pupil
    # asks for action (a closed case, old data), or overtaken: never nudged, not in the agenda.
    history: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    # What was done, one line, given with Done ("gemeld in het verzuimregister op 3 december,
    # kenmerk 2026-123456"): the evidence the Inspectie and leerplicht ask for.
    done_note: str | None = Field(
        default=None, sa_column=Column(SealedText("deadline.done_note"), nullable=True)
    )


class SchoolClosure(SQLModel, table=True):
    """A school's own closure day (studiedag): not a school day for its pupils."""

    __tablename__ = "school_closure"
    __table_args__ = (UniqueConstraint("school_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    day: date


# ----- Nudges (issue 5) -----


class NudgeKind(StrEnum):
    """Why a nudge is sent (README, "Nudges")."""

    BEFORE_14 = "before_14"  # 14 days before (only when known that early)
    BEFORE_3 = "before_3"  # 3 working days before
    DUE = "due"  # on the due date
    WEEKLY = "weekly"  # weekly while open
    EVENT = "event"  # at once (next working hour) for event rules and overdue deadlines
    SNOOZED = "snoozed"  # the user asked to be reminded later
    UNASSIGNED = "unassigned"  # to the SWV admins: nobody to receive this deadline
    ESCALATION = "escalation"  # to the next rung of the ladder: still open after its due date
    # At once, gathered in one message: overdue already when the bot learned of it (achterstand)
    BACKLOG = "backlog"


class NudgeStatus(StrEnum):
    """A nudge's life: planned → sending → sent (or cancelled / failed)."""

    PLANNED = "planned"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


class Nudge(SQLModel, table=True):
    """One planned or delivered message about a deadline to one user.

    The database, not the scheduler, holds what must be sent; `key` makes planning idempotent.
    """

    __tablename__ = "nudge"
    # Planning one deadline looks up its planned nudges: by deadline first, then status.
    # Delivery takes the due ones: by status, then time (not every planned nudge, then sorted).
    __table_args__ = (
        Index("ix_nudge_deadline_status", "deadline_id", "status"),
        Index("ix_nudge_status_planned_at", "status", "planned_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    kind: NudgeKind = Field(sa_column=Column(EnumText(NudgeKind, 12), nullable=False))
    planned_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))
    status: NudgeStatus = Field(
        default=NudgeStatus.PLANNED,
        sa_column=Column(EnumText(NudgeStatus, 10), nullable=False),
    )
    attempts: int = 0
    late: bool = False
    sent_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime(), nullable=True))
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    message_id: int | None = None
    created_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


# ----- Audit trail (issue 7) -----


class AuditAction(StrEnum):
    """What was done; the content itself is never recorded."""

    VIEW_DOSSIER = "view_dossier"
    VIEW_FILE = "view_file"
    CREATE = "create"
    CHANGE = "change"
    ADD_FILE = "add_file"
    DEADLINE_DONE = "deadline_done"
    IMPORT = "import"
    EXPORT = "export"
    LINK = "link"
    UNLINK = "unlink"
    FORGET = "forget"
    RETENTION = "retention"
    REVOKE = "revoke"
    ROLE = "role"
    KEY_ROTATE = "key_rotate"
    VERIFY = "verify"
    DEADLINE_NOTE = "deadline_note"
    # The ways in and the calendar feeds (never a code, token, initData or feed address).
    INVITE = "invite"
    SIGN_IN = "sign_in"
    SIGN_IN_REFUSED = "sign_in_refused"
    SIGN_OUT = "sign_out"
    SESSION_ENDED = "session_ended"
    FEED_MADE = "feed_made"
    FEED_READ = "feed_read"


class AuditChannel(StrEnum):
    """Where an action came from."""

    CHAT = "chat"
    CLI = "cli"
    JOB = "job"
    WEB = "web"


class AuditEvent(SQLModel, table=True):
    """Who did what, when, to which pupil. `pupil_id` has no foreign key on purpose: the record
    that a pupil was forgotten must outlive the pupil."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    actor_role: str | None = Field(default=None, max_length=20)
    channel: str = Field(max_length=5)
    action: str = Field(max_length=16, index=True)
    pupil_id: int | None = Field(default=None, index=True)
    subject_user_id: int | None = Field(default=None)
    swv_id: int | None = Field(default=None, index=True)
    # A word or two about the kind of action ("absence", "xlsx"): never names or content.
    detail: str = Field(default="", max_length=40)


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for bulk statements that skip the ORM's unit of work."""
    # SQLModel sets __table__ when the class is created; its type stubs do not declare it.
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table
