"""Texts that are true and consistent: every figure from the data, links that say where
they lead, rooms not on record marked provisional, one form for people who speak."""

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from outbox import queue_email
from programme.models import Page, Session
from programme.seed_programme import load_programme
from registration import services

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,german,english",
    [
        ("/", "es gibt 3 Plätze", "there are 3 seats"),
        ("/leichte-sprache/", "Es gibt nur 3 Plätze", "There are only 3 seats"),
    ],
)
def test_pages_state_the_capacity_from_the_data(client, event, path, german, english):
    services.set_capacity(event=event, capacity=3)

    german_page = client.get(path).content.decode()
    english_page = client.get(f"/en{path}").content.decode()

    assert german in german_page and "200 Plätze" not in german_page
    assert english in english_page and "200 seats" not in english_page


@pytest.mark.django_db
def test_sign_language_link_says_there_are_no_videos_yet(client, event):
    home = client.get("/").content.decode()

    assert "Informationen in Deutscher Gebärdensprache" not in home
    assert "Deutsche Gebärdensprache: noch keine Videos" in home
    assert f'href="{reverse("accessibility")}#gebaerdensprache"' in home


@pytest.mark.django_db
def test_sign_language_link_leads_to_the_video_once_there_is_one(client, event):
    page = Page.objects.get(slug=Page.Slug.EASY_LANGUAGE)
    page.sign_language_video.save("dgs.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))

    home = client.get("/").content.decode()

    assert "Informationen in Deutscher Gebärdensprache" in home
    assert f'href="{page.get_absolute_url()}#gebaerdensprache"' in home
    assert "noch keine Videos" not in home


@pytest.mark.django_db
def test_rooms_not_on_record_are_marked_provisional(client, event):
    load_programme()
    session = Session.objects.exclude(location="").first()
    assert session.location_de in ("Saal", "Foyer")

    assert "Raum vorläufig" in client.get(session.get_absolute_url()).content.decode()
    programme = client.get(reverse("programme")).content.decode()
    rows_with_room = programme.count(f"<td>{session.location_de}")
    assert rows_with_room and programme.count("Raum vorläufig") >= rows_with_room

    for confirmed in Session.objects.all():  # as an organiser does, one save each
        confirmed.location_confirmed = True
        confirmed.save()
    assert "Raum vorläufig" not in client.get(session.get_absolute_url()).content.decode()
    assert "Raum vorläufig" not in client.get(reverse("programme")).content.decode()


def test_texts_use_gender_neutral_forms_without_slashes():
    """The site says "Referierende", so nothing says "Referent/in" (or "Empfänger/in")."""
    slashed = re.compile(r"\w/(in|innen)\b")
    found = [entry.msgid for entry in polib.pofile(str(PO_FILE)) if slashed.search(entry.msgid)]

    assert found == []
    with translation.override("de"):
        assert str(apps.get_model("programme", "Speaker")._meta.verbose_name) == (
            "Referierende Person"
        )


def test_help_texts_show_as_written():
    """Django's forms show help texts as HTML: a "<" in one swallows what follows."""
    raw = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if "<" in str(getattr(field, "help_text", ""))
    ]

    assert raw == []


@pytest.mark.django_db
def test_recipient_help_text_shows_the_address_format_in_the_admin(client, event):
    user = get_user_model().objects.create_user(
        "orga", "orga@example.org", "a-long-password-1", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    email = queue_email(
        to="anna@example.org", template="mail/test", context={"recipient": "x"}, language="de"
    )

    page = client.get(reverse("admin:mail_outgoingemail_change", args=[email.pk]))

    assert "„Name &lt;adresse@example.org&gt;“" in page.content.decode()
