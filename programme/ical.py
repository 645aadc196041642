"""iCalendar files (RFC 5545): the one builder behind the programme's calendar exports and
the calendar file attached to the confirmation email."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import icalendar
from django.conf import settings


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid(name: str) -> str:
    """A UID that stays the same across exports, so a calendar updates its entry instead
    of adding a second one."""
    return f"{name}@{site_host()}"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One VEVENT. Optional parts are left out of the file when not given."""

    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str
    url: str
    stamp: datetime.datetime
    last_modified: datetime.datetime | None = None
    # Raised with every significant change (time, place): the entry then replaces the old one.
    sequence: int | None = None
    description: str = ""
    categories: Sequence[str] = ()
    transparent: bool | None = None


def calendar_file(
    entries: Iterable[Entry],
    *,
    product: str,
    name: str = "",
    time_zone: str | None = None,
    year: int | None = None,
    refresh_interval: datetime.timedelta | None = None,
) -> bytes:
    """The entries as an .ics file. With time_zone, times are local to it and the file
        carries a VTIMEZONE for `year` (short, and correct for that year); without, times are in
        UTC, which every calendar reads the same. A refresh_interval marks the file as a feed to
    subscribe to: calendars fetch it again that often (REFRESH-INTERVAL, X-PUBLISHED-TTL)."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Modellkommune E-Government//{product}//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("name", name)  # RFC 7986
        cal.add("x-wr-calname", name)  # Apple, Google and Outlook read this one
    if refresh_interval:
        cal.add("refresh-interval", refresh_interval, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(refresh_interval))
    zone = datetime.UTC
    if time_zone:
        zone = zoneinfo.ZoneInfo(time_zone)
        cal.add("x-wr-timezone", time_zone)
        cal.add_component(
            icalendar.Timezone.from_tzid(
                time_zone,
                first_date=datetime.date(year, 1, 1),
                last_date=datetime.date(year + 1, 1, 1),
            )
        )
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        if entry.sequence is not None:
            event.add("sequence", entry.sequence)
        event.add("dtstamp", entry.stamp.astimezone(datetime.UTC))
        if entry.last_modified:
            event.add("last-modified", entry.last_modified.astimezone(datetime.UTC))
        event.add("dtstart", entry.start.astimezone(zone))
        event.add("dtend", entry.end.astimezone(zone))
        event.add("summary", entry.summary)
        event.add("location", entry.location)
        if entry.categories:
            event.add("categories", list(entry.categories))
        event.add("url", entry.url)
        if entry.description:
            event.add("description", entry.description)
        if entry.transparent is not None:
            event.add("transp", "TRANSPARENT" if entry.transparent else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
