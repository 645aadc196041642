"""The one iCalendar builder (programme/ical.py)."""

import datetime

import icalendar

from programme import ical

START = datetime.datetime(2016, 9, 22, 8, 0, tzinfo=datetime.UTC)


def entry(**changes) -> ical.Entry:
    values = {
        "uid": "event-1@example.org",
        "start": START,
        "end": START + datetime.timedelta(hours=7),
        "summary": "Abschlussveranstaltung",
        "location": "Berlin",
        "url": "https://example.org/",
        "stamp": START,
    }
    return ical.Entry(**{**values, **changes})


def test_without_time_zone_times_are_utc_and_optional_parts_left_out():
    text = ical.calendar_file([entry()], product="Anmeldung").decode()

    assert "DTSTART:20160922T080000Z" in text
    assert "PRODID:-//Modellkommune E-Government//Anmeldung//DE" in text
    for absent in ("VTIMEZONE", "TRANSP", "DESCRIPTION", "CATEGORIES", "LAST-MODIFIED"):
        assert absent not in text


def test_with_time_zone_times_are_local_with_a_vtimezone():
    calendar = icalendar.Calendar.from_ical(
        ical.calendar_file(
            [entry(transparent=True, categories=["Pause"], description="Kaffee")],
            product="Programm",
            name="Programm",
            time_zone="Europe/Berlin",
            year=2016,
        )
    )

    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2016-09-22T10:00:00+02:00"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert (str(event["TRANSP"]), str(event["DESCRIPTION"])) == ("TRANSPARENT", "Kaffee")


def test_uid_names_the_site(settings):
    settings.SITE_URL = "https://events.example.org"

    assert ical.uid("session-7") == "session-7@events.example.org"
