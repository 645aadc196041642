"""While the database is down a page answers with the translated 503 page, not a 500."""

import pytest
from django.db import OperationalError

from registration import views


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
