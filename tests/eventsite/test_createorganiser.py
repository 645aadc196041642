"""`make organiser` (manage.py createorganiser): the account it makes logs in to the
admin at once, without the confirmation email allauth asks of other new accounts."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

PASSWORD = "Orga-Passwort-2016!"


def _create(monkeypatch, command, **options):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(command, interactive=False, verbosity=0, **options)


def _log_in(client, email):
    return client.post(
        f"{reverse('account_login')}?next=/admin/", {"login": email, "password": PASSWORD}
    )


@pytest.mark.django_db
def test_the_organiser_logs_in_to_the_admin_at_once(client, monkeypatch):
    _create(monkeypatch, "createorganiser", username="orga", email="orga@example.org")

    response = _log_in(client, "orga@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert mail.outbox == []
    user = User.objects.get(username="orga")
    assert user.is_superuser and user.is_staff
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("orga@example.org", True, True)


@pytest.mark.django_db
def test_plain_createsuperuser_would_stop_at_the_confirmation_email(client, monkeypatch):
    """Why the command exists: the same account from Django's own command cannot log in
    until its address is confirmed."""
    _create(monkeypatch, "createsuperuser", username="orga", email="orga@example.org")

    response = _log_in(client, "orga@example.org")

    assert response.status_code == 302
    assert response["Location"] != "/admin/"
    assert client.get("/admin/").status_code == 302  # still logged out


@pytest.mark.django_db
def test_an_organiser_needs_an_email_address(monkeypatch):
    with pytest.raises(CommandError, match="email"):
        _create(monkeypatch, "createorganiser", username="orga", email="")
    assert not User.objects.filter(username="orga").exists()
