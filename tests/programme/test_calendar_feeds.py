"""Calendar feeds to subscribe to: read by two independent parsers (icalendar, vobject),
updated in place when a session moves (SEQUENCE, LAST-MODIFIED)."""

import datetime
import io

import icalendar
import pytest
import vobject
from lxml import html as lxml_html

from programme import services
from programme.models import Session, SessionSpeaker
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory, at
from tests.programme.test_admin import organiser_client, session_form  # noqa: F401

pytestmark = pytest.mark.django_db

SITE = "https://veranstaltung.example.org"
BERLIN = "Europe/Berlin"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def programme(event):
    talk = SessionSpeakerFactory(
        session__title_de="Ergebnisse", session__slug="ergebnisse", session__location_de="Saal",
        session__start=at(10, 50), session__end=at(11, 30),
        speaker__name="Jürgen Stember", speaker__slug="juergen-stember",
    ).session  # fmt: skip
    other = SessionFactory(title_de="Kochbuch", slug="kochbuch", start=at(11, 30), end=at(12))
    SessionSpeakerFactory(session=other, speaker=SpeakerFactory(name="Matthias Neutzner"))
    return talk, other


def feed(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_programme_feed_has_what_calendar_apps_need_in_both_parsers(client, programme):
    content = feed(client, "/programm.ics")

    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "E-Government-Modellkommunen – Abschlussveranstaltung"
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-WR-TIMEZONE"]) == BERLIN
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=1)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [BERLIN]
    entries = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in entries] == ["Ergebnisse", "Kochbuch"]
    assert [e.decoded("SEQUENCE") for e in entries] == [0, 0]

    parsed = vobject.readOne(io.StringIO(content.decode()))
    assert parsed.method.value == "PUBLISH"
    assert parsed.contents["x-wr-calname"][0].value == str(calendar["X-WR-CALNAME"])
    assert [tz.tzid.value for tz in parsed.vtimezone_list] == [BERLIN]
    vevents = parsed.vevent_list
    assert [e.uid.value for e in vevents] == [str(e["UID"]) for e in entries]
    assert vevents[0].dtstart.value.isoformat() == "2016-09-22T10:50:00+02:00"
    assert vevents[0].dtend.value.isoformat() == "2016-09-22T11:30:00+02:00"
    assert [int(e.sequence.value) for e in vevents] == [0, 0]
    assert vevents[0].last_modified.value.tzinfo is not None


def test_speaker_feed_holds_only_their_sessions(client, programme):
    talk, _other = programme

    content = feed(client, "/referierende/juergen-stember.ics")

    parsed = vobject.readOne(io.StringIO(content.decode()))
    assert [e.summary.value for e in parsed.vevent_list] == ["Ergebnisse"]
    assert parsed.contents["x-wr-calname"][0].value == "Programm: Jürgen Stember"
    calendar = icalendar.Calendar.from_ical(content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        f"session-{talk.pk}@veranstaltung.example.org"
    ]
    english = icalendar.Calendar.from_ical(feed(client, "/en/referierende/juergen-stember.ics"))
    assert str(english["X-WR-CALNAME"]) == "Programme: Jürgen Stember"
    assert client.get("/referierende/niemand.ics").status_code == 404


def links(client, url: str) -> dict[str, str]:
    document = lxml_html.fromstring(client.get(url).content)
    return {" ".join(a.text_content().split()): a.get("href") for a in document.iter("a")}


def test_programme_and_speaker_pages_offer_webcal_subscriptions(client, programme):
    programme_links = links(client, "/programm/")
    speaker_links = links(client, "/referierende/juergen-stember/")
    english_links = links(client, "/en/programm/")

    assert (
        programme_links["Ganzes Programm im Kalender abonnieren (bleibt aktuell)"]
        == "webcal://veranstaltung.example.org/programm.ics"
    )
    assert (
        speaker_links["Termine von Jürgen Stember im Kalender abonnieren"]
        == "webcal://veranstaltung.example.org/referierende/juergen-stember.ics"
    )
    assert (
        english_links["Subscribe to the whole programme in your calendar (stays up to date)"]
        == "webcal://veranstaltung.example.org/en/programm.ics"
    )
    # The subscription address is the feed itself.
    subscription = programme_links["Ganzes Programm im Kalender abonnieren (bleibt aktuell)"]
    assert feed(client, subscription.removeprefix("webcal://veranstaltung.example.org"))


def entry(client, url: str = "/programm.ics", summary: str = "Ergebnisse"):
    calendar = icalendar.Calendar.from_ical(feed(client, url))
    [found] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == summary]
    return found


def test_moving_a_session_raises_sequence_and_last_modified_with_the_same_uid(client, programme):
    talk, _other = programme
    before = entry(client)
    Session.objects.filter(pk=talk.pk).update(updated_at=at(9))  # an earlier edit

    talk.start, talk.end = at(14), at(14, 40)
    services.save_session(session=talk)
    after = entry(client)

    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1 == 1
    assert after.decoded("LAST-MODIFIED") > at(9)
    assert after.decoded("DTSTART").isoformat() == "2016-09-22T14:00:00+02:00"
    # The speaker's feed says the same.
    speaker_entry = entry(client, "/referierende/juergen-stember.ics")
    assert speaker_entry.decoded("SEQUENCE") == 1


def test_a_new_place_raises_sequence_but_a_new_title_does_not(programme):
    talk, _other = programme

    talk.title_de = "Ergebnisse des Pilotvorhabens"
    services.save_session(session=talk)
    assert talk.sequence == 0

    talk.location_de = "Konferenzraum 2"
    services.save_session(session=talk)
    assert talk.sequence == 1
    talk.refresh_from_db()
    assert talk.sequence == 1


def test_saving_a_session_in_the_admin_counts_a_time_change(organiser_client, programme):  # noqa: F811
    talk, _other = programme
    data = session_form(
        title_de="Ergebnisse", slug="ergebnisse", start="2016-09-22T15:00",
        end="2016-09-22T15:30", location_en="",
    )  # fmt: skip
    data.update(
        {
            "session_speakers-TOTAL_FORMS": "1",
            "session_speakers-INITIAL_FORMS": "1",
            "session_speakers-0-id": str(talk.session_speakers.get().pk),
            "session_speakers-0-session": str(talk.pk),
            "session_speakers-0-speaker": str(talk.session_speakers.get().speaker_id),
            "session_speakers-0-role": SessionSpeaker.Role.SPEAKER,
            "session_speakers-0-order": "0",
        }
    )

    response = organiser_client.post(f"/admin/programme/session/{talk.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    talk.refresh_from_db()
    assert talk.sequence == 1
    assert talk.start == at(15)
