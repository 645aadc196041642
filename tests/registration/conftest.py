import pytest

from registration import emails, services


@pytest.fixture
def queued(monkeypatch):
    """Every email the registration queues: dicts with to, template, context, attachments.
    The messages still go through the real delivery pipeline."""
    sent = []
    original = emails._queue_email

    def recording(**kwargs):
        sent.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(emails, "_queue_email", recording)
    return sent


def templates_of(queued) -> list[str]:
    return [message["template"].removeprefix("registration/") for message in queued]


VALID = {
    "salutation": "",
    "academic_title": "",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "email": "erika@example.org",
    "organisation": "Stadt Musterstadt",
    "position": "",
    "category": "municipality",
    "model_municipality": "",
    "accessibility_needs": "",
    "participant_list_consent": False,
}


@pytest.fixture
def register(event):
    """Submit a registration through the service: register("a@example.org", **details)."""

    def submit(email, language="de", **details):
        data = {**VALID, "email": email, **details}
        return services.submit_registration(event=event, data=data, language=language).registration

    return submit


@pytest.fixture
def confirmed_registration(register):
    def make(email, **details):
        registration = register(email, **details)
        return services.confirm_email(token=registration.confirm_token())

    return make


@pytest.fixture
def door_group(db):
    """The group "Einlass" as migration 0003 creates it. Transactional tests elsewhere in a
    full run flush the database, which removes rows made by data migrations, so tests that
    need the group create it again through the migration's own function."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    migration = importlib.import_module("registration.migrations.0003_door_check_in")
    migration.create_door_group(apps, None)
    return Group.objects.get(name=migration.DOOR_GROUP)
