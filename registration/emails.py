"""The registration's emails: one function per message, each queued through the delivery
pipeline (outbox.queue_email) inside the caller's transaction.

Templates: templates/emails/registration/<name>.subject.txt, .txt and .html, rendered in
the registrant's language.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from outbox import Attachment, queue_email
from programme import ical
from programme.emails import outbox_site_context
from registration.codes import entry_qr_png
from registration.models import InvitationCode, Registration, hash_token


def _queue_email(**kwargs):
    # One indirection, so tests can record what was queued (tests/registration/conftest.py).
    return queue_email(**kwargs)


def greeting_name(registration: Registration, to: str | None = None) -> str:
    """The name to greet with, only for an address the person has confirmed. Anyone can
    type a stranger's address and a "name" like "Visit evil.example now": until the
    address is confirmed, the mail carries no text the requester chose."""
    confirmed = registration.email_confirmed_at is not None
    if not confirmed or (to is not None and to.lower() != registration.email.lower()):
        return ""
    return registration.full_name


def _queue(registration: Registration, name: str, context: dict, *, to=None, attachments=()):
    base = {
        "greeting_name": greeting_name(registration, to),
        "registration": registration,
        "event": registration.event,
        "site_url": settings.SITE_URL,
        "organiser_email": settings.ORGANISER_EMAIL,
    }
    return _queue_email(
        to=to or registration.email,
        template=f"registration/{name}",
        context={**base, **context},
        language=registration.language,
        attachments=attachments,
        about=registration,
        site=outbox_site_context(event=registration.event),
    )


def absolute_url(registration: Registration, name: str, **kwargs) -> str:
    with translation.override(registration.language):
        return settings.SITE_URL + reverse(f"registration:{name}", kwargs=kwargs)


def manage_url(registration: Registration) -> str:
    token = registration.manage_token()
    stored = hash_token(token)
    if registration.manage_token_hash != stored:
        # SECRET_KEY changed since the link was made: issue the link under the new key.
        registration.manage_token_hash = stored
        Registration.objects.filter(pk=registration.pk).update(manage_token_hash=stored)
    return absolute_url(registration, "manage", token=token)


def confirm_url(registration: Registration) -> str:
    token = registration.confirm_token()
    stored = hash_token(token)
    if registration.confirm_token_hash != stored:
        registration.confirm_token_hash = stored
        Registration.objects.filter(pk=registration.pk).update(confirm_token_hash=stored)
    return absolute_url(registration, "confirm", token=token)


# --- attachments ---------------------------------------------------------------------------


def _attachment(filename: str, content: bytes, mimetype: str) -> Attachment:
    return Attachment(filename=filename, content=content, mimetype=mimetype)


def calendar_file(registration: Registration) -> bytes:
    """The event as an iCalendar file (RFC 5545), times in UTC so every calendar agrees."""
    event = registration.event
    with translation.override(registration.language):
        entry = ical.Entry(
            uid=ical.uid(f"event-{event.pk}"),
            start=event.starts_at,
            end=event.ends_at,
            summary=str(event.title),
            location=f"{event.venue_name}, {event.venue_address}",
            url=absolute_url(registration, "form"),
            stamp=datetime.datetime.now(tz=datetime.UTC),
        )
    return ical.calendar_file([entry], product="Anmeldung")


def qr_code_png(registration: Registration) -> bytes:
    """The entry code as a regular QR code for the check-in at the door."""
    return entry_qr_png(registration.entry_code)


def _ticket_attachments(registration: Registration):
    # File names are part of what the reader sees: in their language.
    with translation.override(registration.language):
        calendar_name = pgettext("file name", "veranstaltung.ics")
        code_name = pgettext("file name", "einlasscode-%(code)s.png") % {
            "code": registration.entry_code_display
        }
    return [
        _attachment(calendar_name, calendar_file(registration), "text/calendar"),
        _attachment(code_name, qr_code_png(registration), "image/png"),
    ]


# --- the messages --------------------------------------------------------------------------


def confirm_address(
    registration: Registration, *, again: bool = False, seat_on_confirmation: bool = False
):
    """seat_on_confirmation: no seat is held (the client's allowance of held seats is used
    up) but seats are free, so the person gets one by confirming while any are left."""
    deadline = registration.hold_expires_at
    hold_hours = None
    if deadline and registration.created_at:
        hold_hours = max(round((deadline - registration.created_at).total_seconds() / 3600), 1)
    return _queue(
        registration,
        "confirm_address",
        {
            "confirm_url": confirm_url(registration),
            "holds_seat": registration.status == Registration.Status.HELD,
            "seat_on_confirmation": seat_on_confirmation,
            "deadline": deadline,
            "hold_hours": hold_hours,
            "again": again,
        },
    )


def confirmed(registration: Registration):
    return _queue(
        registration,
        "confirmed",
        {"manage_url": manage_url(registration)},
        attachments=_ticket_attachments(registration),
    )


def waitlisted(registration: Registration, *, position: int | None = None):
    """`position`: the place on the waiting list when the caller has counted it already."""
    return _queue(
        registration,
        "waitlisted",
        {
            "manage_url": manage_url(registration),
            "position": position or registration.waiting_position(),
        },
    )


def moved_up(registration: Registration):
    return _queue(
        registration,
        "moved_up",
        {"manage_url": manage_url(registration)},
        attachments=_ticket_attachments(registration),
    )


def changed(registration: Registration, *, old_email: str | None = None):
    context = {"manage_url": manage_url(registration), "old_email": old_email}
    message = _queue(registration, "changed", context)
    if old_email:
        # The previous address learns of the move, so a hijack does not go unnoticed.
        _queue(registration, "changed", {**context, "to_old_address": True}, to=old_email)
    return message


def cancelled(registration: Registration, *, previous_status: str):
    return _queue(
        registration,
        "cancelled",
        {
            "was_waiting": previous_status == Registration.Status.WAITING,
            "form_url": absolute_url(registration, "form"),
        },
    )


def hold_expired(
    registration: Registration, *, held_seat: bool = True, press_review_lapsed: bool = False
):
    return _queue(
        registration,
        "hold_expired",
        {
            "form_url": absolute_url(registration, "form"),
            "held_seat": held_seat,
            "press_review_lapsed": press_review_lapsed,
        },
    )


def accreditation_pending(registration: Registration):
    return _queue(
        registration,
        "accreditation_pending",
        {"manage_url": manage_url(registration), "deadline": registration.hold_expires_at},
    )


def accreditation_approved(registration: Registration):
    return _queue(
        registration,
        "accreditation_approved",
        {"manage_url": manage_url(registration)},
        attachments=_ticket_attachments(registration),
    )


def accreditation_declined(registration: Registration):
    return _queue(registration, "accreditation_declined", {})


def invitation(code: InvitationCode):
    """The personal invitation of an invitation code, with a link that fills the code in."""
    with translation.override(code.language):
        invitation_url = (
            f"{settings.SITE_URL}{reverse('registration:form')}?{urlencode({'code': code.code})}"
        )
    return _queue_email(
        to=code.recipient_email,
        template="registration/invitation",
        context={
            "code": code,
            "recipient_name": code.recipient_name,
            "invitation_url": invitation_url,
            "site_url": settings.SITE_URL,
            "organiser_email": settings.ORGANISER_EMAIL,
        },
        language=code.language,
        about=code,
    )


def confirm_new_address(registration: Registration):
    token = registration.email_change_token()
    return _queue(
        registration,
        "confirm_new_address",
        {"confirm_url": absolute_url(registration, "confirm_email_change", token=token)},
        to=registration.pending_email,
    )


def your_link(registration: Registration):
    return _queue(registration, "your_link", {"manage_url": manage_url(registration)})


def _before_the_day(registration: Registration) -> dict:
    with translation.override(registration.language):
        directions_url = settings.SITE_URL + reverse("directions")
    return {
        "manage_url": manage_url(registration),
        "cancel_url": absolute_url(registration, "cancel", token=registration.manage_token()),
        "directions_url": directions_url,
        # Counted from the day the reminder goes out (reminded_at is set just before).
        "days_left": max(
            (
                registration.event.date
                - timezone.localdate(registration.reminded_at or timezone.now())
            ).days,
            0,
        ),
    }


def reminder(registration: Registration):
    return _queue(
        registration,
        "reminder",
        _before_the_day(registration),
        attachments=_ticket_attachments(registration),
    )


def last_call(registration: Registration):
    return _queue(
        registration,
        "last_call",
        _before_the_day(registration),
        attachments=_ticket_attachments(registration),
    )


def certificate_ready(registration: Registration):
    token = registration.manage_token()
    return _queue(
        registration,
        "certificate_ready",
        {
            "manage_url": manage_url(registration),
            "certificate_url": absolute_url(registration, "certificate", token=token),
        },
    )
