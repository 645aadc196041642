"""Page texts: the values they may contain as {placeholders}, and the [open placeholders]
organisers still have to fill in.

Organisers edit page texts in the admin. Facts that live elsewhere (the retention
period in the settings, the contact address and date on the event) are written as
{name} in the text and filled in when the page is shown, so the privacy notice can
never state a retention period the site does not practise. Unknown names stay as
they are; nothing else of the text is interpreted.

[Square brackets with “bitte eintragen”] mark what this project cannot know (the
operator's legal entity, address, data protection officer); the admin's page list flags
pages that still contain one.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from programme.models import Event, Page

PLACEHOLDER_PATTERN = re.compile(r"\{([a-z_]+)\}")
OPEN_PLACEHOLDER_PATTERN = re.compile(r"\[[^\]]*(bitte eintragen|please fill in)[^\]]*\]", re.I)

# Shown to organisers next to the text fields in the admin.
PLACEHOLDER_HELP = {
    "contact_email": _("Kontakt-E-Mail der Veranstaltung"),
    "event_title": _("Titel der Veranstaltung"),
    "event_date": _("Datum der Veranstaltung"),
    "start_time": _("Beginn (Uhrzeit)"),
    "end_time": _("Ende (Uhrzeit)"),
    "venue": _("Veranstaltungsort mit Anschrift"),
    "capacity": _("Zahl der Plätze"),
    "retention_days": _("Aufbewahrungsfrist in Tagen nach der Veranstaltung (Einstellung)"),
    "deletion_date": _("Tag, an dem die Daten einer heutigen Anmeldung gelöscht werden"),
    "inactive_data_hours": _(
        "Stunden nach Stornierung oder Ablauf, nach denen die Daten gelöscht werden (Einstellung)"
    ),
    "email_retention_days": _("Tage, nach denen versandte E-Mails gelöscht werden (Einstellung)"),
    "site_url": _("Adresse dieser Website"),
}


def has_open_placeholders(text: str) -> bool:
    return bool(OPEN_PLACEHOLDER_PATTERN.search(text or ""))


def sign_language_url() -> str:
    """Where the home page points for sign language (BITV 2.0): a page that has a video;
    empty when none has one (the page then says so at the link)."""
    page = Page.objects.exclude(sign_language_video="").order_by("slug").first()
    return page.get_absolute_url() if page else ""


def deletion_date(event: Event, *, registered_on: datetime.date | None = None) -> datetime.date:
    """The day registration data is deleted: RETENTION_DAYS_AFTER_EVENT days after the
    event, or after the registration when it was made after the event (registered_on,
    default today: the date for someone registering now). The retention job
    (registration/retention.py) anonymises on exactly this day, so what the privacy notice
    promises is what happens."""
    start = max(event.date, registered_on or timezone.localdate())
    return start + datetime.timedelta(days=settings.RETENTION_DAYS_AFTER_EVENT)


def page_values(event: Event | None) -> dict[str, str]:
    values = {
        "retention_days": str(settings.RETENTION_DAYS_AFTER_EVENT),
        "email_retention_days": str(settings.EMAIL_RETENTION_DAYS),
        "inactive_data_hours": str(settings.INACTIVE_DATA_HOURS),
        "site_url": settings.SITE_URL,
    }
    if event is not None:
        values |= {
            "contact_email": event.contact_email or settings.ORGANISER_EMAIL,
            "event_title": event.title,
            "event_date": date_format(event.date, "d.m.Y"),
            "start_time": time_format(event.start_time, "H:i"),
            "end_time": time_format(event.end_time, "H:i"),
            "venue": f"{event.venue_name}, {event.venue_address}",
            "capacity": str(event.capacity),
            "deletion_date": date_format(deletion_date(event), "d.m.Y"),
        }
    else:
        values["contact_email"] = settings.ORGANISER_EMAIL
    return values


def fill_in(text: str, values: dict[str, str]) -> str:
    """Replace every known {name} in text by its value."""
    return PLACEHOLDER_PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), text)
