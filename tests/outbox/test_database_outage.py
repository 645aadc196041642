"""The database goes away while a worker is sending: a message the SMTP server accepted is
recorded as sent once the database is back, not sent a second time after its lease."""

import pytest
from django.db import OperationalError

from outbox import delivery
from outbox.delivery import deliver_batch
from outbox.models import DeliveryAttempt, OutgoingEmail
from tests.outbox.conftest import queue_test_email


def _database_away_for(monkeypatch, calls: int):
    """The first `calls` attempts to record a delivery fail as with a stopped database."""
    original = delivery._record_sent
    failures = {"left": calls}

    def record_sent(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return original(*args, **kwargs)

    monkeypatch.setattr(delivery, "_record_sent", record_sent)
    monkeypatch.setattr(delivery, "RECORD_RETRY_PAUSE_SECONDS", 0.01)
    return failures


@pytest.mark.django_db(transaction=True)
def test_message_accepted_while_database_is_away_is_recorded_once_it_is_back(
    event, smtp_server, monkeypatch
):
    first = queue_test_email(to="anna@example.org")
    second = queue_test_email(to="ben@example.org")
    failures = _database_away_for(monkeypatch, calls=3)

    report = deliver_batch()

    assert failures["left"] == 0
    assert report.sent == 2
    arrived = [received["message"]["Message-ID"] for received in smtp_server.handler.messages]
    assert arrived == [first.message_id, second.message_id]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert DeliveryAttempt.objects.filter(outcome="sent").count() == 2


@pytest.mark.django_db(transaction=True)
def test_database_away_longer_than_the_lease_leaves_the_message_to_the_lease(
    event, smtp_server, monkeypatch, settings
):
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_LEASE_SECONDS = 4  # less than one more send: no time to retry
    email = queue_test_email(to="anna@example.org")
    _database_away_for(monkeypatch, calls=1)

    with pytest.raises(OperationalError):
        deliver_batch()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENDING
    assert len(smtp_server.handler.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_worker_asked_to_stop_does_not_wait_for_the_database(event, smtp_server, monkeypatch):
    queue_test_email(to="anna@example.org")
    failures = _database_away_for(monkeypatch, calls=1000)

    with pytest.raises(OperationalError):
        deliver_batch(should_stop=lambda: failures["left"] < 1000)

    assert failures["left"] == 999
