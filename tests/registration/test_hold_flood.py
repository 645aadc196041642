"""A flood of sign-ups from one client, in parallel on PostgreSQL, leaves seats for everyone
else: the cap on held seats per client is counted under the same lock as the seats."""

import pytest

from registration import services
from registration.models import Registration
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Registration.Status


@pytest.fixture
def seeded_event(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    return event


def sign_up(event, email, ip):
    def call():
        return services.submit_registration(
            event=event, data={**VALID, "email": email}, language="de", ip=ip
        ).registration

    return call


def test_flood_from_one_client_leaves_seats_for_others(seeded_event, settings):
    settings.REGISTRATION_HOLDS_PER_CLIENT = 3
    services.set_capacity(event=seeded_event, capacity=10)
    flood = [sign_up(seeded_event, f"flood{n}@example.org", "203.0.113.66") for n in range(16)]
    others = [sign_up(seeded_event, f"guest{n}@example.org", f"198.51.100.{n}") for n in range(7)]

    results = run_together(*flood, *others)

    assert not [r for r in results if isinstance(r, Exception)]
    flood_results, other_results = results[:16], results[16:]
    assert sum(r.status == Status.HELD for r in flood_results) == 3
    assert [r.status for r in other_results] == [Status.HELD] * 7
    assert services.seat_status(seeded_event).held == 10
