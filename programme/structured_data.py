"""schema.org JSON-LD for search engines: the event, its sessions and their people.

Builders return plain dicts; `json_ld_script` renders one as a
`<script type="application/ld+json">` data block. A data block is not executed, so the
strict Content-Security-Policy (no inline scripts) neither blocks nor reports it. Texts
come in the active language; every URL is absolute.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from eventsite.markup import markdown_to_text
from programme.exports import absolute_url
from programme.models import Event, Session, Speaker

SCHEMA = "https://schema.org"

# Like Django's json_script: the three characters that could end the <script> element or
# start markup inside it are written as JSON escapes, which parsers read back unchanged.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - the escapes above leave nothing that could end the script
        f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>'
    )


def _language() -> str:
    return (get_language() or "de")[:2]


def plain_text(markdown_text: str, *, words: int = 60) -> str:
    """Organiser Markdown as one plain line, for descriptions."""
    text = " ".join(markdown_to_text(markdown_text).split())
    return Truncator(text).words(words, truncate=" …")


def postal_address(event: Event) -> dict:
    return {
        "@type": "PostalAddress",
        "streetAddress": event.venue_street,
        "postalCode": event.venue_postcode,
        "addressLocality": event.venue_city,
        "addressCountry": "DE",
    }


def venue(event: Event) -> dict:
    return {"@type": "Place", "name": event.venue_name, "address": postal_address(event)}


def event_description(event: Event) -> str:
    return plain_text(event.description) or event.subtitle or event.title


def person(speaker: Speaker) -> dict:
    data = {
        "@type": "Person",
        "name": speaker.full_name,
        "url": absolute_url(speaker.get_absolute_url()),
    }
    if speaker.academic_title:
        data["honorificPrefix"] = speaker.academic_title
    if speaker.position:
        data["jobTitle"] = speaker.position
    if speaker.organisation:
        data["affiliation"] = {"@type": "Organization", "name": speaker.organisation}
    if speaker.photo:
        data["image"] = absolute_url(speaker.photo.large_jpeg)
    return data


def event_reference(event: Event) -> dict:
    """The event in short, for a session's `superEvent`."""
    return {
        "@type": "Event",
        "name": event.title,
        "url": absolute_url(reverse("home")),
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "location": venue(event),
    }


def session_event(session: Session, event: Event, *, with_super_event: bool = True) -> dict:
    """A session as an Event of its own, with its people as `performer`."""
    place = venue(event)
    if session.location:
        place = {
            "@type": "Place",
            "name": f"{session.location}, {event.venue_name}",
            "address": postal_address(event),
            "containedInPlace": venue(event),
        }
    data = {
        "@type": "Event",
        "name": session.title,
        "url": absolute_url(session.get_absolute_url()),
        "startDate": timezone.localtime(session.start).isoformat(),
        "endDate": timezone.localtime(session.end).isoformat(),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "inLanguage": "de",
        "location": place,
        "description": plain_text(session.abstract) or session.get_kind_display(),
    }
    people = [person(link.speaker) for link in session.session_speakers.all()]
    if people:
        data["performer"] = people
    if with_super_event:
        data["superEvent"] = event_reference(event)
    return data


def main_event(
    event: Event,
    *,
    image_url: str | None = None,
    offers: dict | None = None,
    sessions: Iterable[Session] = (),
) -> dict:
    """The event as search engines want it (Google's Event rich result properties)."""
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": event.title,
        "description": event_description(event),
        "url": absolute_url(reverse("home")),
        "inLanguage": "de",
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": venue(event),
        "organizer": [{"@type": "Organization", "name": host} for host in event.host_list],
        "maximumAttendeeCapacity": event.capacity,
        "isAccessibleForFree": True,
    }
    if image_url:
        data["image"] = [image_url]
    if offers:
        data["offers"] = offers
    sub_events = [session_event(s, event, with_super_event=False) for s in sessions]
    if sub_events:
        data["subEvent"] = sub_events
    return data


def session_page(session: Session, event: Event) -> dict:
    return {"@context": SCHEMA, **session_event(session, event)}
