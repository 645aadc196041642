"""A database made before the outbox became an app of its own upgrades with `migrate` and
keeps its queued messages and what they were about."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("mail", "0002_claimed_by"), ("registration", "0002_registration_details_and_seats")]
AFTER = [("mail", "0003_generic_about")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    """The test winds the schema back; every later test needs it whole again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_queued_email_keeps_its_registration_through_the_upgrade(back_to_the_latest_schema):
    old = migrate(BEFORE)
    Event = old.get_model("programme", "Event")
    Registration = old.get_model("registration", "Registration")
    OldEmail = old.get_model("mail", "OutgoingEmail")
    event = Event.objects.create(
        title="Alt",
        short_title="Alt",
        date=datetime.date(2016, 9, 22),
        start_time=datetime.time(10),
        end_time=datetime.time(16),
        venue_name="PBZ",
        venue_street="Reichstagufer 14",
        venue_postcode="10117",
        venue_city="Berlin",
        capacity=10,
    )
    registration = Registration.objects.create(
        event=event,
        first_name="Erika",
        last_name="Muster",
        email="erika@example.org",
        organisation="Stadt",
        category="municipality",
        privacy_consent_version="1",
        privacy_consented_at=timezone.now(),
        status="confirmed",
        confirmed_at=timezone.now(),
        email_confirmed_at=timezone.now(),
        manage_token_hash="x" * 64,
    )
    queued = OldEmail.objects.create(
        recipient="erika@example.org",
        subject="Ihre Anmeldung",
        body_text="Hallo",
        message_id="<upgrade@example.org>",
        registration=registration,
    )

    new = migrate(AFTER)

    email = new.get_model("mail", "OutgoingEmail").objects.get(pk=queued.pk)
    assert email.status == "queued"
    assert email.subject == "Ihre Anmeldung"
    assert (email.about_type.app_label, email.about_type.model) == ("registration", "registration")
    assert email.about_id == registration.pk
