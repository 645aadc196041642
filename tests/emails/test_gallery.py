"""The email gallery: every email the site sends, with sample data in both languages,
rendered and checked; and the staff pages that show them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from outbox import gallery
from outbox.models import OutgoingEmail
from registration.models import Registration
from tests.emails.checks import markdown_syntax_in, markup_errors, quote_nesting

ENTRIES = [entry.name for entry in gallery.entries()]
GERMAN_ONLY = ("Guten Tag", "Mit freundlichen Grüßen", "Ihre ", "Anmeldung")


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user(
        "orga", "orga@example.org", "a-long-password-1", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def test_every_email_template_of_the_site_is_in_the_gallery():
    templates_dir = Path(settings.BASE_DIR) / "templates" / "emails"
    templates = {
        str(path.relative_to(templates_dir)).removesuffix(".subject.txt")
        for path in templates_dir.rglob("*.subject.txt")
    }
    in_gallery = {entry.template for entry in gallery.entries() if entry.template}

    assert templates - in_gallery == set()


@pytest.mark.django_db
@pytest.mark.parametrize("language", gallery.LANGUAGES)
@pytest.mark.parametrize("name", ENTRIES)
def test_gallery_email_reads_cleanly(event, name, language):
    sample = gallery.render_sample(gallery.get(name), language)

    assert sample.subject and "\n" not in sample.subject
    assert markdown_syntax_in(sample.text) == []
    assert markdown_syntax_in(sample.subject) == []
    for part in (sample.subject, sample.text, sample.html):
        assert quote_nesting(part, language) <= 1, part
    if sample.html:
        assert markup_errors(sample.html) == []
        assert f'<html lang="{language}">' in sample.html
    if language == "en":
        for german in GERMAN_ONLY:
            assert german not in sample.text, german


@pytest.mark.django_db
def test_gallery_writes_nothing(event):
    for entry in gallery.entries():
        for language in gallery.LANGUAGES:
            gallery.render_sample(entry, language)

    assert Registration.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_markup_check_finds_broken_markup():
    assert markup_errors(
        "<!DOCTYPE html><html lang=de><head><title>x</title></head>"
        "<body><p><strong>x</p></body></html>"
    )
    assert markdown_syntax_in("Bitte **Ausweis** mitbringen")
    assert markdown_syntax_in("## Anreise")


@pytest.mark.django_db
def test_staff_see_every_email_in_the_gallery(event, staff_client):
    changelist = staff_client.get(reverse("admin:mail_outgoingemail_changelist"))
    assert reverse("admin:mail_gallery") in changelist.text

    page = staff_client.get(reverse("admin:mail_gallery"))

    assert page.status_code == 200
    for entry in gallery.entries():
        assert reverse("admin:mail_gallery_email", args=[entry.name]) in page.text


@pytest.mark.django_db
def test_gallery_page_shows_both_languages_with_attachment_names(event, staff_client):
    page = staff_client.get(reverse("admin:mail_gallery_email", args=["registration-confirmed"]))

    assert page.status_code == 200
    assert "Ihre Anmeldung ist bestätigt" in page.text
    assert "Your registration is confirmed" in page.text
    assert "veranstaltung.ics" in page.text and "event.ics" in page.text
    assert "Dr. Erika Mustermann" in page.text
    frame = staff_client.get(
        reverse("admin:mail_gallery_html", args=["registration-confirmed", "en"])
    )
    assert frame.status_code == 200
    assert "<strong>Please bring an official photo ID</strong>" in frame.text
    assert "sandbox" in frame.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_gallery_is_for_staff_only(event, client):
    response = client.get(reverse("admin:mail_gallery"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    user = get_user_model().objects.create_user(
        "someone", password="a-long-password-1", is_staff=True
    )
    client.force_login(user)
    assert client.get(reverse("admin:mail_gallery")).status_code == 404
    assert (
        client.get(
            reverse("admin:mail_gallery_html", args=["registration-confirmed", "de"])
        ).status_code
        == 404
    )
