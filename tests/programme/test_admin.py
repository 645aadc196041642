import pytest
from django.contrib.auth import get_user_model

from programme.models import Session, SessionSpeaker
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    user = get_user_model().objects.create_superuser(
        username="orga", email="orga@example.org", password="x-very-long-password"
    )
    client.force_login(user)
    return client


def session_form(**overrides) -> dict:
    data = {
        "title_de": "Neuer Programmpunkt",
        "title_en": "",
        "slug": "neuer-programmpunkt",
        "kind": Session.Kind.TALK,
        "abstract_de": "",
        "abstract_en": "",
        "start": "2016-09-22T10:30",
        "end": "2016-09-22T11:30",
        "time_confirmed": "on",
        "location_de": "Saal",
        "location_en": "Hall",
        "session_speakers-TOTAL_FORMS": "0",
        "session_speakers-INITIAL_FORMS": "0",
        "session_speakers-MIN_NUM_FORMS": "0",
        "session_speakers-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_session_list_is_in_time_order(organiser_client):
    SessionFactory(title_de="Später", start=at(15), end=at(16))
    SessionFactory(title_de="Früher", start=at(9), end=at(10))

    html = organiser_client.get("/admin/programme/session/").content.decode()

    assert html.index("Früher") < html.index("Später")


def test_session_form_has_speaker_inline_with_autocomplete(organiser_client):
    html = organiser_client.get("/admin/programme/session/add/").content.decode()

    assert "session_speakers-TOTAL_FORMS" in html
    assert "admin-autocomplete" in html
    assert "/admin/autocomplete/" in html


def test_admin_refuses_overlapping_session_with_clear_message(organiser_client):
    SessionFactory(title_de="Grußworte", location_de="Saal", start=at(10), end=at(11))

    response = organiser_client.post("/admin/programme/session/add/", session_form())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Im Ort „Saal“ findet zu dieser Zeit schon „Grußworte“ statt" in html
    assert Session.objects.count() == 1


def test_admin_refuses_session_ending_before_start(organiser_client):
    response = organiser_client.post(
        "/admin/programme/session/add/", session_form(end="2016-09-22T10:00")
    )

    assert response.status_code == 200
    assert "muss nach seinem Beginn enden" in response.content.decode()


def test_admin_saves_session_with_speakers_in_order(organiser_client):
    first, second = SpeakerFactory(), SpeakerFactory()

    response = organiser_client.post(
        "/admin/programme/session/add/",
        session_form(
            **{
                "session_speakers-TOTAL_FORMS": "2",
                "session_speakers-0-speaker": str(second.pk),
                "session_speakers-0-role": SessionSpeaker.Role.MODERATOR,
                "session_speakers-0-order": "1",
                "session_speakers-1-speaker": str(first.pk),
                "session_speakers-1-role": SessionSpeaker.Role.PANELLIST,
                "session_speakers-1-order": "2",
            }
        ),
    )

    assert response.status_code == 302
    session = Session.objects.get(slug="neuer-programmpunkt")
    assert (session.start, session.end) == (at(10, 30), at(11, 30))
    assert [link.speaker for link in session.session_speakers.all()] == [second, first]


def test_speaker_admin_search_and_photo_filter(organiser_client):
    SpeakerFactory(name="Henning Schulz", organisation_de="Stadt Gütersloh")
    SpeakerFactory(name="Petra Rothkranz", organisation_de="Stadt Düren")

    found = organiser_client.get("/admin/programme/speaker/?q=Gütersloh").content.decode()
    without_photo = organiser_client.get("/admin/programme/speaker/?photo=no").content.decode()
    with_photo = organiser_client.get("/admin/programme/speaker/?photo=yes").content.decode()

    assert "Henning Schulz" in found and "Petra Rothkranz" not in found
    assert "Henning Schulz" in without_photo
    assert "Henning Schulz" not in with_photo


def test_speaker_admin_lists_their_sessions_and_placeholder(organiser_client):
    link = SessionSpeakerFactory(session__title_de="Podium", speaker__name="Olaf Neumann")

    html = organiser_client.get(
        f"/admin/programme/speaker/{link.speaker.pk}/change/"
    ).content.decode()

    assert "Podium" in html
    assert "Kein Foto. Öffentlich werden die Initialen gezeigt." in html
    assert 'enctype="multipart/form-data"' in html


def test_speaker_autocomplete_finds_speakers_for_the_inline(organiser_client):
    SpeakerFactory(name="Matthias Neutzner")

    response = organiser_client.get(
        "/admin/autocomplete/",
        {
            "term": "Neutz",
            "app_label": "programme",
            "model_name": "sessionspeaker",
            "field_name": "speaker",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Matthias Neutzner"]


def test_session_times_are_single_labelled_native_inputs_in_berlin_time(organiser_client):
    session = SessionFactory(start=at(10), end=at(11, 30))

    html = organiser_client.get(f"/admin/programme/session/{session.pk}/change/").content.decode()

    assert '<label class="required" for="id_start">Beginn:</label>' in html
    assert 'type="datetime-local" name="start" value="2016-09-22T10:00"' in html
    assert 'name="end" value="2016-09-22T11:30"' in html
