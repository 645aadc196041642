"""Organisers see every message in the admin, filter failures, resend and cancel."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from outbox import deliver_outbox
from outbox.models import OutgoingEmail
from tests.outbox.conftest import queue_test_email
from tests.programme.factories import SpeakerFactory

CHANGELIST = "admin:mail_outgoingemail_changelist"


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_user(
        "orga", "orga@example.org", "a-long-password-1", is_staff=True, is_superuser=True
    )


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def make_failed(email, error="550 5.1.1 Mailbox does not exist"):
    OutgoingEmail.objects.filter(pk=email.pk).update(status="failed", attempts=1, last_error=error)


@pytest.mark.django_db
def test_list_shows_recipient_subject_status_error_and_speaker(event, organiser_client):
    speaker = SpeakerFactory(name="Dr. Beispiel")
    failed = queue_test_email(to="kaputt@example.org", about=speaker)
    make_failed(failed)

    response = organiser_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    page = response.content.decode()
    assert "kaputt@example.org" in page
    assert failed.subject in page
    assert "fehlgeschlagen" in page
    assert "550 5.1.1 Mailbox does not exist" in page
    assert "Dr. Beispiel" in page


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_number_of_messages(
    event, organiser_client, django_assert_max_num_queries
):
    for number in range(30):
        queue_test_email(to=f"guest{number}@example.org", about=SpeakerFactory())

    # 12, and 3 for the staff session's idle expiry written on the first request.
    with django_assert_max_num_queries(15):
        response = organiser_client.get(reverse(CHANGELIST))
    assert response.status_code == 200


@pytest.mark.django_db
def test_failures_can_be_filtered(event, organiser_client):
    make_failed(queue_test_email(to="kaputt@example.org"))
    queue_test_email(to="gut@example.org")

    response = organiser_client.get(reverse(CHANGELIST), {"status__exact": "failed"})

    page = response.content.decode()
    assert "kaputt@example.org" in page
    assert "gut@example.org" not in page


@pytest.mark.django_db
def test_search_by_recipient(event, organiser_client):
    queue_test_email(to="anna@example.org")
    queue_test_email(to="ben@example.org")

    response = organiser_client.get(reverse(CHANGELIST), {"q": "anna"})

    page = response.content.decode()
    assert "anna@example.org" in page
    assert "ben@example.org" not in page


@pytest.mark.django_db
def test_resend_queues_a_fresh_copy_and_skips_messages_being_sent(event, organiser_client):
    failed = queue_test_email(to="kaputt@example.org")
    make_failed(failed)
    in_flight = queue_test_email(to="unterwegs@example.org")
    OutgoingEmail.objects.filter(pk=in_flight.pk).update(
        status="sending", lease_expires_at=timezone.now()
    )

    response = organiser_client.post(
        reverse(CHANGELIST),
        {"action": "resend", "_selected_action": [failed.pk, in_flight.pk]},
        follow=True,
    )

    assert response.status_code == 200
    copy = OutgoingEmail.objects.get(resent_from=failed)
    assert copy.status == "queued"
    assert copy.message_id != failed.message_id
    assert copy.body_text == failed.body_text
    assert not OutgoingEmail.objects.filter(resent_from=in_flight).exists()
    page = response.content.decode()
    assert "1 E-Mail wird erneut gesendet." in page
    assert "1 E-Mail wird gerade gesendet" in page
    failed.refresh_from_db()
    assert failed.status == "failed"  # the record of what happened stays as it was


@pytest.mark.django_db
def test_resent_copy_is_delivered(event, organiser_client):
    from django.core import mail

    sent = queue_test_email()
    deliver_outbox()
    organiser_client.post(reverse(CHANGELIST), {"action": "resend", "_selected_action": [sent.pk]})
    deliver_outbox()

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == sent.subject


@pytest.mark.django_db
def test_cancel_stops_queued_messages_but_not_sent_ones(event, organiser_client):
    queued = queue_test_email(to="wartet@example.org")
    sent = queue_test_email(to="gesendet@example.org")
    OutgoingEmail.objects.filter(pk=sent.pk).update(status="sent", sent_at=timezone.now())

    organiser_client.post(
        reverse(CHANGELIST), {"action": "cancel", "_selected_action": [queued.pk, sent.pk]}
    )

    queued.refresh_from_db()
    sent.refresh_from_db()
    assert queued.status == "cancelled"
    assert sent.status == "sent"
    assert deliver_outbox().processed == 0


@pytest.mark.django_db
def test_detail_shows_the_bodies_and_attempts_read_only(event, organiser_client):
    email = queue_test_email()
    deliver_outbox()

    response = organiser_client.get(reverse("admin:mail_outgoingemail_change", args=[email.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Guten Tag," in page
    assert "angenommen" in page  # the delivery attempt
    assert 'name="body_text"' not in page  # no form field: nothing to edit


@pytest.mark.django_db
def test_people_without_staff_status_see_no_messages(event, client):
    queue_test_email(to="geheim@example.org")
    user = get_user_model().objects.create_user("gast", "gast@example.org", "pw-long-enough-1")
    client.force_login(user)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert "geheim@example.org" not in response.content.decode()
