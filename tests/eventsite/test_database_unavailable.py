"""While the database is down a page answers with the translated 503 page, not a 500."""

import pytest
from django.db import InternalError, OperationalError
from django.test import Client

from eventsite import views as eventsite_views
from registration import views
from registration.models import Registration
from tests.registration.test_views import FORM


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/anmeldung/", "Vorübergehend nicht erreichbar"),
        ("/en/anmeldung/", "Temporarily unavailable"),
    ],
)
def test_lost_database_gives_translated_503(client, event, monkeypatch, path, heading):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(views.services, "seat_status", unreachable)

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert heading in content
    assert "Traceback" not in content and "5432" not in content


def _read_only_error():
    """What Django raises when PostgreSQL refuses a write (a standby, a read-only database)."""
    import psycopg.errors

    error = InternalError("cannot execute INSERT in a read-only transaction")
    error.__cause__ = psycopg.errors.ReadOnlySqlTransaction(
        "cannot execute INSERT in a read-only transaction"
    )
    return error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "Was Sie eben abgeschickt haben, wurde nicht gespeichert."),
        ("/en", "What you have just sent has not been saved."),
    ],
)
def test_registration_refused_while_database_refuses_writes(
    client, event, monkeypatch, prefix, message
):
    def refused(**kwargs):
        raise _read_only_error()

    monkeypatch.setattr(views.services, "submit_registration", refused)

    response = client.post(f"{prefix}/anmeldung/", {**FORM, "email": "anna@example.org"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert message in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_other_database_errors_stay_errors(client, event, monkeypatch):
    def broken(**kwargs):
        raise InternalError("a bug, not an outage")

    monkeypatch.setattr(views.services, "submit_registration", broken)

    with pytest.raises(InternalError):
        client.post("/anmeldung/", {**FORM, "email": "anna@example.org"})


@pytest.mark.django_db
def test_outage_outside_a_view_gives_the_503_page_too(event, monkeypatch):
    """The page cache renders a page itself (outside Django's view exception handling): a
    database lost at that moment must not end in a 500 either."""

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(eventsite_views, "seat_status", unreachable)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    assert "wurde nicht gespeichert" not in response.content.decode()
