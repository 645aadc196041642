"""/schedule.json against the c3voc schedule JSON schema (a copy, see SCHEMAS.md)."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from programme.models import Session, SessionSpeaker
from programme.seed_programme import load_programme
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).with_name("c3voc-schedule.schema.json")
ACRONYM_PATTERN = r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$"


def load_schema(text: str) -> dict:
    """The schema as JSON: revisions of the original carry whole-line `//` comments."""
    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.MULTILINE))


def validator() -> jsonschema.Draft6Validator:
    schema = load_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    # The format checker tests uuid, uri, date and date-time (jsonschema[format-nongpl]).
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator().iter_errors(document)
    ]


def definition_validator(name: str) -> jsonschema.Draft6Validator:
    """A validator for one definition of the schema, e.g. a single person object."""
    schema = validator().schema
    return jsonschema.Draft6Validator({**schema, "$ref": f"#/definitions/{name}"})


def test_comment_lines_are_stripped_but_urls_in_strings_stay():
    text = '{\n  "$schema": "http://json-schema.org/draft-06/schema#",\n  // TODO\n  "a": 1\n}'

    assert load_schema(text) == {"$schema": "http://json-schema.org/draft-06/schema#", "a": 1}


def test_schema_copy_rejects_the_errors_it_is_kept_for():
    # The copy must catch what consumers catch, or the tests below prove nothing.
    person = {"id": 1, "name": "A", "public_name": "A"}
    bad = {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "e-government-modellkommunen-2016",
                "title": "T",
                "start": "2016-09-22",
                "end": "2016-09-22",
                "daysCount": 1,
                "timeslot_duration": "00:05",
                "days": [],
            },
        }
    }
    assert len(schema_errors(bad)) == 1
    assert not definition_validator("Person").is_valid(person)


def test_seeded_schedule_json_is_valid_in_both_languages(client, event):
    load_programme()

    for url in ("/schedule.json", "/en/schedule.json"):
        document = json.loads(client.get(url).content)
        assert schema_errors(document) == [], url
        talks = [
            talk
            for day in document["schedule"]["conference"]["days"]
            for talks in day["rooms"].values()
            for talk in talks
        ]
        assert len(talks) == 9
        assert sum(len(talk["persons"]) for talk in talks) >= 14


def test_schedule_json_with_bio_photo_and_empty_fields_is_valid(client, event, settings):
    settings.SITE_URL = "https://veranstaltung.example.org"
    talk = SessionSpeakerFactory(
        session__slug="ergebnisse", session__abstract="", session__location_de="",
        session__start=at(10, 50), session__end=at(11, 30),
        speaker__bio="Professor an der Hochschule Harz.", speaker__photo_key="a" * 32,
    ).session  # fmt: skip
    SessionSpeakerFactory(session=talk, role=SessionSpeaker.Role.MODERATOR)
    SessionFactory(kind=Session.Kind.BREAK, start=at(12, 30), end=at(13, 30))

    document = json.loads(client.get("/schedule.json").content)

    assert schema_errors(document) == []
    person = document["schedule"]["conference"]["days"][0]["rooms"]["Veranstaltungsort"][0][
        "persons"
    ][0]
    assert person["biography"] == "Professor an der Hochschule Harz."
    assert (
        person["avatar"] == f"https://veranstaltung.example.org/media/speakers/{'a' * 32}-600.jpg"
    )


def test_empty_schedule_json_is_valid(client, event):
    assert schema_errors(json.loads(client.get("/schedule.json").content)) == []


def test_acronym_fits_the_pattern_and_keeps_its_words_and_year(client, event):
    conference = json.loads(client.get("/schedule.json").content)["schedule"]["conference"]

    assert conference["acronym"] == "e_government_modellkommunen_2016"
    assert re.fullmatch(ACRONYM_PATTERN, conference["acronym"])


def test_each_person_matches_exactly_one_person_shape(client, event):
    SessionSpeakerFactory(speaker=SpeakerFactory(name="Kay Ruge", academic_title="Dr."))
    shapes = {name: definition_validator(name) for name in ("FrabPerson", "PretalxPerson")}

    document = json.loads(client.get("/schedule.json").content)

    [person] = [
        person
        for day in document["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
        for person in talk["persons"]
    ]
    assert person["name"] == "Dr. Kay Ruge"
    assert definition_validator("Person").is_valid(person)
    assert [name for name, shape in shapes.items() if shape.is_valid(person)] == ["PretalxPerson"]
