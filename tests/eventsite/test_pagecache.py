"""The shared page cache: public pages come from the cache, every organiser change shows on
the next request, conditional requests get 304, and the seat figure stays live."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client
from lxml import html

from eventsite import pagecache
from programme.models import Page, Session, SessionSpeaker, Speaker
from registration import services
from registration.models import RegistrationSettings
from tests.registration.conftest import VALID

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def programme(event):
    from programme.seed_programme import load_programme

    load_programme()
    return event


def warm_up(client, path):
    """The first visit ever also creates the registration window (a change): two visits."""
    client.get(path)
    return client.get(path)


def form_data(page_html: str) -> dict:
    """What a browser would post for the admin's change form as it stands."""
    form = html.fromstring(page_html).xpath("//form[@method='post' and .//input[@name='_save']]")[0]
    data = {}
    for field in form.xpath(".//input | .//textarea | .//select"):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.tag == "select":
            data[name] = [o.get("value") for o in field.xpath(".//option[@selected]")] or ""
        elif field.get("type") in {"checkbox", "radio"}:
            if field.get("checked") is not None:
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.tag == "textarea":
            data[name] = field.text or ""
        else:
            data[name] = field.get("value", "")
    return data


def test_second_request_comes_from_the_cache_in_one_query(
    visitor, event, django_assert_num_queries
):
    first = warm_up(visitor, "/")
    with django_assert_num_queries(1):
        second = visitor.get("/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_an_admin_edit_of_the_event_shows_on_the_next_request(visitor, admin_client, event):
    assert event.title in visitor.get("/").content.decode()
    change_url = f"/admin/programme/event/{event.pk}/change/"
    data = form_data(admin_client.get(change_url).content.decode())
    data["title_de"] = "Ein ganz neuer Titel der Abschlussveranstaltung"
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    assert "Ein ganz neuer Titel der Abschlussveranstaltung" in visitor.get("/").content.decode()


def test_an_admin_capacity_change_shows_the_new_seat_figure_at_once(visitor, event):
    assert "Noch 200 von 200 Plätzen frei." in visitor.get("/").content.decode()
    services.set_capacity(event=event, capacity=150)
    assert "Noch 150 von 150 Plätzen frei." in visitor.get("/").content.decode()


def test_closing_the_registration_shows_at_once(visitor, event):
    assert "Jetzt anmelden" in visitor.get("/").content.decode()
    RegistrationSettings.objects.update_or_create(event=event, defaults={"closed_manually": True})
    assert "Die Anmeldung ist geschlossen." in visitor.get("/").content.decode()


def test_registrations_show_once_the_seat_figure_is_refreshed(visitor, event, settings):
    warm_up(visitor, "/")
    services.submit_registration(event=event, data={**VALID}, language="de")
    # Within PAGE_CACHE_SEATS_SECONDS the cached figure may still be the old one ...
    assert "Noch 200 von 200 Plätzen frei." in visitor.get("/").content.decode()
    # ... and once the seat key has expired, the page shows the new one.
    cache.delete(pagecache.SEATS_KEY)
    assert "Noch 199 von 200 Plätzen frei." in visitor.get("/").content.decode()


def test_the_seat_figure_is_refreshed_after_its_time(visitor, event, settings):
    settings.PAGE_CACHE_SEATS_SECONDS = 0
    visitor.get("/")
    services.submit_registration(event=event, data={**VALID}, language="de")
    assert "Noch 199 von 200 Plätzen frei." in visitor.get("/").content.decode()


def test_conditional_request_gets_304_until_something_changes(visitor, programme):
    first = warm_up(visitor, "/programm/")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    unchanged = visitor.get("/programm/", headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    since = visitor.get("/programm/", headers={"if-modified-since": last_modified})
    assert since.status_code == 304

    session = Session.objects.order_by("start").first()
    session.title_de = "Ein neuer Programmpunkt"
    session.save()
    changed = visitor.get("/programm/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Ein neuer Programmpunkt" in changed.content.decode()


def test_each_language_has_its_own_cached_page(visitor, event):
    german = visitor.get("/programm/").content.decode()
    english = visitor.get("/en/programm/").content.decode()
    assert '<html lang="de">' in german
    assert '<html lang="en">' in english
    assert visitor.get("/programm/").content.decode() == german
    assert visitor.get("/en/programm/").content.decode() == english


def test_every_public_page_is_served_from_the_cache(visitor, programme, django_assert_num_queries):
    speaker = Speaker.objects.order_by("pk").first()
    session = Session.objects.order_by("pk").first()
    paths = [
        "/",
        "/programm/",
        "/referierende/",
        speaker.get_absolute_url(),
        session.get_absolute_url(),
        "/anfahrt/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
        "/en/",
        "/en/programm/",
    ]
    for path in paths:
        assert warm_up(visitor, path).status_code == 200, path
    for path in paths:
        with django_assert_num_queries(1):
            response = visitor.get(path)
        assert response.status_code == 200
        assert response.has_header("ETag"), path


def test_page_text_edit_shows_on_the_next_request(visitor, event):
    visitor.get("/impressum/")
    page = Page.objects.get(slug=Page.Slug.IMPRINT)
    page.body_de = "Neu verantwortlich: das Organisationsteam."
    page.save()
    assert (
        "Neu verantwortlich: das Organisationsteam." in visitor.get("/impressum/").content.decode()
    )


def test_speaker_changes_show_on_the_speaker_pages(visitor, programme):
    speaker = Speaker.objects.order_by("pk").first()
    visitor.get("/referierende/")
    visitor.get(speaker.get_absolute_url())
    speaker.organisation_de = "Eine neue Organisation"
    speaker.save()
    assert "Eine neue Organisation" in visitor.get("/referierende/").content.decode()
    assert "Eine neue Organisation" in visitor.get(speaker.get_absolute_url()).content.decode()


def test_removing_a_speaker_from_a_session_shows_on_the_session_page(visitor, programme):
    role = SessionSpeaker.objects.select_related("session", "speaker").order_by("pk").first()
    url = role.session.get_absolute_url()
    assert role.speaker.name in visitor.get(url).content.decode()
    role.delete()
    assert role.speaker.name not in visitor.get(url).content.decode()


def test_a_logged_in_organiser_gets_a_fresh_page(admin_client, event, visitor):
    visitor.get("/")
    cache.set(pagecache.VERSION_KEY, "pretend-nothing-changed", None)
    response = admin_client.get("/")
    assert response.status_code == 200
    assert not response.has_header("ETag")


def test_a_query_string_bypasses_the_cache(visitor, event):
    visitor.get("/programm/")
    assert not visitor.get("/programm/?x=1").has_header("ETag")


def test_the_page_cache_can_be_switched_off(visitor, event, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visitor.get("/")
    response = visitor.get("/")
    assert response.status_code == 200
    assert not response.has_header("ETag")


def test_a_missing_version_key_means_changed(visitor, event):
    visitor.get("/")
    cache.delete(pagecache.VERSION_KEY)
    event.title_de = "Titel ohne Signal"
    type(event).objects.filter(pk=event.pk).update(title_de="Titel ohne Signal")
    assert "Titel ohne Signal" in visitor.get("/").content.decode()


def test_redis_is_the_shared_cache_when_configured():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "eventsite.settings",
            "CACHE_REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]


def test_migrate_on_a_new_database_creates_the_cache_table_so_load_event_works(tmp_path):
    # The deployment guide runs `migrate` and then `load_event` on a new database; with the
    # database cache, `load_event` invalidates pages and needs the cache's table. On
    # PostgreSQL a failed cache write aborts load_event's whole transaction.
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "from django.db import connection;"
        "call_command('migrate', verbosity=0);"
        "assert 'eventsite_cache' in connection.introspection.table_names(), 'no cache table';"
        "call_command('load_event', verbosity=0);"
        "print('loaded')"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="eventsite.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "loaded" in result.stdout
    assert "could not be invalidated" not in result.stderr
