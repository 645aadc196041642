"""The admin login is the account login: rate limited per account and per client in the
shared cache, with a second factor (TOTP or a recovery code) for staff who set one up."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.speakers.conftest import PASSWORD, make_user


def login(client, email, password, **extra):
    return client.post(
        reverse("account_login") + "?next=/admin/", {"login": email, "password": password}, **extra
    )


def test_twenty_wrong_passwords_lock_the_account_even_for_the_right_one(client, staff):
    assert client.get("/admin/login/")["Location"].startswith(reverse("account_login"))
    for _ in range(20):
        login(client, "orga@example.org", "falsch")

    response = login(client, "orga@example.org", PASSWORD)

    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_lock_is_per_account_not_for_everyone(client, staff, django_user_model):
    make_user(django_user_model, "zweite@example.org", staff=True)
    for _ in range(5):
        login(client, "orga@example.org", "falsch", REMOTE_ADDR="10.0.0.1")

    other = login(client, "zweite@example.org", PASSWORD, REMOTE_ADDR="10.0.0.2")

    assert other.status_code == 302


def test_one_client_trying_many_accounts_is_stopped(client, staff, django_user_model):
    for n in range(10):
        login(client, f"versuch{n}@example.org", "falsch", REMOTE_ADDR="10.0.0.9")

    response = login(client, "orga@example.org", PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def staff_with_totp(staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    RecoveryCodes.activate(staff)
    return staff, secret


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_with_totp_needs_the_code_to_reach_the_admin(client, staff_with_totp):
    _staff, secret = staff_with_totp

    first = login(client, "orga@example.org", PASSWORD)

    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    page = client.get(reverse("mfa_authenticate"))
    assert "Zwei-Faktor-Anmeldung" in page.content.decode()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client, staff_with_totp):
    staff, _secret = staff_with_totp
    from allauth.mfa.models import Authenticator

    code = RecoveryCodes(
        Authenticator.objects.get(user=staff, type="recovery_codes")
    ).get_unused_codes()[0]
    login(client, "orga@example.org", PASSWORD)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()

    login(client, "orga@example.org", PASSWORD)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200


def test_mandatory_2fa_sends_staff_without_it_to_the_setup(client, staff, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth first asks for the password again (a fresh login counts), then the setup.
    setup = client.get(response["Location"], follow=True)
    assert "Bitte bestätigen Sie, dass Sie es sind" in setup.content.decode()
    setup = client.post(setup.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert "Authenticator-App einrichten" in setup.content.decode()


def test_mandatory_2fa_lets_staff_with_totp_in(client, staff_with_totp, settings):
    settings.STAFF_REQUIRE_2FA = True
    staff, _secret = staff_with_totp
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/admin/").status_code == 200


def test_without_the_setting_staff_may_work_without_2fa(client, staff):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/admin/").status_code == 200
