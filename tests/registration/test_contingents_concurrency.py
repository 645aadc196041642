"""Contingents under real parallel connections on PostgreSQL (see test_concurrency.py)."""

import pytest
from django.utils import timezone

from registration import pools, services
from registration.models import Contingent, InvitationCode, Registration
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Registration.Status


@pytest.fixture
def seeded_event(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    event.capacity = 20
    event.save()
    return event


def submit(event, email, code=""):
    def call():
        registration = services.submit_registration(
            event=event, data={**VALID, "email": email, "invitation_code": code}, language="de"
        ).registration
        return services.confirm_email(token=registration.confirm_token())

    return call


def assert_no_pool_overdrawn(event):
    event.refresh_from_db()
    now = timezone.now()
    taken = Registration.objects.filter(event=event).filter(pools.taken_filter(now)).count()
    assert taken <= event.capacity
    for use in pools.pool_uses(event, now).values():
        if use.contingent is not None:
            assert use.taken <= max(use.seats, 0) or use.contingent.is_released
        else:
            assert use.taken <= use.seats


def test_a_code_used_at_once_by_more_people_than_it_allows(seeded_event, queued):
    ministry = Contingent.objects.create(event=seeded_event, name="BMI", seats=5)
    code = InvitationCode.objects.create(contingent=ministry, max_uses=3)

    results = run_together(
        *(submit(seeded_event, f"bmi{n}@example.org", code.code) for n in range(10))
    )

    accepted = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, services.InvitationCodeUsedUp)]
    assert len(accepted) == 3 and len(refused) == 7
    assert all(r.status == Status.CONFIRMED and r.contingent_id == ministry.pk for r in accepted)
    assert code.registrations.count() == 3
    assert_no_pool_overdrawn(seeded_event)


def test_public_rush_never_takes_a_reserved_seat(seeded_event, queued):
    ministry = Contingent.objects.create(event=seeded_event, name="BMI", seats=8)
    code = InvitationCode.objects.create(contingent=ministry, max_uses=8)

    calls = [submit(seeded_event, f"public{n}@example.org") for n in range(25)]
    calls += [submit(seeded_event, f"bmi{n}@example.org", code.code) for n in range(8)]
    results = run_together(*calls)

    assert not [r for r in results if isinstance(r, Exception)]
    by_pool = {
        key: [r for r in results if r.contingent_id == key and r.status == Status.CONFIRMED]
        for key in (None, ministry.pk)
    }
    assert len(by_pool[ministry.pk]) == 8
    assert len(by_pool[None]) == 12
    assert Registration.objects.filter(status=Status.WAITING).count() == 13
    assert_no_pool_overdrawn(seeded_event)


def test_contingent_released_while_people_register(seeded_event, queued):
    ministry = Contingent.objects.create(event=seeded_event, name="BMI", seats=10)
    calls = [submit(seeded_event, f"public{n}@example.org") for n in range(20)]
    calls.append(lambda: services.release_contingent(contingent=ministry))

    run_together(*calls)

    confirmed = Registration.objects.filter(status=Status.CONFIRMED).count()
    waiting = list(Registration.objects.filter(status=Status.WAITING).order_by("waitlisted_at"))
    assert confirmed == 20  # every seat went to somebody once the contingent was released
    assert waiting == []
    assert_no_pool_overdrawn(seeded_event)
