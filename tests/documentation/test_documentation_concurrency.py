"""On PostgreSQL with real parallel connections: two organisers publishing the same drafts
with an email at the same moment publish them once and tell each guest once."""

import pytest

from documentation import services
from documentation.models import Document, Publication
from outbox.models import OutgoingEmail
from registration import services as registration_services
from tests.conftest import requires_postgresql
from tests.registration.conftest import VALID
from tests.registration.test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_organisers_publishing_at_once_tell_each_guest_once(transactional_db):
    from programme.seed import load_event

    event, _created = load_event()
    guests = 25
    for number in range(guests):
        registration = registration_services.submit_registration(
            event=event, data={**VALID, "email": f"guest{number}@example.org"}, language="de"
        ).registration
        registration_services.confirm_email(token=registration.confirm_token())
    for title in ("Projektbericht", "Leitfaden"):
        Document.objects.create(
            event=event, kind="report", title_de=title, url="https://www.example.org/" + title
        )

    def publish():
        return services.publish(documents=Document.objects.all(), notify=True).notified

    results = run_together(publish, publish)

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == guests
    assert Publication.objects.count() == 1
    sent = OutgoingEmail.objects.filter(template="documentation/published")
    assert sent.count() == guests
    assert sent.values("recipient").distinct().count() == guests
