"""Documentation after the event: PDFs or links per session and for the event, invisible
until published, one email per guest and publication; and the public pages saying that
the event has taken place."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from documentation import services
from documentation.models import Document, PublicationNotice
from outbox.models import OutgoingEmail
from programme.models import Session
from tests.eventsite.test_pagecache import form_data
from tests.registration.conftest import confirmed_registration, register  # noqa: F401

pytestmark = pytest.mark.django_db


def pdf_bytes(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def programme(event):
    from programme.seed_programme import load_programme

    load_programme()
    return event


@pytest.fixture
def session(programme):
    return Session.objects.exclude(kind="break").order_by("start").first()


def pdf_document(event, *, session=None, title="Abschlussbericht Modellkommunen", **fields):
    document = Document(event=event, session=session, kind=Document.Kind.REPORT, **fields)
    document.title_de = title
    document.file.save("bericht.pdf", io.BytesIO(pdf_bytes()), save=False)
    document.size, document.pages = len(pdf_bytes()), 2
    document.save()
    return document


def link_document(event, **fields):
    return Document.objects.create(
        event=event,
        kind=Document.Kind.GUIDE,
        title_de="Leitfaden „Kochbuch“",
        title_en="Guide (“cookbook”)",
        url="https://www.example.org/kochbuch",
        **fields,
    )


def announcements():
    return OutgoingEmail.objects.filter(template="documentation/published")


def test_unpublished_documents_are_invisible(client, event, session):
    report = pdf_document(event)
    pdf_document(event, session=session, title="Folien zum Vortrag")
    download = f"/dokumentation/{report.pk}/{report.download_name}"

    page = client.get("/dokumentation/").content.decode()
    assert "Abschlussbericht" not in page and "noch nicht veröffentlicht" in page
    assert client.get(download).status_code == 404
    assert "Folien zum Vortrag" not in client.get(session.get_absolute_url()).content.decode()

    services.publish(documents=Document.objects.all(), notify=False)

    page = client.get("/dokumentation/").content.decode()
    assert "Abschlussbericht" in page and "Folien zum Vortrag" in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    session_page = client.get(session.get_absolute_url()).content.decode()
    assert "Folien zum Vortrag" in session_page and "PDF, 2 Seiten" in session_page

    services.unpublish(documents=Document.objects.filter(pk=report.pk))
    assert client.get(download).status_code == 404


def test_documentation_page_in_english_shows_english_titles_and_links(client, event):
    link_document(event)
    services.publish(documents=Document.objects.all(), notify=False)

    response = client.get("/en/documentation/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Guide (“cookbook”)" in html
    assert 'href="https://www.example.org/kochbuch" rel="noopener noreferrer"' in html
    assert "Link to another website" in html


def test_publishing_emails_each_confirmed_guest_once_per_publication(
    event,
    confirmed_registration,  # noqa: F811
):
    confirmed_registration("gast@example.org")
    confirmed_registration("guest@example.org", language="en")
    report = pdf_document(event)

    outcome = services.publish(documents=Document.objects.all(), notify=True)
    again = services.publish(documents=Document.objects.all(), notify=True)

    assert (len(outcome.published), outcome.notified) == (1, 2)
    assert (again.published, again.notified) == ([], 0)
    sent = {email.recipient: email for email in announcements()}
    assert set(sent) == {"gast@example.org", "guest@example.org"}
    assert sent["gast@example.org"].subject == "Die Dokumentation der Veranstaltung ist online"
    assert "/dokumentation/" in sent["gast@example.org"].body_text
    assert "Abschlussbericht Modellkommunen" in sent["gast@example.org"].body_text
    assert sent["guest@example.org"].subject == "The event's documentation is online"
    assert "/en/documentation/" in sent["guest@example.org"].body_text

    # Publishing more later, quietly: nobody hears of it.
    link_document(event)
    services.publish(documents=Document.objects.all(), notify=False)
    assert announcements().count() == 2
    assert PublicationNotice.objects.count() == 2
    assert report.pk in Document.objects.published().values_list("pk", flat=True)


def test_a_document_is_a_file_or_a_link(admin_client, event):
    response = admin_client.post(
        "/admin/documentation/document/add/",
        {"event": event.pk, "kind": "report", "title_de": "Bericht", "order": 0},
    )
    assert response.status_code == 200
    assert "entweder eine PDF-Datei hoch oder geben Sie einen Link an" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "keine lesbare PDF-Datei"),
        (b"%PDF-1.4 nothing else", "keine lesbare PDF-Datei"),
    ],
)
def test_upload_that_is_not_a_pdf_is_refused(admin_client, event, content, message):
    upload = SimpleUploadedFile("bericht.pdf", content, content_type="application/pdf")
    response = admin_client.post(
        "/admin/documentation/document/add/",
        {"event": event.pk, "kind": "report", "title_de": "Bericht", "order": 0, "file": upload},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_upload_over_the_size_limit_is_refused(admin_client, event, settings):
    settings.DOCUMENTATION_MAX_UPLOAD_MB = 1
    big = pdf_bytes() + b"%" + b"x" * (1024 * 1024)
    upload = SimpleUploadedFile("gross.pdf", big, content_type="application/pdf")
    response = admin_client.post(
        "/admin/documentation/document/add/",
        {"event": event.pk, "kind": "report", "title_de": "Bericht", "order": 0, "file": upload},
    )
    assert "größer als 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_admin_upload_then_publish_shows_on_the_next_cached_request(
    admin_client, programme, session
):
    visitor = Client()
    path = session.get_absolute_url()
    visitor.get(path)
    assert visitor.get(path).has_header("ETag")  # served from the page cache
    upload = SimpleUploadedFile("folien.pdf", pdf_bytes(3), content_type="application/pdf")
    response = admin_client.post(
        "/admin/documentation/document/add/",
        {
            "event": programme.pk,
            "session": session.pk,
            "kind": "slides",
            "title_de": "Folien der Eröffnung",
            "order": 0,
            "file": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert (document.pages, document.size) == (3, len(pdf_bytes(3)))
    assert "Folien der Eröffnung" not in visitor.get(path).content.decode()

    response = admin_client.post(
        "/admin/documentation/document/",
        {"action": "publish_quietly", "_selected_action": [document.pk]},
    )
    assert response.status_code == 302

    assert "Folien der Eröffnung" in visitor.get(path).content.decode()
    # An edit of the title shows at once, too.
    change = f"/admin/documentation/document/{document.pk}/change/"
    data = form_data(admin_client.get(change).content.decode())
    data["title_de"] = "Folien der Eröffnung (korrigiert)"
    assert admin_client.post(change, data).status_code == 302
    assert "Folien der Eröffnung (korrigiert)" in visitor.get(path).content.decode()


def test_admin_publish_with_email_asks_first(admin_client, event, confirmed_registration):  # noqa: F811
    confirmed_registration("gast@example.org")
    document = link_document(event)
    selection = {"action": "publish_and_notify", "_selected_action": [document.pk]}

    confirm = admin_client.post("/admin/documentation/document/", selection)
    assert "1 bestätigter Gast bekommt eine E-Mail" in confirm.content.decode()
    assert not announcements().exists()

    admin_client.post("/admin/documentation/document/", {**selection, "post": "yes"})
    admin_client.post("/admin/documentation/document/", {**selection, "post": "yes"})
    assert announcements().count() == 1


# --- after the event ---------------------------------------------------------------------


@pytest.fixture
def after_the_event(settings, programme):
    settings.AFTER_THE_EVENT = True  # the seeded event of 22.09.2016 is over
    return programme


@pytest.mark.parametrize(
    ("language", "prefix", "taken_place", "closed"),
    [
        (
            "de",
            "",
            "Die Veranstaltung hat am 22. September 2016 stattgefunden.",
            "Die Anmeldung ist geschlossen.",
        ),
        ("en", "/en", "The event took place on 22 September 2016.", "Registration is closed."),
    ],
)
def test_public_pages_say_the_event_has_taken_place(
    client, after_the_event, session, language, prefix, taken_place, closed
):
    documentation = "/en/documentation/" if language == "en" else "/dokumentation/"
    for path in ("/", "/programm/", session.get_absolute_url().removeprefix("/en"), "/anmeldung/"):
        response = client.get(prefix + path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert taken_place in html, path
        assert closed in html, path
        assert f'href="{documentation}"' in html, path
    home = client.get(prefix + "/").content.decode()
    assert "Jetzt anmelden" not in home and "Register now" not in home


def test_registration_after_the_event_is_refused(client, after_the_event):
    from tests.registration.test_lifecycle import FORM

    response = client.post("/anmeldung/", FORM)

    assert response.status_code == 403
    from registration.models import Registration

    assert not Registration.objects.exists()


def test_the_event_ending_shows_on_cached_pages(settings, programme):
    visitor = Client()
    visitor.get("/")
    assert "stattgefunden" not in visitor.get("/").content.decode()
    settings.AFTER_THE_EVENT = True  # as if the clock had passed the end
    from django.core.cache import cache

    from eventsite import pagecache

    cache.delete(pagecache.SEATS_KEY)  # the seat key expires after PAGE_CACHE_SEATS_SECONDS
    assert (
        "Die Veranstaltung hat am 22. September 2016 stattgefunden."
        in visitor.get("/").content.decode()
    )


def test_organisers_see_an_unpublished_file_visitors_do_not(admin_client, client, event):
    document = pdf_document(event)
    path = f"/verwaltung/dokumentation/{document.pk}/"

    response = admin_client.get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(path).status_code == 302  # to the login
    change = admin_client.get(f"/admin/documentation/document/{document.pk}/change/")
    assert f'href="{path}"' in change.content.decode()


def test_speakers_released_slides_appear_with_the_documentation(client, programme, session):
    from programme.models import SessionSpeaker, Speaker
    from speakers import services as speaker_services

    speaker = Speaker.objects.create(name="Erika Beispiel", slug="erika-beispiel")
    SessionSpeaker.objects.create(session=session, speaker=speaker)
    upload = SimpleUploadedFile("f.pdf", pdf_bytes(4), content_type="application/pdf")
    slides = speaker_services.upload_slides(speaker=speaker, session=session, upload=upload)
    assert "Folien von Erika Beispiel" not in client.get("/dokumentation/").content.decode()

    speaker_services.release_slides(slides=slides, released=True)

    page = client.get("/dokumentation/").content.decode()
    assert "Folien von Erika Beispiel (PDF, 4 Seiten)" in page
    assert f'href="{session.get_absolute_url()}"' in page
