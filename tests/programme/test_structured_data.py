"""schema.org JSON-LD on the public pages, read back with extruct as search engines read it."""

import pytest

from programme.models import Session, SessionSpeaker
from tests.html import executable_scripts
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, at
from tests.structured import json_ld

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
SITE = "https://veranstaltung.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE


def the_event(client, url: str = "/") -> dict:
    [data] = [item for item in json_ld(client, url) if item["@type"] == "Event"]
    return data


def test_home_page_carries_the_event_with_the_properties_search_engines_require(client, event):
    data = the_event(client)

    assert data["@context"] == "https://schema.org"
    assert data["name"] == event.title
    assert data["startDate"] == "2016-09-22T10:00:00+02:00"
    assert data["endDate"] == "2016-09-22T16:00:00+02:00"
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Presse- und Besucherzentrum des Bundespresseamts",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Reichstagufer 14",
            "postalCode": "10117",
            "addressLocality": "Berlin",
            "addressCountry": "DE",
        },
    }
    assert [host["name"] for host in data["organizer"]] == event.host_list
    assert {host["@type"] for host in data["organizer"]} == {"Organization"}
    assert data["description"].startswith("Von 2014 bis 2016")
    assert "**" not in data["description"] and "<" not in data["description"]
    assert data["url"] == SITE + "/"
    [image] = data["image"]
    assert image.startswith(SITE + "/vorschau/") and image.endswith(".png")
    assert client.get(image.removeprefix(SITE)).status_code == 200


def test_english_home_page_has_english_texts_and_urls(client, event):
    data = the_event(client, "/en/")

    assert data["name"] == event.title_en
    assert data["url"] == SITE + "/en/"
    assert data["image"][0].startswith(SITE + "/en/vorschau/")
    assert data["offers"]["url"] == SITE + "/en/anmeldung/"
    assert data["inLanguage"] == "de"  # the event is held in German


def test_session_page_carries_the_session_its_people_and_the_event(client, event):
    link = SessionSpeakerFactory(
        session__title_de="Ergebnisse", session__slug="ergebnisse",
        session__abstract_de="Der **Projektbericht** in Kürze.", session__location_de="Saal",
        session__start=at(10, 50), session__end=at(11, 30),
        speaker__name="Jürgen Stember", speaker__academic_title="Prof. Dr.",
        speaker__position_de="Dekan", speaker__organisation_de="Hochschule Harz",
    )  # fmt: skip
    SessionSpeakerFactory(session=link.session, role=SessionSpeaker.Role.MODERATOR)

    data = the_event(client, "/programm/ergebnisse/")

    assert data["name"] == "Ergebnisse"
    assert data["startDate"] == "2016-09-22T10:50:00+02:00"
    assert data["endDate"] == "2016-09-22T11:30:00+02:00"
    assert data["description"] == "Der Projektbericht in Kürze."
    assert data["location"]["name"] == "Saal, Presse- und Besucherzentrum des Bundespresseamts"
    assert data["location"]["address"]["streetAddress"] == "Reichstagufer 14"
    first, second = data["performer"]
    assert first == {
        "@type": "Person",
        "name": "Prof. Dr. Jürgen Stember",
        "honorificPrefix": "Prof. Dr.",
        "jobTitle": "Dekan",
        "affiliation": {"@type": "Organization", "name": "Hochschule Harz"},
        "url": SITE + link.speaker.get_absolute_url(),
    }
    assert second["@type"] == "Person"
    assert data["superEvent"]["name"] == event.title
    assert data["superEvent"]["url"] == SITE + "/"


def test_programme_page_lists_every_session_as_sub_event(client, event):
    SessionSpeakerFactory(session__title_de="Ergebnisse", session__start=at(10, 50),
                          session__end=at(11, 30))  # fmt: skip
    SessionFactory(title_de="Mittagspause", kind=Session.Kind.BREAK, start=at(12), end=at(13))

    data = the_event(client, "/programm/")

    assert [sub["name"] for sub in data["subEvent"]] == ["Ergebnisse", "Mittagspause"]
    assert data["subEvent"][0]["performer"][0]["@type"] == "Person"


def test_text_that_closes_the_script_element_stays_data(client, event):
    event.title_de = 'Ende </script><script>alert("x")</script> & mehr'
    event.save()

    html = client.get("/").content.decode()

    assert executable_scripts(html) == []
    assert "</script><script>" not in html
    assert the_event(client)["name"] == 'Ende </script><script>alert("x")</script> & mehr'
