"""A document or photo sent with a pupil's name as caption is filed with that pupil's case."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.context import BotContext
from bot.handlers.pupil_choice import resolve_named_pupil
from bot.handlers.texts import not_available_text
from bot.handlers.updates import UPDATE_ERRORS
from bot.services.access import NotAvailable
from bot.services.cases import UpdateError, label
from bot.services.files import (
    MAX_FILE_BYTES,
    content_matches,
    read_caption,
    store_file,
    upload_problem,
)
from bot.storage.models import Pupil

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileTarget:
    """Button data: the file and the pupil it belongs to."""

    pupil_id: int
    telegram_file_id: str
    file_name: str
    mime_type: str
    confidential: bool


def _attachment(update: Update) -> tuple[str, str, str | None, int | None] | None:
    message = update.effective_message
    if message is None:
        return None
    if message.document is not None:
        document = message.document
        return document.file_id, document.file_name or "", document.mime_type, document.file_size
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return photo.file_id, "foto.jpg", "image/jpeg", photo.file_size
    return None


async def receive_file(update: Update, context: BotContext) -> None:
    """Check the file and its caption; file it, or ask which pupil is meant."""
    message = update.effective_message
    account = context.account
    attachment = _attachment(update)
    assert message is not None
    assert account is not None
    assert attachment is not None
    _ = context.tr.gettext
    file_id, file_name, mime_type, size = attachment
    problem = upload_problem(mime_type, size)
    if problem == "type":
        await message.reply_text(
            _("I can only file PDF, Word, Excel, OpenDocument, text files and JPEG or PNG photos.")
        )
        return
    if problem == "size":
        await message.reply_text(
            _("That file is too large: at most {megabytes} MB.").format(
                megabytes=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
        return
    caption = read_caption(message.caption or "")
    if not caption.name:
        await message.reply_text(
            _("Whose file is this? Send it again with the pupil's name as caption, "
              "for example “Sanne” or “Sanne vertrouwelijk”.")
        )  # fmt: skip
        return

    def target(pupil_id: int) -> FileTarget:
        return FileTarget(pupil_id, file_id, file_name, mime_type or "", caption.confidential)

    found = await resolve_named_pupil(message, context, caption.name, target)
    if found is not None:
        await _file(update, context, target(found[0]))


async def pick_target(update: Update, context: BotContext) -> None:
    """After choosing the pupil: file the document."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, FileTarget)
    await query.answer()
    context.drop_callback_data(query)
    await _file(update, context, query.data)


async def _file(update: Update, context: BotContext, target: FileTarget) -> None:
    account = context.account
    chat = update.effective_chat
    assert account is not None
    assert chat is not None
    _ = context.tr.gettext
    telegram_file = await context.bot.get_file(target.telegram_file_id)
    content = bytes(await telegram_file.download_as_bytearray())
    if len(content) > MAX_FILE_BYTES:
        await context.bot.send_message(
            chat.id,
            _("That file is too large: at most {megabytes} MB.").format(
                megabytes=MAX_FILE_BYTES // (1024 * 1024)
            ),
        )
        return
    if not content_matches(target.mime_type, content):
        logger.info("user %s sent a file whose content is not its type", account.id)
        await context.bot.send_message(
            chat.id,
            _("That file is not what its type says, so I did not file it. Send it again as a "
              "PDF, Word, Excel, OpenDocument or text file, or a JPEG or PNG photo."),
        )  # fmt: skip
        return
    services = context.services
    try:
        with services.session() as session:
            stored = store_file(
                session=session, user=account, pupil_id=target.pupil_id,
                file_name=target.file_name, mime_type=target.mime_type, content=content,
                confidential=target.confidential, now=services.clock.now(),
            )  # fmt: skip
            pupil = session.get(Pupil, target.pupil_id)
            assert pupil is not None
            who = label(session=session, pupil=pupil)
            name = stored.file_name
    except NotAvailable:
        await context.bot.send_message(chat.id, not_available_text(context.tr))
        return
    except UpdateError as error:
        await context.bot.send_message(chat.id, _(UPDATE_ERRORS[error.code]))
        return
    logger.info("user %s filed a document for pupil %s", account.id, target.pupil_id)
    text = _("Filed with {pupil}: {file}").format(pupil=who, file=name)
    if target.confidential:
        text += "\n" + _("Marked confidential: attendance officers will not see it.")
    await context.bot.send_message(chat.id, text)


def register(application: Application) -> None:
    """Add the document and photo handler."""
    application.add_handler(MessageHandler(filters.Document.ALL | filters.PHOTO, receive_file))
    application.add_handler(CallbackQueryHandler(pick_target, pattern=FileTarget))
