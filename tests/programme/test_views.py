import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programme.models import Session, SessionSpeaker
from tests.html import executable_scripts
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory, at

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_timetable_lists_sessions_in_time_order_with_time_elements(client, event):
    SessionFactory(title_de="Am Nachmittag", start=at(14), end=at(15))
    SessionFactory(title_de="Am Morgen", start=at(9), end=at(9, 30))

    html = page(client, "/programm/")

    assert html.index("Am Morgen") < html.index("Am Nachmittag")
    assert '<time datetime="2016-09-22T09:00:00+02:00">09:00</time>' in html
    assert '<time datetime="2016-09-22T15:00:00+01:00">' not in html  # summer time: +02:00
    assert '<time datetime="2016-09-22T15:00:00+02:00">15:00</time>' in html


def test_timetable_links_speakers_and_shows_kind_and_location(client, event):
    link = SessionSpeakerFactory(
        session__title_de="Grußworte",
        session__kind=Session.Kind.GREETING,
        session__location_de="Saal",
        speaker__name="Kay Ruge",
        speaker__academic_title="Dr.",
        speaker__slug="kay-ruge",
    )

    html = page(client, "/programm/")

    assert '<a href="/referierende/kay-ruge/">Dr. Kay Ruge</a>' in html
    assert f'href="/programm/{link.session.slug}/"' in html
    assert "Grußwort" in html
    assert "<td>Saal</td>" in html


def test_break_is_shown_as_break_without_link(client, event):
    SessionFactory(title_de="Mittagspause", kind=Session.Kind.BREAK, slug="mittagspause")

    html = page(client, "/programm/")

    assert 'class="timetable-row is-break"' in html
    assert '<span class="session-title">Mittagspause</span>' in html
    assert 'href="/programm/mittagspause/"' not in html


def test_provisional_times_are_marked(client, event):
    SessionFactory(time_confirmed=False)

    html = page(client, "/programm/")

    assert "vorläufig" in html
    assert "stehen noch nicht fest" in html


def test_confirmed_times_carry_no_warning(client, event):
    SessionFactory(time_confirmed=True)

    assert "vorläufig" not in page(client, "/programm/")


def test_programme_links_calendar_and_schedule_exports(client, event):
    session = SessionFactory()

    html = page(client, "/programm/")

    assert "In den Kalender" in html
    assert 'href="/programm.ics"' in html
    assert f'href="/programm/{session.slug}.ics"' in html
    assert 'href="/schedule.xml"' in html
    assert 'href="/schedule.json"' in html


def test_english_programme_is_english(client, event):
    SessionFactory(title_de="Grußworte", title_en="Greetings", slug="grussworte")

    html = page(client, "/en/programm/")

    assert '<html lang="en">' in html
    assert "Greetings" in html
    assert 'href="/en/programm/grussworte/"' in html
    assert "Schedule on 22.09.2016" in html
    assert "Thursday, 22 September 2016" in html


def test_session_page_shows_abstract_speakers_and_venue(client, event):
    link = SessionSpeakerFactory(
        session__abstract_de="Was die **Modellkommunen** erreicht haben.",
        role=SessionSpeaker.Role.MODERATOR,
        speaker__name="Petra Rothkranz",
    )

    html = page(client, link.session.get_absolute_url())

    assert f"<h1>{link.session.title}</h1>" in html
    assert "<strong>Modellkommunen</strong>" in html
    assert "Petra Rothkranz" in html
    assert "Moderation" in html
    assert "Reichstagufer 14" in html


def test_speakers_page_lists_roles_and_sessions(client, event):
    link = SessionSpeakerFactory(
        speaker__name="Henning Schulz",
        speaker__position_de="Bürgermeister",
        speaker__organisation_de="Stadt Gütersloh",
        role=SessionSpeaker.Role.PANELLIST,
    )

    html = page(client, "/referierende/")

    assert "Henning Schulz" in html
    assert "Bürgermeister, Stadt Gütersloh" in html
    assert "Podiumsgast:" in html
    assert f'href="{link.session.get_absolute_url()}"' in html


def test_speaker_without_photo_gets_initials_placeholder(client, event):
    speaker = SpeakerFactory(name="Franz-Reinhard Habbel")

    html = page(client, speaker.get_absolute_url())

    assert '<span class="speaker-initials speaker-initials-large" aria-hidden="true">FH</span>' in (
        html
    )
    assert "<picture" not in html


def test_speaker_page_lists_their_sessions_in_time_order(client, event):
    speaker = SpeakerFactory()
    SessionSpeakerFactory(speaker=speaker, session__title_de="Später", session__start=at(15),
                          session__end=at(16))  # fmt: skip
    SessionSpeakerFactory(speaker=speaker, session__title_de="Früher", session__start=at(9),
                          session__end=at(10))  # fmt: skip

    html = page(client, speaker.get_absolute_url())

    assert html.index("Früher") < html.index("Später")


def test_unknown_session_and_speaker_are_404(client, event):
    assert client.get("/programm/gibt-es-nicht/").status_code == 404
    assert client.get("/referierende/gibt-es-nicht/").status_code == 404
    assert client.get("/programm/gibt-es-nicht.ics").status_code == 404


def test_header_navigation_links_programme_and_speakers(client, event):
    html = page(client, "/programm/")

    assert '<a href="/programm/" aria-current="page">Programm</a>' in html
    assert '<a href="/referierende/">Referierende</a>' in html


def test_programme_pages_have_no_inline_styles_or_scripts(client, event):
    link = SessionSpeakerFactory()
    for url in [
        "/programm/", link.session.get_absolute_url(), "/referierende/",
        link.speaker.get_absolute_url(),
    ]:  # fmt: skip
        html = page(client, url)
        assert "style=" not in html
        assert executable_scripts(html) == []


# --- Query counts: a page's queries must not grow with its rows. ------------------


def _programme(sessions: int, speakers_per_session: int) -> None:
    for index in range(sessions):
        session = SessionFactory(start=at(8) + index * (at(8, 10) - at(8)))
        for order in range(speakers_per_session):
            SessionSpeakerFactory(session=session, order=order)


@pytest.fixture
def uncached(settings):
    """The rendering's own queries; tests/eventsite/test_pagecache.py pins the cached path."""
    settings.PAGE_CACHE_SECONDS = 0


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/programm/", "/referierende/", "/schedule.json", "/schedule.xml",
                                 "/programm.ics", "/en/programm/"])  # fmt: skip
def test_list_query_count_does_not_grow_with_rows(client, event, url, uncached):
    _programme(sessions=2, speakers_per_session=1)
    few = count_queries(client, url)

    _programme(sessions=30, speakers_per_session=4)
    many = count_queries(client, url)

    assert many == few
    assert few <= 4


def test_detail_query_counts_do_not_grow_with_rows(client, event, uncached):
    session = SessionFactory()
    speaker = SpeakerFactory()
    SessionSpeakerFactory(session=session, speaker=speaker)
    few = [count_queries(client, session.get_absolute_url()),
           count_queries(client, speaker.get_absolute_url())]  # fmt: skip

    for _ in range(20):
        SessionSpeakerFactory(session=session)
        SessionSpeakerFactory(speaker=speaker)
    many = [count_queries(client, session.get_absolute_url()),
            count_queries(client, speaker.get_absolute_url())]  # fmt: skip

    assert many == few
    # Session, its people, the session's released slides (speakers app) and its published
    # documentation (documentation app).
    assert max(few) <= 5


def test_timetable_row_count_matches_sessions(client, event):
    _programme(sessions=5, speakers_per_session=2)

    html = page(client, "/programm/")

    assert len(re.findall(r'<tr class="timetable-row', html)) == 5


def test_speakers_are_listed_by_surname_with_unnamed_places_last(client, event):
    for name in ["N. N.", "Petra Rothkranz", "Klaus Vitt", "Franz-Reinhard Habbel"]:
        SpeakerFactory(name=name)

    html = page(client, "/referierende/")

    positions = [html.index(f">{name}</a>") for name in
                 ["Franz-Reinhard Habbel", "Petra Rothkranz", "Klaus Vitt", "N. N."]]  # fmt: skip
    assert positions == sorted(positions)
