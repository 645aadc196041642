import pytest

from registration.models import Registration, RegistrationSettings


@pytest.mark.django_db
def test_raising_capacity_in_admin_moves_waiting_list_up(
    admin_client, event, confirmed_registration
):
    from registration import services

    services.set_capacity(event=event, capacity=1)
    confirmed_registration("seat@example.org")
    waiting = confirmed_registration("wait@example.org")
    assert waiting.status == Registration.Status.WAITING

    response = admin_client.post(
        f"/admin/registration/registrationsettings/{event.pk}/change/",
        {
            "event": event.pk,
            "opens_at_0": "",
            "opens_at_1": "",
            "closes_at_0": "",
            "closes_at_1": "",
            "capacity": "2",
        },
    )

    assert response.status_code == 302, response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert RegistrationSettings.objects.get(event=event).is_open()
    event.refresh_from_db()
    assert event.capacity == 2


@pytest.mark.django_db
def test_window_set_in_admin(admin_client, event):
    response = admin_client.post(
        "/admin/registration/registrationsettings/add/",
        {
            "event": event.pk,
            "opens_at_0": "14.06.2016",
            "opens_at_1": "09:00",
            "closes_at_0": "15.09.2016",
            "closes_at_1": "23:59",
            "capacity": "200",
        },
    )
    assert response.status_code == 302, response.content.decode()
    window = RegistrationSettings.objects.get(event=event)
    assert window.closes_at.isoformat() == "2016-09-15T21:59:00+00:00"
    assert window.state() == "closed"


@pytest.mark.django_db
def test_guest_list_admin_pages_load(admin_client, event, confirmed_registration):
    registration = confirmed_registration("a@example.org")
    assert admin_client.get("/admin/registration/registration/").status_code == 200
    url = f"/admin/registration/registration/{registration.pk}/change/"
    assert admin_client.get(url).status_code == 200
