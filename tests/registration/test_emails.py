import pytest

from outbox.periodic import configured_jobs
from outbox.services import render_email
from registration import emails, retention, services
from registration.models import Registration


@pytest.fixture
def full_registration(confirmed_registration):
    registration = confirmed_registration("erika@example.org", accessibility_needs="Rampe & Platz")
    registration.pending_email = "neu@example.org"
    registration.email_change_token_nonce = "n"
    return registration


CASES = [
    ("confirm_address", {"holds_seat": True, "confirm_url": "https://x/c/", "deadline": None}),
    ("confirm_address", {"holds_seat": False, "confirm_url": "https://x/c/", "deadline": None}),
    ("confirmed", {"manage_url": "https://x/m/"}),
    ("waitlisted", {"manage_url": "https://x/m/", "position": 3}),
    ("moved_up", {"manage_url": "https://x/m/"}),
    ("changed", {"manage_url": "https://x/m/"}),
    ("changed", {"manage_url": "https://x/m/", "to_old_address": True}),
    ("cancelled", {"was_waiting": False, "form_url": "https://x/"}),
    ("cancelled", {"was_waiting": True, "form_url": "https://x/"}),
    ("hold_expired", {"form_url": "https://x/", "held_seat": True}),
    ("hold_expired", {"form_url": "https://x/", "held_seat": False}),
    ("confirm_new_address", {"confirm_url": "https://x/e/"}),
    ("your_link", {"manage_url": "https://x/m/"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name,context", CASES)
def test_every_email_renders_in_both_languages(full_registration, name, context, language):
    subject, text, html = render_email(
        template=f"registration/{name}",
        context={
            "registration": full_registration,
            "greeting_name": emails.greeting_name(full_registration),
            "organiser_email": "o@example.org",
            **context,
        },
        language=language,
    )
    assert subject and "\n" not in subject
    for part in (text, html):
        assert "Erika Mustermann" in part
        if language == "en":
            assert "Guten Tag" not in part and "Ihre" not in part
    links = [v for v in context.values() if isinstance(v, str) and v.startswith("https")]
    if context.get("to_old_address"):
        links = []  # the previous address must not get the personal link
    for url in links:
        assert url in text and url in html
    assert "&amp;" not in text  # plain text is not HTML-escaped
    assert f'<html lang="{language}">' in html


@pytest.mark.django_db
def test_calendar_file_and_qr_code(confirmed_registration):
    registration = confirmed_registration("erika@example.org")
    ics = emails.calendar_file(registration).decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART:20160922T080000Z" in ics
    assert emails.qr_code_png(registration).startswith(b"\x89PNG")


def test_periodic_jobs_include_registration_jobs():
    jobs = {job.name: job.run for job in configured_jobs()}
    assert jobs["expire-holds"] is services.expire_holds
    assert jobs["anonymise-registrations"] is retention.anonymise_due


@pytest.mark.django_db
def test_link_survives_secret_key_rotation_by_reissuing(confirmed_registration, settings):
    registration = confirmed_registration("erika@example.org")
    old_token = registration.manage_token()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only"

    url = emails.manage_url(registration)

    new_token = url.rstrip("/").rsplit("/", 1)[1]
    assert new_token != old_token
    assert services.registration_for_manage_token(new_token) == registration
    assert Registration.objects.get().manage_token_hash == registration.manage_token_hash
