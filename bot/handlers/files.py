"""A document or photo sent with a pupil's name as caption is filed with that pupil's case."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.context import BotContext
from bot.handlers.pupil_choice import resolve_named_pupil
from bot.handlers.web import pages_on, send_pointer
from bot.i18n import Translator
from bot.services.access import NotAvailable
from bot.services.cases import UpdateError
from bot.services.files import (
    MAX_FILE_BYTES,
    content_matches,
    file_document,
    photo_type,
    read_caption,
    upload_problem,
)
from bot.views.texts import not_available_text
from bot.views.updates import UPDATE_ERRORS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileTarget:
    """Button data: the file and the pupil it belongs to."""

    pupil_id: int
    telegram_file_id: str
    file_name: str
    mime_type: str
    confidential: bool
    photo: bool = False  # its type is known from its bytes only
    description: str = ""  # the caption after the pupil's name


def _attachment(update: Update) -> tuple[str, str, str | None, int | None, bool] | None:
    message = update.effective_message
    if message is None:
        return None
    if message.document is not None:
        document = message.document
        return (
            document.file_id,
            document.file_name or "",
            document.mime_type,
            document.file_size,
            False,
        )
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return photo.file_id, "foto", "image/jpeg", photo.file_size, True
    return None


def _refusal(problem: str | None, caption_name: str, tr: Translator) -> str | None:
    """Why a file sent in chat is not filed, before downloading it; None when it may be."""
    _ = tr.gettext
    if problem == "type":
        return _(
            "I can only file PDF, Word, Excel, OpenDocument, text files and JPEG or PNG photos."
        )
    if problem == "size":
        return _too_large(tr)
    if not caption_name:
        return _(
            "Whose file is this? Send it again with the pupil's name as caption, "
            "for example “Sanne” or “Sanne vertrouwelijk”."
        )
    return None


def _too_large(tr: Translator) -> str:
    return tr.gettext("That file is too large: at most {megabytes} MB.").format(
        megabytes=MAX_FILE_BYTES // (1024 * 1024)
    )


async def receive_file(update: Update, context: BotContext) -> None:
    """Check the file and its caption; file it, or ask which pupil is meant."""
    message = update.effective_message
    attachment = _attachment(update)
    assert message is not None and attachment is not None
    if pages_on(context.services.settings):
        await _to_the_pages(message, context)
        return
    file_id, file_name, mime_type, size, is_photo = attachment
    caption = read_caption(message.caption or "")
    refusal = _refusal(upload_problem(mime_type, size), caption.name, context.tr)
    if refusal is not None:
        await message.reply_text(refusal)
        return

    def target(pupil_id: int) -> FileTarget:
        details = (file_name, mime_type or "", caption.confidential, is_photo, caption.description)
        return FileTarget(pupil_id, file_id, *details)

    found = await resolve_named_pupil(message, context, caption.name, target)
    if found is not None:
        await _file(update, context, target(found[0]))


async def _to_the_pages(message: Message, context: BotContext) -> None:
    """With the web pages on, files are added on the dossier page, not through the chat: the
    file sent here is not filed, and removed from the chat."""
    await send_pointer(
        context,
        message.chat.id,
        context.tr.gettext(
            "Files are added on the pupil's dossier page in the app, not in the chat. I did not "
            "file this one and removed it from the chat."
        ),
        context.tr.gettext("Open the list"),
        "/pupils",
    )
    try:
        await message.delete()
    except TelegramError:
        logger.info("could not remove a file message from the chat")


async def pick_target(update: Update, context: BotContext) -> None:
    """After choosing the pupil: file the document."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.data, FileTarget)
    await query.answer()
    context.drop_callback_data(query)
    await _file(update, context, query.data)


def _content_refusal(content: bytes, mime_type: str, tr: Translator) -> str | None:
    """Why the downloaded content is not filed; None when it may be."""
    if len(content) > MAX_FILE_BYTES:
        return _too_large(tr)
    if not content_matches(mime_type, content):
        return tr.gettext(
            "That file is not what its type says, so I did not file it. Send it again as a "
            "PDF, Word, Excel, OpenDocument or text file, or a JPEG or PNG photo."
        )
    return None


async def _file(update: Update, context: BotContext, target: FileTarget) -> None:
    chat = update.effective_chat
    assert chat is not None
    telegram_file = await context.bot.get_file(target.telegram_file_id)
    content = bytes(await telegram_file.download_as_bytearray())
    if target.photo:
        target = replace(target, mime_type=photo_type(content) or target.mime_type)
    refusal = _content_refusal(content, target.mime_type, context.tr)
    await context.bot.send_message(chat.id, refusal or await _store(context, target, content))


async def _store(context: BotContext, target: FileTarget, content: bytes) -> str:
    """File the checked content; the reply says where, or why not."""
    account, _ = context.account, context.tr.gettext
    assert account is not None
    try:
        who, name = await asyncio.to_thread(
            file_document,
            context.services,
            user=account,
            pupil_id=target.pupil_id,
            file_name=target.file_name,
            mime_type=target.mime_type,
            content=content,
            confidential=target.confidential,
            description=target.description,
        )
    except NotAvailable:
        return not_available_text(context.tr)
    except UpdateError as error:
        return _(UPDATE_ERRORS[error.code])
    logger.info("user %s filed a document for pupil %s", account.id, target.pupil_id)
    text = _("Filed with {pupil}: {file}").format(pupil=who, file=name)
    if target.confidential:
        text += "\n" + _("Marked confidential: attendance officers will not see it.")
    return text


def register(application: Application) -> None:
    """Add the document and photo handler."""
    application.add_handler(MessageHandler(filters.Document.ALL | filters.PHOTO, receive_file))
    application.add_handler(CallbackQueryHandler(pick_target, pattern=FileTarget))
