import json
from pathlib import Path

import icalendar
import pytest
from lxml import etree

from programme.models import Session, SessionSpeaker
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, at

pytestmark = pytest.mark.django_db

# A copy of the schema conference apps validate against (voc/schedule, validator/xsd).
FRAB_XSD = Path(__file__).with_name("frab-schedule.xml.xsd")


@pytest.fixture
def programme(event):
    talk = SessionSpeakerFactory(
        session__title_de="Ergebnisse", session__title_en="Results",
        session__slug="ergebnisse", session__location_de="Saal", session__location_en="Hall",
        session__start=at(10, 50), session__end=at(11, 30), session__time_confirmed=False,
        speaker__name="Jürgen Stember", speaker__academic_title="Prof. Dr.",
    ).session  # fmt: skip
    SessionSpeakerFactory(session=talk, role=SessionSpeaker.Role.MODERATOR)
    pause = SessionFactory(
        title_de="Mittagspause", kind=Session.Kind.BREAK, slug="mittagspause",
        location_de="Foyer", start=at(12, 30), end=at(13, 30),
    )  # fmt: skip
    return [talk, pause]


def parse_calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_programme_ics_has_one_event_per_session_in_berlin_time(client, programme):
    calendar = parse_calendar(client.get("/programm.ics"))

    events = calendar.walk("VEVENT")
    assert len(events) == len(programme)
    timezones = calendar.walk("VTIMEZONE")
    assert [tz["TZID"] for tz in timezones] == ["Europe/Berlin"]
    first = events[0]
    assert str(first["SUMMARY"]) == "Ergebnisse"
    assert first.decoded("DTSTART").isoformat() == "2016-09-22T10:50:00+02:00"
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert first.decoded("DTEND").isoformat() == "2016-09-22T11:30:00+02:00"
    assert str(first["LOCATION"]) == (
        "Saal, Presse- und Besucherzentrum des Bundespresseamts, Reichstagufer 14, 10117 Berlin"
    )
    assert "Prof. Dr. Jürgen Stember" in str(first["DESCRIPTION"])
    assert "(Moderation)" in str(first["DESCRIPTION"])
    assert "Die Uhrzeit ist vorläufig." in str(first["DESCRIPTION"])
    assert str(first["URL"]).endswith("/programm/ergebnisse/")


def test_ics_uids_are_stable_and_unique(client, programme):
    first = [str(e["UID"]) for e in parse_calendar(client.get("/programm.ics")).walk("VEVENT")]
    again = [str(e["UID"]) for e in parse_calendar(client.get("/programm.ics")).walk("VEVENT")]
    single = parse_calendar(client.get("/programm/ergebnisse.ics")).walk("VEVENT")

    assert first == again
    assert len(set(first)) == len(first)
    assert first[0] == f"session-{programme[0].pk}@127.0.0.1"
    assert [str(e["UID"]) for e in single] == [first[0]]


def test_ics_lines_follow_rfc5545(client, programme):
    content = client.get("/programm.ics").content

    assert content.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    for line in content.split(b"\r\n"):
        assert len(line) <= 75
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["PRODID"])
    for entry in calendar.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(entry)


def test_english_ics_is_english(client, programme):
    calendar = parse_calendar(client.get("/en/programm.ics"))

    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Results"


def test_schedule_xml_validates_against_frab_schema(client, programme):
    response = client.get("/schedule.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    schema = etree.XMLSchema(etree.parse(str(FRAB_XSD)))
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    events = document.findall("day/room/event")
    assert [e.findtext("title") for e in events] == ["Ergebnisse", "Mittagspause"]
    assert events[0].findtext("start") == "10:50"
    assert events[0].findtext("duration") == "00:40"
    assert [p.text for p in events[0].find("persons")][0] == "Prof. Dr. Jürgen Stember"


def test_empty_schedule_xml_still_validates(client, event):
    schema = etree.XMLSchema(etree.parse(str(FRAB_XSD)))

    document = etree.fromstring(client.get("/schedule.xml").content)

    assert schema.validate(document), schema.error_log


def test_schedule_json_loads_in_frab_structure(client, programme):
    response = client.get("/schedule.json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    schedule = json.loads(response.content)["schedule"]
    conference = schedule["conference"]
    assert conference["time_zone_name"] == "Europe/Berlin"
    assert conference["start"] == "2016-09-22"
    assert [room["name"] for room in conference["rooms"]] == ["Saal", "Foyer"]
    day = conference["days"][0]
    assert day["date"] == "2016-09-22"
    talk = day["rooms"]["Saal"][0]
    assert talk["title"] == "Ergebnisse"
    assert talk["date"] == "2016-09-22T10:50:00+02:00"
    assert talk["duration"] == "00:40"
    assert talk["type"] == "talk"
    assert [p["name"] for p in talk["persons"]][0] == "Prof. Dr. Jürgen Stember"
    assert (
        talk["guid"]
        == json.loads(client.get("/schedule.json").content)["schedule"]["conference"]["days"][0][
            "rooms"
        ]["Saal"][0]["guid"]
    )


def test_seeded_programme_exports_are_valid(client, event):
    from programme.seed_programme import load_programme

    load_programme()
    schema = etree.XMLSchema(etree.parse(str(FRAB_XSD)))

    assert schema.validate(etree.fromstring(client.get("/schedule.xml").content))
    assert len(parse_calendar(client.get("/programm.ics")).walk("VEVENT")) == 9
    assert json.loads(client.get("/en/schedule.json").content)["schedule"]["conference"]["days"]
