"""The participant list: consenting guests only, seen only by guests who were checked in
and by staff; consent can be withdrawn in self-service."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from registration import checkin, services


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("orga", password="a-long-password-1", is_staff=True)


def list_path(registration):
    return reverse("registration:participant_list", kwargs={"token": registration.manage_token()})


@pytest.mark.django_db
def test_only_checked_in_guests_see_the_consenting_guests(
    client, event, confirmed_registration, staff
):
    listed = confirmed_registration(
        "listed@example.org", participant_list_consent=True, last_name="Beispiel"
    )
    unlisted = confirmed_registration("unlisted@example.org", last_name="Verborgen")

    assert client.get(list_path(listed)).status_code == 403
    checkin.check_in(event=event, registration_id=unlisted.pk, by=staff)
    page = client.get(list_path(unlisted))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Erika Beispiel" in text and "Stadt Musterstadt" in text
    assert "Verborgen" not in text


@pytest.mark.django_db
def test_withdrawn_consent_takes_the_guest_off_the_list(
    client, event, confirmed_registration, staff
):
    guest = confirmed_registration("g@example.org", participant_list_consent=True)
    checkin.check_in(event=event, registration_id=guest.pk, by=staff)
    guest.refresh_from_db()
    assert "Erika Mustermann" in client.get(list_path(guest)).content.decode()
    data = {field: getattr(guest, field) for field in services.DETAIL_FIELDS}

    services.update_details(registration=guest, data={**data, "participant_list_consent": False})

    assert "Erika Mustermann" not in client.get(list_path(guest)).content.decode()


@pytest.mark.django_db
def test_staff_see_the_list_and_nobody_else_without_a_link(client, event, staff):
    url = reverse("registration:participant_list_staff")
    assert client.get(url).status_code == 302
    client.force_login(staff)
    assert client.get(url).status_code == 200
