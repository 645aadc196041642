"""Self-service and waiting-list texts that say what is true."""

import pytest

from registration import services
from registration.models import Registration
from tests.registration.test_readable_emails import parts


@pytest.mark.django_db
def test_english_self_service_heads_the_status_box_status(client, event, confirmed_registration):
    registration = confirmed_registration("a@example.org", language="en")

    page = client.get(f"/en/anmeldung/verwalten/{registration.manage_token()}/").content.decode()

    assert '<h2 id="status-title">Status</h2>' in page
    assert "Last updated" not in page


@pytest.mark.django_db
def test_waiting_person_is_not_asked_to_free_a_seat(client, event, confirmed_registration):
    services.set_capacity(event=event, capacity=0)
    waiting = confirmed_registration("w@example.org")
    assert waiting.status == Registration.Status.WAITING

    page = client.get(f"/anmeldung/verwalten/{waiting.manage_token()}/").content.decode()
    english = client.get(f"/en/anmeldung/verwalten/{waiting.manage_token()}/").content.decode()

    assert "geben Sie Ihren Platz frei" not in page
    assert "verlassen Sie bitte die Warteliste" in page
    assert "free your seat" not in english.lower() and "leave the waiting list" in english


@pytest.mark.django_db
def test_confirmed_person_is_asked_to_free_their_seat(client, event, confirmed_registration):
    registration = confirmed_registration("a@example.org")

    page = client.get(f"/anmeldung/verwalten/{registration.manage_token()}/").content.decode()

    assert "Bitte geben Sie Ihren Platz frei" in page


@pytest.mark.django_db
def test_waiting_list_email_states_the_order_the_list_really_runs_in(event, confirmed_registration):
    from django.core import mail

    from outbox import deliver_outbox

    services.set_capacity(event=event, capacity=0)
    first = confirmed_registration("first@example.org")
    second = confirmed_registration("second@example.org")
    deliver_outbox()
    text, html = parts(mail.outbox[-1])

    assert "Reihenfolge der Anmeldung" not in text + html
    assert "ihre E-Mail-Adresse bestätigt haben" in text
    # The rule the text states: the order of confirmation (waitlisted_at), not of sign-up.
    Registration.objects.filter(pk=first.pk).update(waitlisted_at=second.waitlisted_at)
    Registration.objects.filter(pk=second.pk).update(
        waitlisted_at=second.waitlisted_at.replace(year=2000)
    )
    assert list(Registration.objects.waiting_list()) == [second, first]
