"""Django email backends of the pipeline.

OutboxBackend is Django's EMAIL_BACKEND: whatever calls send_mail (allauth, password reset)
lands in the outbox like every other message. EmlFileBackend is the default delivery
backend without SMTP settings: one readable .eml file per message under var/mail/.
"""

from __future__ import annotations

import logging
import os
import uuid
from email.mime.base import MIMEBase
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags

from outbox.attachments import Attachment

logger = logging.getLogger(__name__)


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to EMAIL_FILE_PATH as <UTC time>-<random>.eml.

    The names sort by time; each file opens in any mail program. The file appears
    atomically (written under a temporary name, then renamed)."""

    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        written = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%dT%H%M%S.%fZ}-{uuid.uuid4().hex[:8]}.eml"
            temporary = self.file_path / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes(linesep="\n"))
            os.replace(temporary, self.file_path / name)
            written += 1
        return written


def _attachments_of(message) -> list[Attachment]:
    attachments = []
    for item in message.attachments:
        if isinstance(item, MIMEBase):
            attachments.append(
                Attachment(
                    filename=item.get_filename() or "attachment",
                    content=item.get_payload(decode=True) or b"",
                    mimetype=item.get_content_type(),
                )
            )
            continue
        filename, content, mimetype = item
        if isinstance(content, str):
            content = content.encode()
        attachments.append(
            Attachment(
                filename=filename or "attachment",
                content=content,
                mimetype=mimetype or "application/octet-stream",
            )
        )
    return attachments


class OutboxBackend(BaseEmailBackend):
    """Queues messages in the outbox instead of sending them (one row per recipient).

    The caller's transaction decides: if it rolls back, so does the message."""

    def send_messages(self, email_messages) -> int:
        from outbox.services import store_email

        queued = 0
        for message in email_messages:
            html = next(
                (
                    content
                    for content, mimetype in getattr(message, "alternatives", [])
                    if mimetype == "text/html"
                ),
                "",
            )
            text = message.body
            if message.content_subtype == "html":
                html, text = message.body, strip_tags(message.body)
            try:
                # A savepoint: a message that cannot be stored, with fail_silently, must
                # leave the caller's transaction usable.
                with transaction.atomic():
                    for recipient in message.recipients():
                        store_email(
                            recipient=recipient,
                            subject=message.subject,
                            body_text=text,
                            body_html=html,
                            language=translation.get_language() or settings.LANGUAGE_CODE,
                            attachments=_attachments_of(message),
                            from_email=message.from_email,
                            reply_to=message.reply_to[0] if message.reply_to else "",
                            headers=message.extra_headers,
                        )
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("Could not queue the email %r", message.subject)
                continue
            queued += 1
        return queued
