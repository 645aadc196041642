"""Query counts pinned with 10 and with 1,000 registrations: every public page (rendered
and from the page cache), the sign-up POST, the confirmation page and its POST, and the
admin guest list. The same number both times, and no more than the pinned bound."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programme.models import Event, Session, Speaker
from registration import services
from registration.models import Registration, hash_token

pytestmark = pytest.mark.django_db

Status = Registration.Status

FORM = {
    "salutation": "",
    "academic_title": "",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "organisation": "Stadt Musterstadt",
    "position": "",
    "category": "municipality",
    "model_municipality": "",
    "accessibility_needs": "",
    "privacy_consent": "on",
    "website": "",
}

# Upper bounds, measured; a change that adds queries must raise them knowingly.
RENDERED_PAGE_MAX = 10
CACHED_PAGE = 1
# The sign-up POST: 14 as a test counts them (inside the test's transaction its atomic
# blocks are savepoints), 9 statements outside a test (bench/request_cost.py): the event,
# its registration window and the privacy notice's version in one query; no look-up of
# the address before the insert (the unique constraint refuses a second active
# registration); the seats counted in one statement; the email reuses the event and is
# stored without a savepoint of its own.
SIGN_UP_POST_MAX = 14
CONFIRM_PAGE_MAX = 2
# The confirmation POST: 12, since the token is looked up once, the event is read once
# (under its lock) for the service, the emails and the page, and promotion reads the
# released contingents only when someone waits for a free seat.
CONFIRM_POST_MAX = 12
# The confirmation POST that puts the person on the waiting list: its place is counted
# once, for the email and the page.
WAITLIST_CONFIRM_POST_MAX = 14
GUEST_LIST_MAX = 20


def add_registrations(event, count: int, *, start: int = 0) -> None:
    """Confirmed registrations in bulk (the test is about the pages, not the sign-up)."""
    now = timezone.now()
    rows = []
    for number in range(start, start + count):
        registration = Registration(
            event=event,
            email=f"bulk{number}@example.org",
            first_name="Gast",
            last_name=f"Nummer {number}",
            organisation="Stadt Musterstadt",
            category="municipality",
            status=Status.CONFIRMED,
            email_confirmed_at=now,
            confirmed_at=now,
            privacy_consent_version="test",
            privacy_consented_at=now,
        )
        registration.manage_token_hash = hash_token(registration.manage_token())
        registration.confirm_token_hash = hash_token(registration.confirm_token())
        rows.append(registration)
    Registration.objects.bulk_create(rows, batch_size=500)


def queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = call()
    return len(context.captured_queries), result


@pytest.fixture
def site(event):
    from programme.seed_programme import load_programme

    load_programme()
    Event.objects.filter(pk=event.pk).update(capacity=5000)
    event.refresh_from_db()
    return event


def public_paths() -> list[str]:
    speaker = Speaker.objects.order_by("pk").first()
    session = Session.objects.order_by("pk").first()
    return [
        "/",
        "/en/",
        "/programm/",
        "/referierende/",
        speaker.get_absolute_url(),
        session.get_absolute_url(),
        "/anfahrt/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
        "/anmeldung/",
    ]


def measure_public_pages(client, settings) -> dict[str, tuple[int, int]]:
    """(rendered without the page cache, from the page cache) per path."""
    found = {}
    for path in public_paths():
        settings.PAGE_CACHE_SECONDS = 0
        client.get(path)  # the first visit ever may create the registration window
        rendered, response = queries(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        settings.PAGE_CACHE_SECONDS = 3600
        client.get(path)
        cached, response = queries(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        found[path] = (rendered, cached)
    return found


def test_public_pages_with_10_and_1000_registrations(site, settings):
    settings.PAGE_CACHE_SEATS_SECONDS = 3600  # the bulk insert must not outlast it
    client = Client()
    add_registrations(site, 10)
    few = measure_public_pages(client, settings)
    add_registrations(site, 990, start=10)
    many = measure_public_pages(client, settings)

    assert many == few
    for path, (rendered, cached) in few.items():
        assert rendered <= RENDERED_PAGE_MAX, (path, rendered)
        if path != "/anmeldung/":  # the sign-up form carries a CSRF token: never cached
            assert cached == CACHED_PAGE, (path, cached)


def sign_up_and_confirm(client, number: int) -> tuple[int, int, int]:
    post_count, response = queries(
        lambda: client.post(
            "/anmeldung/",
            {**FORM, "email": f"new{number}@example.org"},
            REMOTE_ADDR=f"192.0.2.{number}",
        )
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email=f"new{number}@example.org")
    url = f"/anmeldung/bestaetigen/{registration.confirm_token()}/"
    page_count, response = queries(lambda: client.get(url))
    assert response.status_code == 200
    confirm_count, response = queries(lambda: client.post(url))
    assert response.status_code == 200
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED
    return post_count, page_count, confirm_count


def test_sign_up_and_confirmation_with_10_and_1000_registrations(site):
    client = Client()
    add_registrations(site, 10)
    sign_up_and_confirm(client, 1)  # warm-up: first use creates the registration window
    few = sign_up_and_confirm(client, 2)
    add_registrations(site, 990, start=10)
    many = sign_up_and_confirm(client, 3)

    assert many == few
    post_count, page_count, confirm_count = few
    assert post_count <= SIGN_UP_POST_MAX
    assert page_count <= CONFIRM_PAGE_MAX
    assert confirm_count <= CONFIRM_POST_MAX


def test_confirmation_onto_the_waiting_list_counts_the_place_once(site):
    site.capacity = 10
    site.save()
    client = Client()
    add_registrations(site, 10)  # full
    sign_up_and_confirm_counts = []
    for number in (1, 2):
        client.post(
            "/anmeldung/",
            {**FORM, "email": f"late{number}@example.org"},
            REMOTE_ADDR=f"192.0.2.{number}",
        )
        registration = Registration.objects.get(email=f"late{number}@example.org")
        url = f"/anmeldung/bestaetigen/{registration.confirm_token()}/"
        with CaptureQueriesContext(connection) as context:
            response = client.post(url)
        sign_up_and_confirm_counts.append(len(context.captured_queries))
        place_counts = [
            query["sql"] for query in context.captured_queries if "waiting_place" in query["sql"]
        ]
        assert len(place_counts) == 1, place_counts
        assert response.status_code == 200
        assert f"Platz {number} der Warteliste" in response.content.decode()
        assert Registration.objects.get(pk=registration.pk).status == Status.WAITING

    assert sign_up_and_confirm_counts[0] == sign_up_and_confirm_counts[1]
    assert sign_up_and_confirm_counts[1] <= WAITLIST_CONFIRM_POST_MAX


def test_admin_guest_list_with_10_and_1000_registrations(site, admin_client):
    add_registrations(site, 10)
    url = "/admin/registration/registration/"
    admin_client.get(url)
    few, response = queries(lambda: admin_client.get(url))
    assert response.status_code == 200
    add_registrations(site, 990, start=10)
    many, response = queries(lambda: admin_client.get(url))
    assert response.status_code == 200

    assert many == few
    assert few <= GUEST_LIST_MAX


def test_the_seat_status_is_one_count_whatever_the_registrations(site):
    services.seat_status(site)  # the first call ever creates the registration window
    add_registrations(site, 1000)
    count, seats = queries(lambda: services.seat_status(site))
    assert seats.confirmed == 1000
    assert count <= 4
