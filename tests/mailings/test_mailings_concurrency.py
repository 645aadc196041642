"""Two organisers sending a mailing to its newcomers at the same moment, on PostgreSQL
with real parallel connections: every newcomer gets it exactly once."""

import pytest

from mailings import services
from mailings.models import MailingRecipient
from outbox.models import OutgoingEmail
from tests.conftest import requires_postgresql
from tests.mailings.test_mailings import new_mailing
from tests.registration.test_concurrency import run_together, seeded_event  # noqa: F401
from tests.registration.test_dashboard import bulk_registrations

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_organisers_sending_to_newcomers_at_once_send_each_one_message(seeded_event):  # noqa: F811
    bulk_registrations(seeded_event, 20)
    mailing = new_mailing(seeded_event)
    assert services.send(mailing=mailing, user=None) == 20
    bulk_registrations(seeded_event, 30)
    newcomers = set(services.newcomers(mailing).values_list("email", flat=True))
    assert len(newcomers) == 30

    results = run_together(*[lambda: services.send_to_newcomers(mailing=mailing, user=None)] * 4)

    sent = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, services.MailingError)]
    assert (sent, len(refused)) == ([30], 3)
    assert MailingRecipient.objects.filter(mailing=mailing).count() == 50
    sent_to_newcomers = list(
        OutgoingEmail.objects.filter(recipient__in=newcomers).values_list("recipient", flat=True)
    )
    assert sorted(sent_to_newcomers) == sorted(newcomers)
