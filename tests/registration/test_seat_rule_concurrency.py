"""The short seat lock on PostgreSQL: parallel clients, each on its own connection.

A sign-up writes everything first and locks the event only to count (itself included); a
sign-up that gets no seat never locks. These tests hold that to the seat rule (never more
confirmed plus live holds than seats), to first come first served, and to the promise that
nobody who cannot get a seat waits for the lock."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from outbox.models import OutgoingEmail
from programme.models import Event
from registration import services
from registration.models import RateLimitCounter, Registration
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import assert_invariants, run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Registration.Status


@pytest.fixture
def seeded_event(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    return event


def submit(event, email):
    return lambda: services.submit_registration(
        event=event, data={**VALID, "email": email}, language="de"
    )


def timed(call):
    def run():
        started = time.monotonic()
        outcome = call()
        return started, time.monotonic(), outcome

    return run


def test_eighty_parallel_sign_ups_take_exactly_the_seats(seeded_event, queued):
    event = seeded_event
    services.set_capacity(event=event, capacity=15)

    outcomes = run_together(*(submit(event, f"p{i}@example.org") for i in range(80)))

    assert not [o for o in outcomes if isinstance(o, Exception)]
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=Status.HELD).count() == 15
    assert registrations.filter(status=Status.UNCONFIRMED).count() == 65
    assert_invariants(event)
    # One confirmation email each, also for those who lost the race for a seat.
    recipients = OutgoingEmail.objects.filter(template="registration/confirm_address")
    assert sorted(recipients.values_list("recipient", flat=True)) == sorted(
        f"p{i}@example.org" for i in range(80)
    )


def test_first_come_first_served_across_waves(seeded_event):
    """Whoever finished signing up before another started never gets the worse outcome."""
    event = seeded_event
    services.set_capacity(event=event, capacity=12)
    results = []
    for wave in range(4):
        results += run_together(
            *(timed(submit(event, f"w{wave}-{i}@example.org")) for i in range(8))
        )
    assert not [r for r in results if isinstance(r, Exception)]
    got_seat = {id(r): r[2].registration.status == Status.HELD for r in results}
    unfair = [
        (a, b)
        for a in results
        for b in results
        if a[1] < b[0] and not got_seat[id(a)] and got_seat[id(b)]
    ]
    assert unfair == []
    assert sum(got_seat.values()) == 12
    assert_invariants(event)


def test_sign_ups_racing_confirmations_and_cancellations_never_overbook(seeded_event):
    event = seeded_event
    services.set_capacity(event=event, capacity=10)
    first = [
        services.submit_registration(
            event=event, data={**VALID, "email": f"early{i}@example.org"}, language="de"
        ).registration
        for i in range(10)
    ]
    tokens = {r.pk: r.confirm_token() for r in first}
    calls = [submit(event, f"late{i}@example.org") for i in range(30)]
    calls += [lambda r=r: services.confirm_email(token=tokens[r.pk]) for r in first[:5]]
    calls += [lambda r=r: services.cancel(registration=r) for r in first[5:]]

    outcomes = run_together(*calls)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=Status.CONFIRMED).count() == 5
    # At most the five cancelled seats went to late sign-ups (fewer if they came first).
    assert registrations.filter(status=Status.HELD).count() <= 5
    assert registrations.filter(status=Status.UNCONFIRMED).count() >= 25
    assert_invariants(event)


def test_newcomers_never_pass_the_waiting_list(seeded_event):
    event = seeded_event
    services.set_capacity(event=event, capacity=1)
    holder = services.submit_registration(
        event=event, data={**VALID, "email": "holder@example.org"}, language="de"
    ).registration
    waiting = []
    for i in range(3):
        registration = services.submit_registration(
            event=event, data={**VALID, "email": f"wait{i}@example.org"}, language="de"
        ).registration
        services.confirm_email(token=registration.confirm_token())
        waiting.append(registration)

    calls = [submit(event, f"new{i}@example.org") for i in range(20)]
    calls.append(lambda: services.cancel(registration=holder))
    outcomes = run_together(*calls)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    # The freed seat went to the first on the waiting list, not to a newcomer.
    assert Registration.objects.get(pk=waiting[0].pk).status == Status.CONFIRMED
    assert not Registration.objects.filter(email__startswith="new", status=Status.HELD).exists()
    assert_invariants(event)


def test_a_sign_up_without_a_seat_does_not_wait_for_the_seat_lock(seeded_event):
    event = seeded_event
    services.set_capacity(event=event, capacity=1)
    services.submit_registration(
        event=event, data={**VALID, "email": "first@example.org"}, language="de"
    )
    lock_taken, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Event.objects.select_for_update(no_key=True).get(pk=event.pk)
                lock_taken.set()
                release.wait(10)
        finally:
            connection.close()

    def sign_up_for_the_full_event():
        try:
            started = time.monotonic()
            outcome = services.submit_registration(
                event=event, data={**VALID, "email": "second@example.org"}, language="de"
            )
            return outcome.kind, time.monotonic() - started
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(hold_the_lock)
        assert lock_taken.wait(10)
        kind, seconds = pool.submit(sign_up_for_the_full_event).result(timeout=8)
        release.set()
        holder.result()

    assert kind == services.SubmissionKind.UNCONFIRMED
    assert seconds < 5  # the lock was held for up to 10 s


def test_a_sign_up_for_a_free_seat_waits_for_the_seat_lock(seeded_event):
    event = seeded_event
    lock_taken, release = threading.Event(), threading.Event()
    finished = threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Event.objects.select_for_update(no_key=True).get(pk=event.pk)
                lock_taken.set()
                release.wait(10)
        finally:
            connection.close()

    def sign_up():
        try:
            outcome = services.submit_registration(
                event=event, data={**VALID, "email": "waits@example.org"}, language="de"
            )
            finished.set()
            return outcome.kind
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(hold_the_lock)
        assert lock_taken.wait(10)
        signing_up = pool.submit(sign_up)
        assert not finished.wait(1.5)  # still waiting for the lock
        release.set()
        assert signing_up.result(timeout=10) == services.SubmissionKind.HELD
        holder.result()


def test_rate_limit_counts_every_parallel_hit_exactly_once(seeded_event):
    def hit():
        try:
            services.check_rate_limit(email="same@example.org", ip="192.0.2.1")
        except services.RateLimited:
            return "limited"
        return "allowed"

    outcomes = run_together(*([hit] * 12))

    assert outcomes.count("allowed") == services.RATE_LIMIT_PER_EMAIL
    assert outcomes.count("limited") == 12 - services.RATE_LIMIT_PER_EMAIL
    counts = sorted(RateLimitCounter.objects.values_list("count", flat=True))
    assert counts == [12, 12]
