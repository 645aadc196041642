"""The registration's emails in the email gallery (outbox.gallery), with sample data.

Every message of registration/emails.py is registered here, each variant on its own."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from outbox.gallery import register
from programme.email_samples import sample_event
from registration import emails
from registration.models import Registration

ATTENDEES = _("Teilnehmende")
WAITING_LIST = _("Warteliste")


def sample_registration(language: str, **fields) -> Registration:
    """An unsaved registration with invented data; nothing is written."""
    values = {
        "event": sample_event(),
        "salutation": Registration.Salutation.MS,
        "academic_title": "Dr.",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "email": "erika.mustermann@example.org",
        "organisation": "Stadt Musterstadt",
        "category": Registration.Category.MUNICIPALITY,
        "language": language,
        "status": Registration.Status.CONFIRMED,
        "entry_code": "7KQMX3PD",
        "hold_expires_at": None,
        **fields,
    }
    return Registration(**values)


def sample_url(registration: Registration, name: str) -> str:
    return emails.absolute_url(registration, name, token="beispiel-link")


def _context(language: str, **extra) -> dict:
    registration = sample_registration(language, **extra.pop("fields", {}))
    return {
        "registration": registration,
        "event": registration.event,
        "manage_url": sample_url(registration, "manage"),
        "confirm_url": sample_url(registration, "confirm"),
        "form_url": emails.absolute_url(registration, "form"),
        "organiser_email": "veranstaltung@example.org",
        **extra,
    }


def _ticket(language: str):
    return emails._ticket_attachments(sample_registration(language))


def _deadline():
    return timezone.now() + datetime.timedelta(hours=24)


register(
    "registration-confirm-address",
    title=_("Adresse bestätigen (Platz reserviert)"),
    audience=ATTENDEES,
    template="registration/confirm_address",
    sample=lambda language: _context(language, holds_seat=True, deadline=_deadline(), again=False),
)
register(
    "registration-confirm-address-full",
    title=_("Adresse bestätigen (ausgebucht)"),
    audience=WAITING_LIST,
    template="registration/confirm_address",
    sample=lambda language: _context(language, holds_seat=False, deadline=_deadline(), again=False),
)
register(
    "registration-confirmed",
    title=_("Anmeldung bestätigt"),
    audience=ATTENDEES,
    template="registration/confirmed",
    sample=_context,
    attachments=_ticket,
)
register(
    "registration-waitlisted",
    title=_("Auf der Warteliste"),
    audience=WAITING_LIST,
    template="registration/waitlisted",
    sample=lambda language: _context(language, position=3),
)
register(
    "registration-moved-up",
    title=_("Von der Warteliste nachgerückt"),
    audience=WAITING_LIST,
    template="registration/moved_up",
    sample=_context,
    attachments=_ticket,
)
register(
    "registration-changed",
    title=_("Angaben geändert"),
    audience=ATTENDEES,
    template="registration/changed",
    sample=lambda language: _context(language, old_email=None),
)
register(
    "registration-changed-old-address",
    title=_("Adresse geändert (Nachricht an die alte Adresse)"),
    audience=ATTENDEES,
    template="registration/changed",
    sample=lambda language: _context(
        language, old_email="erika.alt@example.org", to_old_address=True
    ),
)
register(
    "registration-confirm-new-address",
    title=_("Neue Adresse bestätigen"),
    audience=ATTENDEES,
    template="registration/confirm_new_address",
    sample=lambda language: _context(language, fields={"pending_email": "erika.neu@example.org"}),
)
register(
    "registration-cancelled",
    title=_("Anmeldung storniert"),
    audience=ATTENDEES,
    template="registration/cancelled",
    sample=lambda language: _context(language, was_waiting=False),
)
register(
    "registration-cancelled-waiting",
    title=_("Warteliste verlassen"),
    audience=WAITING_LIST,
    template="registration/cancelled",
    sample=lambda language: _context(language, was_waiting=True),
)
register(
    "registration-hold-expired",
    title=_("Anmeldung verfallen (Platz freigegeben)"),
    audience=ATTENDEES,
    template="registration/hold_expired",
    sample=lambda language: _context(language, held_seat=True),
)
register(
    "registration-hold-expired-full",
    title=_("Anmeldung verfallen (ausgebucht)"),
    audience=WAITING_LIST,
    template="registration/hold_expired",
    sample=lambda language: _context(language, held_seat=False),
)
register(
    "registration-press-review-lapsed",
    title=_("Presse: Akkreditierung nicht rechtzeitig geprüft"),
    audience=ATTENDEES,
    template="registration/hold_expired",
    sample=lambda language: _context(language, held_seat=True, press_review_lapsed=True),
)
register(
    "registration-your-link",
    title=_("Persönlichen Link erneut senden"),
    audience=ATTENDEES,
    template="registration/your_link",
    sample=_context,
)


def _directions_url(language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("directions")


def _before_the_day(language: str) -> dict:
    context = _context(language)
    registration = context["registration"]
    return {
        **context,
        "cancel_url": sample_url(registration, "cancel"),
        "directions_url": _directions_url(language),
        "days_left": 3,
    }


register(
    "registration-reminder",
    title=_("Erinnerung vor der Veranstaltung"),
    audience=ATTENDEES,
    template="registration/reminder",
    sample=_before_the_day,
    attachments=_ticket,
)
register(
    "registration-last-call",
    title=_("Letzter Aufruf: kurz vor dem Tag nachgerückt"),
    audience=WAITING_LIST,
    template="registration/last_call",
    sample=_before_the_day,
    attachments=_ticket,
)


def _invitation(language: str) -> dict:
    from registration.models import InvitationCode

    code = InvitationCode(
        code="7KQMX3PD9HTW",
        recipient_name="Dr. Erika Mustermann",
        recipient_email="erika.mustermann@example.org",
        language=language,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    with translation.override(language):
        invitation_url = f"{settings.SITE_URL}{reverse('registration:form')}?code={code.code}"
    return {
        "code": code,
        "recipient_name": code.recipient_name,
        "invitation_url": invitation_url,
        "event": sample_event(),
        "organiser_email": "veranstaltung@example.org",
    }


register(
    "registration-invitation",
    title=_("Einladung mit Einladungscode (Kontingent)"),
    audience=ATTENDEES,
    template="registration/invitation",
    sample=_invitation,
)
register(
    "registration-accreditation-pending",
    title=_("Presse: Akkreditierung wird geprüft"),
    audience=ATTENDEES,
    template="registration/accreditation_pending",
    sample=lambda language: _context(language, deadline=_deadline()),
)
register(
    "registration-accreditation-approved",
    title=_("Presse: Akkreditierung bestätigt"),
    audience=ATTENDEES,
    template="registration/accreditation_approved",
    sample=_context,
    attachments=_ticket,
)
register(
    "registration-accreditation-declined",
    title=_("Presse: Akkreditierung abgelehnt"),
    audience=ATTENDEES,
    template="registration/accreditation_declined",
    sample=_context,
)
register(
    "registration-certificate-ready",
    title=_("Teilnahmebescheinigung bereit"),
    audience=ATTENDEES,
    template="registration/certificate_ready",
    sample=lambda language: {
        **_context(language),
        "certificate_url": sample_url(sample_registration(language), "certificate"),
    },
)
