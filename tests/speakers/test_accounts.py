"""django-allauth in the site's voice: formal German and English, multipart emails through
the outbox, no emails to unknown addresses, rate limits in the shared database cache."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tests.speakers.conftest import PASSWORD, make_user, outbox

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|hast|bist|kannst|möchtest|musst|gib)\b", re.I)
LANGUAGES = {"de": "", "en": "/en"}

# Every allauth page a person can reach with closed sign-up, login by email and TOTP.
ACCOUNT_PAGES = [
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_signup",
    "account_email_verification_sent",
]
LOGGED_IN_PAGES = [
    "account_logout",
    "account_change_password",
    "account_email",
    "mfa_index",
    "mfa_activate_totp",
]


def url(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args or None)


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_account_pages_speak_formally_in_the_site_layout(client, event, name, language):
    response = client.get(url(name, language), follow=True)

    assert response.status_code == 200
    text = visible_text(response)
    assert 'class="site-header"' in response.content.decode()
    if language == "de":
        assert not INFORMAL.search(text), INFORMAL.search(text)
        assert "Sie" in text
    else:
        assert 'lang="en"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_logged_in_account_pages_speak_formally(client, staff, name, language):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(url(name, language), follow=True)

    assert response.status_code == 200
    text = visible_text(response)
    if language == "de":
        assert not INFORMAL.search(text), INFORMAL.search(text)
    # The English pages are in English: none of our German texts leaks through.
    if language == "en":
        assert "Sie " not in text


def test_reset_for_unknown_address_sends_no_email(client, event):
    response = client.post(reverse("account_reset_password"), {"email": "fremd@example.org"})

    assert response.status_code == 302
    assert outbox() == []


def test_reset_requests_are_limited_per_client(client, event):
    statuses = [
        client.post(
            reverse("account_reset_password"), {"email": f"fremd{n}@example.org"}
        ).status_code
        for n in range(8)
    ]

    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429] * 3
    assert (
        "Zu viele"
        in client.post(
            reverse("account_reset_password"), {"email": "x@example.org"}
        ).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("de", "Neues Passwort für Ihr Konto", "Über diesen Link legen Sie es fest"),
        ("en", "A new password for your account", "Use this link to set it"),
    ],
)
def test_reset_email_is_formal_multipart_and_has_no_host_prefix(
    client, event, django_user_model, language, subject, phrase
):
    make_user(django_user_model, "ada@example.org")

    client.post(url("account_reset_password", language), {"email": "ada@example.org"})

    [email] = outbox("account/")
    assert email.subject == subject
    assert email.recipient == "ada@example.org"
    assert phrase in email.body_text
    assert "<html" in email.body_html and phrase in email.body_html
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+", email.body_text)[0]
    assert link.startswith(settings.SITE_URL.split("//")[0]) or "testserver" in link
    if language == "de":
        assert not INFORMAL.search(email.body_text)
    else:
        assert "/en/konto/" in link


def test_confirming_an_address_leads_to_a_login_page_that_exists(client, event, django_user_model):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    user = django_user_model.objects.create_user(
        username="neu", email="neu@example.org", password=PASSWORD
    )
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key

    response = client.post(reverse("account_confirm_email", args=[key]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert response.status_code == 200
    assert EmailAddress.objects.get(pk=address.pk).verified


def test_unverified_login_sends_a_formal_confirmation_email(client, event, django_user_model):
    django_user_model.objects.create_user(
        username="neu", email="neu@example.org", password=PASSWORD
    )

    client.post(reverse("account_login"), {"login": "neu@example.org", "password": PASSWORD})

    [email] = outbox("account/")
    assert email.subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "/konto/confirm-email/" in email.body_text
    assert email.body_html


def test_header_shows_who_is_logged_in_with_portal_link_and_logout(client, speaker_client, event):
    html = speaker_client.get("/").content.decode()

    assert "Eingeloggt als ada@example.org" in html
    assert f'href="{reverse("speakers:portal")}"' in html
    assert re.search(r'<form method="post" action="/konto/logout/"[^>]*>.*?<button', html, re.S)


def test_header_shows_no_account_bar_to_visitors(client, event):
    assert "Eingeloggt als" not in client.get("/").content.decode()


def test_speaker_lands_in_the_portal_after_login(client, speaker_with_session, event):
    response = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("speakers:portal")


def test_the_cache_is_a_database_table_every_process_shares(client, event, django_user_model):
    make_user(django_user_model, "ada@example.org")
    client.post(reverse("account_login"), {"login": "ada@example.org", "password": "falsch"})

    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['default']['LOCATION']}")
        assert cursor.fetchone()[0] >= 1
