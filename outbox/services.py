"""Putting messages into the outbox. Delivery lives in delivery.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from outbox.attachments import Attachment
from outbox.models import OutgoingAttachment, OutgoingEmail

# Headers every automatic message carries: RFC 3834 tells auto-responders (out-of-office
# replies) not to answer; the Microsoft header does the same for Exchange.
AUTOMATIC_HEADERS = {
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "All",
}
# Set by the pipeline itself: values passed in by callers are ignored.
RESERVED_HEADERS = {"message-id", "from", "to", "cc", "bcc", "reply-to", "subject", "date"}

_NAME_AND_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<address>[^<>]*)>$")


class InvalidRecipient(ValueError):
    """The recipient is not a single valid email address."""


def one_line(value: str) -> str:
    """Collapse every line break and run of whitespace into one space.

    Subjects and display names go into headers; a line break there would start a new
    header (header injection), so none survives."""
    return " ".join(str(value).split())


def clean_recipient(value: str) -> str:
    """'Name <address>' or 'address' -> a safe single mailbox, or InvalidRecipient."""
    value = one_line(value)
    match = _NAME_AND_ADDRESS.match(value)
    name, address = (match["name"], match["address"].strip()) if match else ("", value)
    try:
        validate_email(address)
    except ValidationError as error:
        raise InvalidRecipient(f"not a valid email address: {address!r}") from error
    name = name.strip().strip('"').replace("\\", "").replace('"', "").strip()
    return f'"{name}" <{address}>' if name else address


def site_context() -> dict:
    """What every email of the site knows besides its own context, from the callable that
    settings.OUTBOX_SITE_CONTEXT names (the programme supplies the event and its contact
    address); the outbox itself knows no domain model. Keys: "context", "reply_to"."""
    if not settings.OUTBOX_SITE_CONTEXT:
        return {"context": {}, "reply_to": ""}
    return import_string(settings.OUTBOX_SITE_CONTEXT)()


def default_reply_to(site: dict | None = None) -> str:
    """The organisers: EMAIL_REPLY_TO, else the site's contact address (the event's), else
    ORGANISER_EMAIL."""
    if settings.EMAIL_REPLY_TO:
        return settings.EMAIL_REPLY_TO
    site = site_context() if site is None else site
    return site["reply_to"] or getattr(settings, "ORGANISER_EMAIL", "")


def _message_id_domain(from_email: str) -> str:
    match = re.search(r"@([^>\s]+)", from_email)
    return match[1] if match else "localhost"


def render_text(template_name: str, context: dict) -> str:
    """Render a subject or plain text template without HTML autoescaping: an ampersand in
    a name must stay an ampersand in a text email, not become '&amp;'."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_email(
    *, template: str, context: dict, language: str, site: dict | None = None
) -> tuple[str, str, str]:
    """(subject, text, html) of templates/emails/<template>.subject.txt/.txt/.html in
    `language`. The .html part is optional. Templates get the site context (the event)
    and `site_url` too."""
    site = site_context() if site is None else site
    full_context = {
        **site["context"],
        "site_url": settings.SITE_URL,
        "language": language,
        **context,
    }
    with translation.override(language):
        subject = one_line(render_text(f"emails/{template}.subject.txt", full_context))
        text = render_text(f"emails/{template}.txt", full_context).strip() + "\n"
        try:
            html = render_to_string(f"emails/{template}.html", full_context)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    attachments: Sequence[Attachment] = (),
    about=None,
    site: dict | None = None,
) -> OutgoingEmail:
    """Render a message and store it in the current transaction.

    Call it inside the transaction that makes the change the message is about: if that
    transaction rolls back, nothing is sent; if it commits, the worker delivers.
    `site`: the site context (as site_context() returns it) when the caller has its
    parts at hand already, which saves reading them again on a busy path."""
    recipient = clean_recipient(to)
    site = site_context() if site is None else site
    subject, text, html = render_email(
        template=template, context=context, language=language, site=site
    )
    return store_email(
        recipient=recipient,
        reply_to=default_reply_to(site),
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        template=template,
        attachments=attachments,
        about=about,
    )


def store_email(
    *,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "",
    template: str = "",
    attachments: Sequence[Attachment] = (),
    from_email: str = "",
    reply_to: str = "",
    headers: dict[str, str] | None = None,
    about=None,
) -> OutgoingEmail:
    """Store an already rendered message. Used by queue_email and the OutboxBackend."""
    from_email = one_line(from_email or settings.DEFAULT_FROM_EMAIL)
    extra_headers = {
        one_line(name): one_line(value)
        for name, value in (headers or {}).items()
        if name.lower() not in RESERVED_HEADERS and ":" not in name
    }
    email = OutgoingEmail(
        recipient=clean_recipient(recipient),
        from_email=from_email,
        reply_to=one_line(reply_to or default_reply_to()),
        language=language or settings.LANGUAGE_CODE,
        template=template,
        subject=one_line(subject)[:500],
        body_text=body_text,
        body_html=body_html,
        message_id=make_msgid(domain=_message_id_domain(from_email)),
        headers={**extra_headers, **AUTOMATIC_HEADERS},
        next_attempt_at=timezone.now(),
        about=about,
    )
    files = [
        OutgoingAttachment(
            email=email,
            filename=one_line(attachment.filename),
            mimetype=one_line(attachment.mimetype),
            content=bytes(attachment.content),
        )
        for attachment in attachments
    ]
    # The message and its attachments commit together, and with the caller's change when
    # called inside its transaction. No savepoint (two statements fewer per message): a
    # database error here fails the caller's transaction as a whole, as it should; a
    # caller that goes on after such an error takes a savepoint itself (OutboxBackend).
    with transaction.atomic(savepoint=False):
        email.save(force_insert=True)
        for file in files:
            file.email = email  # now with its primary key
        OutgoingAttachment.objects.bulk_create(files)
    return email


def resend_emails(emails) -> tuple[list[OutgoingEmail], int]:
    """Queue a fresh copy of each message (new Message-ID, same content and attachments).

    Messages a worker holds right now are skipped: they may be on the wire. Returns the
    copies and the number skipped. Call inside a transaction."""
    copies = []
    skipped = 0
    for email in emails.prefetch_related("attachments"):
        if not email.can_be_resent:
            skipped += 1
            continue
        copy = store_email(
            recipient=email.recipient,
            subject=email.subject,
            body_text=email.body_text,
            body_html=email.body_html,
            language=email.language,
            template=email.template,
            attachments=[
                Attachment(
                    filename=item.filename, content=bytes(item.content), mimetype=item.mimetype
                )
                for item in email.attachments.all()
            ],
            from_email=email.from_email,
            reply_to=email.reply_to,
            headers=email.headers,
            about=email.about,
        )
        copy.resent_from = email
        copy.save(update_fields=["resent_from"])
        copies.append(copy)
    return copies, skipped


def cancel_emails(emails) -> int:
    """Stop queued or failed messages from being sent; returns how many were cancelled.

    One conditional UPDATE: a message a worker claimed meanwhile is left alone."""
    return emails.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]
    ).update(status=OutgoingEmail.Status.CANCELLED, next_attempt_at=timezone.now())
