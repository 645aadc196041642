"""Reminders go out once per person with two workers running the job at the same moment
on PostgreSQL (each thread its own connection; the tests commit)."""

import datetime

import pytest
from django.utils import timezone

from outbox.models import OutgoingEmail
from registration import reminders, services
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_send_each_reminder_exactly_once(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    event.date = timezone.localdate() + datetime.timedelta(days=2)
    event.save()
    guests = 40
    for number in range(guests):
        registration = services.submit_registration(
            event=event, data={**VALID, "email": f"guest{number}@example.org"}, language="de"
        ).registration
        services.confirm_email(token=registration.confirm_token())

    results = run_together(reminders.send_reminders, reminders.send_reminders)

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == guests
    sent = OutgoingEmail.objects.filter(template="registration/reminder")
    assert sent.count() == guests
    assert sent.values("recipient").distinct().count() == guests
