"""On PostgreSQL with real parallel connections: two organisers inviting at once ask each
guest once, and the same link submitted twice at once stores one answer."""

import pytest
from django.contrib.auth import get_user_model

from feedback import services
from feedback.models import FeedbackAnswer
from outbox.models import OutgoingEmail
from registration import checkin
from registration import services as registration_services
from tests.conftest import requires_postgresql
from tests.feedback.test_feedback import token_of
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def checked_in_guests(count):
    from programme.seed import load_event

    event, _created = load_event()  # the seeded event of 2016 is over
    door = get_user_model().objects.create_user("door", password="a-long-password-1")
    for number in range(count):
        registration = registration_services.submit_registration(
            event=event, data={**VALID, "email": f"guest{number}@example.org"}, language="de"
        ).registration
        registration_services.confirm_email(token=registration.confirm_token())
        checkin.check_in(event=event, registration_id=registration.pk, by=door)
    return event


def test_two_organisers_inviting_at_once_ask_each_guest_once(transactional_db):
    guests = 30
    event = checked_in_guests(guests)

    results = run_together(
        lambda: services.invite(event=event), lambda: services.invite(event=event)
    )

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == guests
    sent = OutgoingEmail.objects.filter(template="feedback/invitation")
    assert sent.count() == guests
    assert sent.values("recipient").distinct().count() == guests


def test_one_link_submitted_twice_at_once_stores_one_answer(transactional_db):
    event = checked_in_guests(1)
    services.invite(event=event)
    token = token_of(OutgoingEmail.objects.get(template="feedback/invitation"))

    def answer():
        services.submit(token=token, ratings={"overall": 5}, comment="")
        return "stored"

    results = run_together(answer, answer)

    assert sorted(map(type, results), key=str) == sorted([str, services.AlreadyAnswered], key=str)
    assert FeedbackAnswer.objects.count() == 1
