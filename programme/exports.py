"""The programme for calendars (iCalendar, RFC 5545) and schedule apps (frab XML and JSON).

Identifiers are stable across exports, so a calendar that subscribed once updates its
entries instead of duplicating them: UID `session-<pk>@<site host>` in iCalendar, and
a UUID derived from that UID as the frab `guid`. Texts come in the request's language.
"""

from __future__ import annotations

import datetime
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from programme import ical
from programme.models import Event, Session

TIME_ZONE = "Europe/Berlin"
FRAB_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def absolute_url(path: str) -> str:
    """The public URL of a site path; a URL that already is absolute (file storage) stays."""
    return urljoin(settings.SITE_URL, path)


def session_uid(session: Session) -> str:
    return ical.uid(f"session-{session.pk}")


def session_guid(session: Session) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, session_uid(session)))


def people_line(session: Session) -> str:
    """ "Dr. Kay Ruge, Beigeordneter, Deutscher Landkreistag" per line; roles other than
    speaker in brackets."""
    lines = []
    for link in session.session_speakers.all():
        line = ", ".join(
            part for part in (link.speaker.full_name, link.speaker.affiliation) if part
        )
        if link.role != link.Role.SPEAKER:
            line += f" ({link.get_role_display()})"
        lines.append(line)
    return "\n".join(lines)


def location_line(session: Session, event: Event) -> str:
    """Room, venue and address, for the calendar entry's LOCATION."""
    parts = [session.location, event.venue_name, event.venue_address]
    return ", ".join(part for part in parts if part)


# --- iCalendar ------------------------------------------------------------------


# How often subscribed calendars should fetch the feed again (RFC 7986 and Outlook's
# X-PUBLISHED-TTL): a changed time reaches them within the hour.
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def calendar(sessions: Sequence[Session], event: Event, *, name: str | None = None) -> bytes:
    """One VEVENT per session, times in Europe/Berlin with a VTIMEZONE.

    Fit for subscribing (webcal://): METHOD:PUBLISH, the calendar's name and time zone,
    a refresh interval, and per entry a stable UID with a SEQUENCE that grows with every
    change of time or place (programme.services.save_session) and its LAST-MODIFIED, so
    an update replaces the entry instead of adding a second one."""
    return ical.calendar_file(
        (_calendar_entry(session, event) for session in sessions),
        product="Programm",
        name=name or event.short_title,
        time_zone=TIME_ZONE,
        year=event.date.year,
        refresh_interval=REFRESH_INTERVAL,
    )


def _calendar_entry(session: Session, event: Event) -> ical.Entry:
    url = absolute_url(session.get_absolute_url())
    description = [part for part in (session.abstract, people_line(session)) if part]
    if not session.time_confirmed:
        description.append(_("Die Uhrzeit ist vorläufig."))
    description.append(url)
    return ical.Entry(
        uid=session_uid(session),
        sequence=session.sequence,
        start=session.start,
        end=session.end,
        summary=session.title,
        location=location_line(session, event),
        url=url,
        stamp=session.updated_at,
        last_modified=session.updated_at,
        description="\n\n".join(description),
        categories=[session.get_kind_display()],
        transparent=session.is_break,
    )


# --- frab -------------------------------------------------------------------------


def conference_acronym(event: Event) -> str:
    """ "e_government_modellkommunen_2016": the words of the German short title and the year.

    The c3voc schema allows a hyphen only as the first character or before a year and a
    word (`^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$`), so words are joined by
    underscores."""
    words = slugify(event.short_title_de.split("–")[0]).replace("-", "_")
    return f"{words}_{event.date.year}"


def _version(sessions: Sequence[Session]) -> str:
    latest = max((session.updated_at for session in sessions), default=None)
    return latest.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if latest else "0"


def _hours_minutes(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _room_name(session: Session) -> str:
    return session.location or _("Veranstaltungsort")


def frab_schedule(sessions: Sequence[Session], event: Event) -> dict:
    """The schedule as the frab JSON structure (c3voc schema) that conference apps read."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    days: dict[datetime.date, list[Session]] = {}
    for session in sessions:
        days.setdefault(timezone.localtime(session.start).date(), []).append(session)
    rooms: list[str] = []
    for session in sessions:
        if _room_name(session) not in rooms:
            rooms.append(_room_name(session))

    def person(link) -> dict:
        # The pretalx shape (`name`), not frab's (`public_name` with `id`): the schema
        # wants a person to match exactly one of the two (`oneOf`).
        speaker = link.speaker
        data = {
            "id": speaker.pk,
            "guid": str(uuid.uuid5(uuid.NAMESPACE_URL, ical.uid(f"speaker-{speaker.pk}"))),
            "name": speaker.full_name,
            "role": link.role,
            "url": absolute_url(speaker.get_absolute_url()),
        }
        if speaker.bio:
            data["biography"] = speaker.bio
        if speaker.photo:
            data["avatar"] = absolute_url(speaker.photo.large_jpeg)
        return data

    def talk(session: Session) -> dict:
        start = timezone.localtime(session.start)
        return {
            "id": session.pk,
            "guid": session_guid(session),
            "logo": None,
            "date": start.isoformat(),
            "end": timezone.localtime(session.end).isoformat(),
            "start": start.strftime("%H:%M"),
            "duration": _hours_minutes(session.duration),
            "room": _room_name(session),
            "slug": session.slug,
            "url": absolute_url(session.get_absolute_url()),
            "title": session.title,
            "subtitle": "",
            "track": session.get_kind_display(),
            "type": session.kind,
            "language": language,
            "abstract": session.abstract,
            "description": "",
            "recording_license": "",
            "do_not_record": True,
            "persons": [person(link) for link in session.session_speakers.all()],
            "links": [],
            "attachments": [],
        }

    day_list = []
    for index, (date, day_sessions) in enumerate(sorted(days.items()), start=1):
        day_rooms: dict[str, list[dict]] = {}
        for session in day_sessions:
            day_rooms.setdefault(_room_name(session), []).append(talk(session))
        day_list.append(
            {
                "index": index,
                "date": date.isoformat(),
                "day_start": timezone.localtime(day_sessions[0].start).isoformat(),
                "day_end": timezone.localtime(max(s.end for s in day_sessions)).isoformat(),
                "rooms": day_rooms,
            }
        )
    if not day_list:
        # frab requires at least one day; an empty programme still has its event day.
        day_list.append(
            {
                "index": 1,
                "date": event.date.isoformat(),
                "day_start": timezone.localtime(event.starts_at).isoformat(),
                "day_end": timezone.localtime(event.ends_at).isoformat(),
                "rooms": {},
            }
        )
    return {
        "$schema": FRAB_SCHEMA_URL,
        "generator": {"name": "eventsite"},
        "schedule": {
            "version": _version(sessions),
            "base_url": absolute_url("/"),
            "conference": {
                "acronym": conference_acronym(event),
                "title": event.title,
                "start": event.date.isoformat(),
                "end": event.date.isoformat(),
                "daysCount": len(day_list),
                "timeslot_duration": "00:05",
                "time_zone_name": TIME_ZONE,
                "url": absolute_url("/"),
                "rooms": [
                    {"name": name, "guid": str(uuid.uuid5(uuid.NAMESPACE_URL, name))}
                    for name in rooms
                ],
                "days": day_list,
            },
        },
    }


def frab_xml(schedule: dict) -> bytes:
    """The same schedule as frab XML (validated against frab-schedule.xml.xsd in tests)."""
    data = schedule["schedule"]
    conference = data["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "version").text = data["version"]
    conf = ET.SubElement(root, "conference")
    ET.SubElement(conf, "title").text = conference["title"]
    ET.SubElement(conf, "acronym").text = conference["acronym"]
    ET.SubElement(conf, "start").text = conference["start"]
    ET.SubElement(conf, "end").text = conference["end"]
    ET.SubElement(conf, "days").text = str(conference["daysCount"])
    ET.SubElement(conf, "timeslot_duration").text = conference["timeslot_duration"]
    for day in conference["days"]:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room_name, talks in day["rooms"].items():
            room = ET.SubElement(day_element, "room", name=room_name)
            for item in talks:
                element = ET.SubElement(room, "event", id=str(item["id"]), guid=item["guid"])
                for field in ("date", "start", "duration", "room", "slug", "title", "subtitle"):
                    ET.SubElement(element, field).text = item[field]
                ET.SubElement(element, "track").text = item["track"]
                ET.SubElement(element, "type").text = item["type"]
                ET.SubElement(element, "language").text = item["language"]
                ET.SubElement(element, "abstract").text = item["abstract"]
                ET.SubElement(element, "description").text = item["description"]
                persons = ET.SubElement(element, "persons")
                for person in item["persons"]:
                    ET.SubElement(persons, "person", id=str(person["id"])).text = person["name"]
                links = ET.SubElement(element, "links")
                ET.SubElement(links, "link", href=item["url"]).text = item["title"]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
