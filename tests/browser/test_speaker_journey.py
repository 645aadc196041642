"""A speaker's whole way, in Chromium: the organiser invites from the admin, the email
arrives at a loopback SMTP server, the link sets a password, the portal shows the slot,
the profile gets a new photo (with preview) and slides, and after the organiser's release
the public pages show both. axe-core checks every portal page and form state in German
and English."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfWriter

from tests.browser.helpers import (
    assert_no_axe_violations,
    assert_reflows,
    deliver_outbox,
    link_in_message,
    received_messages,
)
from tests.conftest import verified_superuser

PASSWORD = "ein-langes-passwort-2016"


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "portrait.jpg"
    Image.new("RGB", (640, 480), (200, 120, 40)).save(photo, "JPEG")
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=842, height=595)
    slides = tmp_path / "folien.pdf"
    with slides.open("wb") as handle:
        writer.write(handle)
    not_pdf = tmp_path / "folien-falsch.pdf"
    not_pdf.write_bytes(b"this is not a PDF")
    return {"photo": photo, "slides": slides, "not_pdf": not_pdf}


@pytest.fixture
def speaker(site, settings, smtp_server, live_server):
    """A seeded speaker with an address, and mail going to the loopback server."""
    from programme.models import Speaker
    from speakers.models import SpeakerAccess

    settings.SITE_URL = live_server.url
    site.smtp = smtp_server
    speaker = Speaker.objects.filter(session_roles__isnull=False).exclude(name="N. N.").first()
    SpeakerAccess.objects.update_or_create(
        speaker=speaker, defaults={"email": "referentin@example.org"}
    )
    return speaker


def admin_login(page, site, django_user_model):
    verified_superuser(django_user_model, "orga@example.org", PASSWORD)
    page.goto(site.url("/admin/login/"))
    page.locator("#id_login").fill("orga@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_from_invitation_to_public_page(site, speaker, page, browser, files, django_user_model):
    from speakers.models import Slides

    # The organiser invites from the speaker list.
    admin_login(page, site, django_user_model)
    page.goto(site.url("/admin/programme/speaker/"))
    page.locator(f"input[name=_selected_action][value='{speaker.pk}']").check()
    page.locator("select[name=action]").select_option("invite")
    page.get_by_role("button", name=re.compile("Ausführen|Go")).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Einladung mit persönlichem Link verschickt"
    )

    deliver_outbox()
    [message] = received_messages(site.smtp, to="referentin@example.org")
    assert message["Subject"] == "Ihr Zugang zum Portal für Referierende"
    assert message.is_multipart()
    link = link_in_message(message, "/konto/einladung/")

    # The speaker, in a browser of their own, sets a password.
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 800})
    me = context.new_page()
    me.set_default_timeout(10_000)
    me.goto(link)
    assert_no_axe_violations(me, "set password")
    me.locator("main form button[type=submit]").click()
    expect(me.locator("#error-summary")).to_be_visible()
    me.wait_for_load_state()
    assert_no_axe_violations(me, "set password with errors")
    me.locator("#id_password1").fill(PASSWORD)
    me.locator("#id_password2").fill(PASSWORD)
    me.locator("main form button[type=submit]").click()
    me.wait_for_url(re.compile(r"/mein-auftritt/$"))
    main = me.locator("main").inner_text()
    session = speaker.session_roles.select_related("session").first().session
    assert session.title_de in main
    assert "Eingeloggt als referentin@example.org" in me.locator("header").inner_text()
    assert_no_axe_violations(me, "portal")
    assert_reflows(me, me.url)

    # Confirm participation.
    me.get_by_role("button", name="Teilnahme bestätigen").click()
    expect(me.locator(".status-confirmed")).to_contain_text("zugesagt")
    assert_no_axe_violations(me, "portal after confirming")

    # Profile with a new photo: preview first, then save.
    me.get_by_role("link", name="Profil und Foto bearbeiten").click()
    me.wait_for_url(re.compile(r"/mein-auftritt/profil/$"))
    assert_no_axe_violations(me, "profile form")
    me.locator("#id_photo_upload").set_input_files(str(files["not_pdf"]))
    me.get_by_role("button", name="Vorschau ansehen").click()
    expect(me.locator("#error-summary")).to_contain_text("kein Foto")
    me.wait_for_load_state()
    assert_no_axe_violations(me, "profile form with errors")
    me.locator("#id_bio_de").fill("Leitet seit 2012 die Digitalisierung der Stadtverwaltung.")
    me.locator("#id_photo_upload").set_input_files(str(files["photo"]))
    me.get_by_role("button", name="Vorschau ansehen").click()
    expect(me.locator("h1")).to_have_text("Vorschau Ihres Profils")
    me.wait_for_load_state()
    assert me.locator("main img").count() >= 1
    assert_no_axe_violations(me, "profile preview")
    me.get_by_role("button", name="Speichern und veröffentlichen").click()
    me.wait_for_url(re.compile(r"/mein-auftritt/$"))

    # Slides: a fake PDF is refused, a real one accepted.
    me.get_by_role("link", name=re.compile("^Folien hochladen")).first.click()
    me.wait_for_url(re.compile(r"/mein-auftritt/folien/[^/]+/$"))
    assert_no_axe_violations(me, "slides form")
    me.locator("#id_file").set_input_files(str(files["not_pdf"]))
    me.get_by_role("button", name="Hochladen").click()
    expect(me.locator("#error-summary")).to_contain_text("keine lesbare PDF-Datei")
    me.wait_for_load_state()
    assert_no_axe_violations(me, "slides form with errors")
    me.locator("#id_file").set_input_files(str(files["slides"]))
    me.get_by_role("button", name="Hochladen").click()
    me.wait_for_url(re.compile(r"/mein-auftritt/$"))

    # The organiser releases the slides; the public pages show photo, bio and slides.
    page.goto(site.url("/admin/speakers/slides/"))
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("release")
    page.get_by_role("button", name=re.compile("Ausführen|Go")).click()
    expect(page.locator(".messagelist")).to_contain_text("Freigegeben.")
    assert Slides.objects.released().count() == 1

    me.goto(site.url(speaker.get_absolute_url()))
    assert "Leitet seit 2012" in me.locator("main").inner_text()
    assert me.locator("main picture img").count() == 1
    me.goto(site.url(session.get_absolute_url()))
    slides_link = me.get_by_role("link", name=re.compile("Folien von"))
    assert slides_link.count() == 1
    response = me.request.get(site.url(slides_link.get_attribute("href")))
    assert response.ok and response.body().startswith(b"%PDF-")

    # The same portal pages in English.
    for path in (
        "/en/my-sessions/",
        "/en/my-sessions/profile/",
        f"/en/my-sessions/slides/{session.slug}/",
    ):
        me.goto(site.url(path))
        assert me.locator("html").get_attribute("lang") == "en"
        assert_no_axe_violations(me, f"{path} (en)")
    me.goto(site.url("/en/my-sessions/profile/"))
    me.get_by_role("button", name="Preview").click()
    expect(me.locator("h1")).to_have_text("Preview of your profile")
    me.wait_for_load_state()
    assert_no_axe_violations(me, "profile preview (en)")
    context.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_invitation_problem_pages_are_accessible(site, page, prefix):
    page.goto(site.url(prefix + "/konto/einladung/kaputt/"))
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page, f"invalid invitation ({prefix or 'de'})")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    page.wait_for_load_state()
    assert_no_axe_violations(page, f"new link form with errors ({prefix or 'de'})")
    page.locator("#id_email").fill("niemand@example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_email")).to_have_count(0)
    page.wait_for_load_state()
    assert_no_axe_violations(page, f"new link sent ({prefix or 'de'})")
