"""Walk-ins: registered at the door under the online seat rule, checked in at once."""

import re

import pytest
from django.contrib.auth.models import User

from registration import services
from registration.models import CheckIn, Registration
from tests.registration.conftest import VALID, templates_of
from tests.registration.qr import decode_data_uri

Status = Registration.Status

FORM = {
    **VALID,
    "email": "walkin@example.org",
    "first_name": "Grete",
    "last_name": "Weiß",
    "privacy_consent": "on",
}


@pytest.fixture
def door(client, door_group):
    user = User.objects.create_user("anna", first_name="Anna", is_staff=True)
    user.groups.add(door_group)
    client.force_login(user)
    client.user = user
    return client


def test_walk_in_is_confirmed_checked_in_and_emailed(door, event, queued):
    response = door.post("/checkin/neu/", FORM)
    registration = Registration.objects.get(email="walkin@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/checkin/neu/{registration.pk}/"
    assert registration.status == Status.CONFIRMED
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == door.user
    assert templates_of(queued) == ["confirmed"]
    assert CheckIn.objects.get().registration == registration

    page = door.get(response["Location"]).content.decode()
    assert registration.entry_code_display in page
    assert "Grete Weiß" in page
    [src] = re.findall(r'<img class="entry-qr" src="([^"]+)"', page)
    assert decode_data_uri(src) == ("QRCode", registration.entry_code)


def test_walk_in_refused_when_no_seat_is_free(door, event, confirmed_registration, queued):
    services.set_capacity(event=event, capacity=1)
    confirmed_registration("first@example.org")
    response = door.post("/checkin/neu/", FORM)
    assert response.status_code == 400
    assert "Es ist kein Platz frei" in response.content.decode()
    assert not Registration.objects.filter(email="walkin@example.org").exists()


def test_live_hold_counts_against_the_walk_in(door, event, register, queued):
    services.set_capacity(event=event, capacity=1)
    register("holder@example.org")
    assert door.post("/checkin/neu/", FORM).status_code == 400


def test_walk_in_with_a_registered_address_is_sent_to_the_list(door, event, register):
    register("walkin@example.org")
    response = door.post("/checkin/neu/", FORM)
    assert response.status_code == 400
    assert "bereits eine Anmeldung" in response.content.decode()


def test_walk_in_needs_consent_and_the_details(door, event):
    response = door.post("/checkin/neu/", {**FORM, "privacy_consent": "", "last_name": ""})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Ohne Einverständnis" in content
    assert "error-summary" in content
    assert not Registration.objects.exists()


def test_walk_in_needs_the_door_permission(client, event, db):
    client.force_login(User.objects.create_user("bob", is_staff=True))
    assert client.post("/checkin/neu/", FORM).status_code == 403
    assert not Registration.objects.exists()
