"""Writing to the guests: placeholders, recipients, preview, test send, the one send, and
later the same message to those who joined the recipients since.

Sending is one transaction that starts with a conditional UPDATE (draft → sent): a second
click, or a second organiser at the same moment, finds nothing to update and sends
nothing. Every message goes through the outbox in that transaction, so a failure before
the commit sends none and the mailing stays a draft."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import audit
from audit import Actor
from mailings.models import Mailing, MailingRecipient
from outbox import queue_email
from registration.emails import manage_url
from registration.models import Registration

Status = Registration.Status
TEMPLATE = "mailings/mailing"
LANGUAGES = ("de", "en")

PLACEHOLDER_PATTERN = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDER_HELP = {
    "anrede": _("Anrede mit Name, z. B. „Sehr geehrte Frau Dr. Muster“ / „Dear Ms Muster“"),
    "name": _("Vollständiger Name"),
    "einlasscode": _("Einlasscode (nur bei bestätigten Anmeldungen)"),
    "link": _("Persönlicher Link zur Anmeldung"),
    "veranstaltung": _("Titel der Veranstaltung"),
    "datum": _("Datum der Veranstaltung"),
    "ort": _("Veranstaltungsort mit Anschrift"),
}


class MailingError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def recipients(mailing: Mailing):
    """The registrations the mailing goes to now (an anonymised one never)."""
    registrations = Registration.objects.filter(event=mailing.event, anonymised_at__isnull=True)
    Audience = Mailing.Audience
    if mailing.audience == Audience.CONFIRMED:
        registrations = registrations.filter(status=Status.CONFIRMED)
    elif mailing.audience == Audience.WAITING:
        registrations = registrations.filter(status=Status.WAITING)
    elif mailing.audience == Audience.UNCONFIRMED:
        registrations = registrations.filter(
            status__in=[Status.HELD, Status.UNCONFIRMED], hold_expires_at__gt=timezone.now()
        )
    else:
        registrations = registrations.filter(
            pk__in=mailing.selection.values("pk"), status__in=Registration.ACTIVE_STATUSES
        )
    return registrations.select_related("event").order_by("last_name", "first_name", "pk")


def greeting(registration: Registration) -> str:
    """The salutation line in the registration's language."""
    name = " ".join(p for p in (registration.academic_title, registration.last_name) if p)
    with translation.override(registration.language):
        if registration.salutation == Registration.Salutation.MS:
            return gettext("Sehr geehrte Frau %(name)s") % {"name": name}
        if registration.salutation == Registration.Salutation.MR:
            return gettext("Sehr geehrter Herr %(name)s") % {"name": name}
        return gettext("Guten Tag %(name)s") % {"name": registration.full_name}


def values_for(registration: Registration, *, link: str | None = None) -> dict[str, str]:
    event = registration.event
    with translation.override(registration.language):
        return {
            "anrede": greeting(registration),
            "name": registration.full_name,
            "einlasscode": registration.entry_code_display
            if registration.status == Status.CONFIRMED
            else "–",
            "link": link if link is not None else manage_url(registration),
            "veranstaltung": event.title,
            "datum": date_format(event.date, "DATE_FORMAT"),
            "ort": f"{event.venue_name}, {event.venue_address}",
        }


def fill_in(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER_PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def texts(mailing: Mailing, language: str) -> tuple[str, str]:
    if language == "en":
        return mailing.subject_en, mailing.body_en
    return mailing.subject_de, mailing.body_de


def render_for(mailing: Mailing, registration: Registration, *, link: str | None = None):
    """(subject, body) as this registration gets it."""
    subject, body = texts(mailing, "en" if registration.language == "en" else "de")
    values = values_for(registration, link=link)
    return fill_in(subject, values), fill_in(body, values)


def preview_recipient(mailing: Mailing, language: str) -> Registration | None:
    people = recipients(mailing)
    if language == "en":
        return people.filter(language="en").first()
    return people.exclude(language="en").first()


def preview(mailing: Mailing, language: str) -> dict | None:
    """The message for one real recipient in that language. The personal link is shown
    as a marker: the admin never shows a live link."""
    registration = preview_recipient(mailing, language)
    if registration is None:
        return None
    subject, body = render_for(mailing, registration, link=gettext("[persönlicher Link]"))
    return {"registration": registration, "subject": subject, "body": body}


def _queue(*, to: str, subject: str, body: str, language: str, about, event):
    return queue_email(
        to=to,
        template=TEMPLATE,
        context={
            "subject": subject,
            "body": body,
            "event": event,
            "site_url": settings.SITE_URL,
            "organiser_email": settings.ORGANISER_EMAIL,
        },
        language=language,
        about=about,
    )


def send_test(*, mailing: Mailing, user) -> list[str]:
    """Both language versions to the organiser's own address, filled in for a preview
    recipient where there is one (with a dummy link). Returns the languages sent."""
    if not user.email:
        raise MailingError(
            _("Ihr Benutzerkonto hat keine E-Mail-Adresse. Tragen Sie sie zuerst ein.")
        )
    sent = []
    with transaction.atomic():
        for language in LANGUAGES:
            registration = preview_recipient(mailing, language)
            subject, body = texts(mailing, language)
            if registration is not None:
                subject, body = render_for(
                    mailing, registration, link=settings.SITE_URL + "/anmeldung/verwalten/TEST/"
                )
            with translation.override(language):
                prefix = gettext("[Test]")
            _queue(
                to=user.email,
                subject=f"{prefix} {subject}",
                body=body,
                language=language,
                about=mailing,
                event=mailing.event,
            )
            sent.append(language)
    return sent


def send(*, mailing: Mailing, user) -> int:
    """Send the mailing once to every recipient. Returns how many messages were queued;
    raises MailingError when it was sent already (a double click) or has no recipients."""
    with transaction.atomic():
        now = timezone.now()
        claimed = Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.DRAFT).update(
            status=Mailing.Status.SENT, sent_at=now, sent_by=user
        )
        if not claimed:
            raise MailingError(_("Dieses Rundschreiben wurde bereits gesendet."))
        mailing.refresh_from_db()
        people = list(recipients(mailing))
        if not people:
            raise MailingError(_("Dieses Rundschreiben hat keine Empfänger."))
        return _send_to(mailing, people, actor=Actor.organiser(user, via="mailing"))


def newcomers(mailing: Mailing):
    """Who belongs to a sent mailing's recipients now but has not got it: people who
    registered, confirmed or moved up from the waiting list since it was sent."""
    return recipients(mailing).exclude(
        pk__in=MailingRecipient.objects.filter(mailing=mailing).values("registration_id")
    )


NOT_SENT_YET = _("Senden Sie das Rundschreiben zuerst an alle Empfänger.")
NOBODY_NEW = _("Seit dem Versand ist niemand hinzugekommen.")


def send_to_newcomers(*, mailing: Mailing, user) -> int:
    """Send a sent mailing, unchanged, to its newcomers (see newcomers). Returns how many
    messages were queued; raises MailingError for a draft or when nobody is new.

    The mailing's row is locked first, so two organisers clicking at once send each
    newcomer one message: the second finds them recorded (and the unique constraint
    mailing_once_per_registration would refuse a second row anyway)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status != Mailing.Status.SENT:
            raise MailingError(NOT_SENT_YET)
        people = list(newcomers(mailing))
        if not people:
            raise MailingError(NOBODY_NEW)
        return _send_to(mailing, people, actor=Actor.organiser(user, via="mailing_newcomers"))


def _send_to(mailing: Mailing, people: list[Registration], *, actor: Actor) -> int:
    rows = []
    for registration in people:
        subject, body = render_for(mailing, registration)
        email = _queue(
            to=registration.email,
            subject=subject,
            body=body,
            language=registration.language,
            about=registration,
            event=mailing.event,
        )
        rows.append(
            MailingRecipient(
                mailing=mailing,
                registration=registration,
                email=email,
                language=registration.language,
            )
        )
        audit.record(
            registration, actor=actor, action="mailing_sent", note=mailing.subject_de[:200]
        )
    MailingRecipient.objects.bulk_create(rows)
    return len(rows)


def delivery_counts(mailing: Mailing) -> dict[str, int]:
    from django.db.models import Count, Q

    Email = MailingRecipient._meta.get_field("email").related_model.Status
    return mailing.recipients.aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(email__status__in=[Email.QUEUED, Email.SENDING])),
        sent=Count("pk", filter=Q(email__status=Email.SENT)),
        failed=Count("pk", filter=Q(email__status=Email.FAILED)),
    )
