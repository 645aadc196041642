"""Several door devices at once, on PostgreSQL with real parallel connections."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from registration import checkin, services
from registration.models import CheckIn, Registration
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Outcome = CheckIn.Outcome


@pytest.fixture
def setup(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    registration = services.submit_registration(
        event=event, data={**VALID, "email": "guest@example.org"}, language="de"
    ).registration
    guest = services.confirm_email(token=registration.confirm_token())
    devices = [User.objects.create_user(f"door{i}") for i in range(8)]
    return event, guest, devices


def test_eight_devices_tapping_one_guest_check_in_once(setup):
    event, guest, devices = setup

    results = run_together(
        *(
            lambda user=user: checkin.check_in(event=event, registration_id=guest.pk, by=user)
            for user in devices
        )
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == [Outcome.ALREADY_CHECKED_IN] * 7 + [Outcome.CHECKED_IN]
    [winner] = [r for r in results if r.outcome == Outcome.CHECKED_IN]
    guest.refresh_from_db()
    assert guest.checked_in_by == winner.registration.checked_in_by
    # Every loser names the winner's time and person.
    for result in results:
        assert result.registration.checked_in_at == guest.checked_in_at


def test_one_queued_check_in_sent_by_several_requests_at_once_counts_once(setup):
    event, guest, devices = setup
    client_id = uuid.uuid4()
    at = timezone.now() - datetime.timedelta(minutes=3)

    results = run_together(
        *(
            lambda: checkin.check_in(
                event=event, registration_id=guest.pk, by=devices[0], at=at, client_id=client_id
            )
            for _ in range(6)
        )
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.outcome for r in results} == {Outcome.CHECKED_IN}
    assert CheckIn.objects.count() == 1
    guest.refresh_from_db()
    assert guest.checked_in_at == at


def test_offline_devices_syncing_at_once_keep_the_earliest_time(setup):
    event, guest, devices = setup
    now = timezone.now()
    times = [now - datetime.timedelta(minutes=m) for m in (1, 7, 3, 5, 2, 6)]

    results = run_together(
        *(
            lambda user=user, at=at: checkin.check_in(
                event=event, registration_id=guest.pk, by=user, at=at, client_id=uuid.uuid4()
            )
            for user, at in zip(devices, times, strict=False)
        )
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    guest.refresh_from_db()
    assert guest.checked_in_at == min(times)
    assert guest.checked_in_by == devices[times.index(min(times))]
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def test_cancel_and_check_in_at_once_never_leave_a_cancelled_guest_checked_in(setup):
    event, guest, devices = setup

    run_together(
        lambda: checkin.check_in(event=event, registration_id=guest.pk, by=devices[0]),
        lambda: services.cancel(registration=guest),
    )

    guest.refresh_from_db()
    assert guest.status == Registration.Status.CANCELLED
    assert guest.checked_in_at is None


def test_walk_ins_at_two_doors_and_online_sign_ups_never_exceed_the_seats(setup):
    event, guest, devices = setup
    services.set_capacity(event=event, capacity=3)  # one taken by the guest

    def walk_in(i):
        return lambda: services.register_walk_in(
            event=event,
            data={**VALID, "email": f"walk{i}@example.org"},
            by=devices[i],
            language="de",
        )

    def online(i):
        return lambda: services.submit_registration(
            event=event, data={**VALID, "email": f"web{i}@example.org"}, language="de"
        )

    results = run_together(*(walk_in(i) for i in range(4)), *(online(i) for i in range(4)))

    walk_ins = [r for r in results[:4] if isinstance(r, Registration)]
    refused = [r for r in results[:4] if isinstance(r, services.NoSeatAtTheDoor)]
    assert len(walk_ins) + len(refused) == 4
    registrations = Registration.objects.filter(event=event)
    taken = registrations.filter(status="confirmed").count() + registrations.live_holds().count()
    assert taken == 3
