"""Real parallel connections on PostgreSQL: each thread has its own database connection,
and the tests commit (transaction=True), so row locks do what they do in production."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from registration import services
from registration.models import Registration
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Registration.Status


def run_together(*calls):
    """Start every call at the same moment, each on its own thread and connection.
    Returns results (or the exception raised) in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def assert_invariants(event):
    event.refresh_from_db()
    registrations = Registration.objects.filter(event=event)
    taken = (
        registrations.filter(status=Status.CONFIRMED).count() + registrations.live_holds().count()
    )
    assert taken <= event.capacity
    waiting = list(registrations.waiting_list())
    if waiting:
        # Nobody waits while a seat is free.
        assert taken >= event.capacity
    positions = [r.waiting_position() for r in waiting]
    assert positions == list(range(1, len(waiting) + 1))


@pytest.fixture
def seeded_event(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    return event


def submit(event, email):
    return lambda: services.submit_registration(
        event=event, data={**VALID, "email": email}, language="de"
    )


def test_fifty_simultaneous_submissions_for_ten_seats(seeded_event, queued):
    event = seeded_event
    services.set_capacity(event=event, capacity=10)

    outcomes = run_together(*(submit(event, f"p{i}@example.org") for i in range(50)))

    assert not [o for o in outcomes if isinstance(o, Exception)]
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=Status.HELD).count() == 10
    assert registrations.filter(status=Status.UNCONFIRMED).count() == 40
    assert_invariants(event)

    # Everybody follows their link at the same moment.
    tokens = [r.confirm_token() for r in registrations]
    results = run_together(*(lambda t=t: services.confirm_email(token=t) for t in tokens))

    assert not [r for r in results if isinstance(r, Exception)]
    assert registrations.filter(status=Status.CONFIRMED).count() == 10
    assert registrations.filter(status=Status.WAITING).count() == 40
    assert_invariants(event)
    assert sum(1 for m in queued if m["template"] == "registration/confirmed") == 10
    assert sum(1 for m in queued if m["template"] == "registration/waitlisted") == 40


def confirmed(event, email):
    registration = submit(event, email)().registration
    return services.confirm_email(token=registration.confirm_token())


def test_cancellation_racing_a_promotion(seeded_event):
    event = seeded_event
    services.set_capacity(event=event, capacity=2)
    seats = [confirmed(event, f"s{i}@example.org") for i in range(2)]
    waiting = [confirmed(event, f"w{i}@example.org") for i in range(4)]
    assert all(w.status == Status.WAITING for w in waiting)

    run_together(
        lambda: services.cancel(registration=seats[0]),
        lambda: services.set_capacity(event=event, capacity=3),
        lambda: services.promote_waiting_list(event=event),
        lambda: services.expire_holds(),
    )

    statuses = [Registration.objects.get(pk=w.pk).status for w in waiting]
    # One seat freed, one seat added: the first two on the list, in order.
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.WAITING]
    assert_invariants(event)


def test_two_cancellations_at_once(seeded_event, queued):
    event = seeded_event
    services.set_capacity(event=event, capacity=2)
    first, second = confirmed(event, "a@example.org"), confirmed(event, "b@example.org")
    waiting = [confirmed(event, f"w{i}@example.org") for i in range(3)]

    # The same registration cancelled twice at once (double click), and another one.
    run_together(
        lambda: services.cancel(registration=first),
        lambda: services.cancel(registration=first),
        lambda: services.cancel(registration=second),
    )

    assert sum(1 for m in queued if m["template"] == "registration/cancelled") == 2
    statuses = [Registration.objects.get(pk=w.pk).status for w in waiting]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    assert sum(1 for m in queued if m["template"] == "registration/moved_up") == 2
    assert_invariants(event)


def test_hold_expiring_while_its_link_is_followed(seeded_event, queued):
    event = seeded_event
    services.set_capacity(event=event, capacity=1)
    held = submit(event, "held@example.org")().registration
    waiting = submit(event, "wait@example.org")().registration
    Registration.objects.filter(pk=held.pk).update(
        hold_expires_at=timezone.now() - datetime.timedelta(milliseconds=1)
    )
    # The waiting person confirms, the job runs and the late link is followed, all at once.
    results = run_together(
        lambda: services.confirm_email(token=held.confirm_token()),
        lambda: services.expire_holds(),
        lambda: services.confirm_email(token=waiting.confirm_token()),
    )

    assert isinstance(results[0], services.LinkExpired)
    held.refresh_from_db()
    assert held.status == Status.EXPIRED
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    assert sum(1 for m in queued if m["template"] == "registration/hold_expired") == 1
    assert_invariants(event)


def test_many_operations_at_once_keep_invariants(seeded_event):
    event = seeded_event
    services.set_capacity(event=event, capacity=5)
    people = [confirmed(event, f"p{i}@example.org") for i in range(12)]
    calls = [lambda r=r: services.cancel(registration=r) for r in people[::3]]
    calls += [submit(event, f"new{i}@example.org") for i in range(10)]
    calls += [lambda: services.set_capacity(event=event, capacity=7)]
    calls += [lambda: services.expire_holds()]

    results = run_together(*calls)

    assert not [r for r in results if isinstance(r, Exception)]
    assert_invariants(event)
