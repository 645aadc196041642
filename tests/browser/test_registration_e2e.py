"""The registration, end to end in Chromium, as a guest goes through it.

Sign up on the live server, read the email from a real SMTP server on loopback, follow its
link, confirm, edit, cancel; a full event with a waiting list and a promotion; English;
the keyboard alone; axe-core on every page of the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_errors_announced,
    assert_focus_moves_to,
    assert_focus_order_is_sensible,
    assert_no_axe_violations,
    assert_reflows,
    deliver_outbox,
    fill_form_by_keyboard,
    link_in_message,
    received_messages,
    tab_through,
    url_path,
)


@pytest.fixture
def mail_site(site, smtp_server, settings, live_server):
    """The live site, with email links pointing at it and mail going to loopback SMTP."""
    url_path("registration:form")
    settings.SITE_URL = live_server.url
    site.smtp = smtp_server
    return site


def register(page, site, *, email: str, first_name="Erika", last_name="Mustermann", prefix=""):
    page.goto(site.url(prefix + "/anmeldung/"))
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_last_name").fill(last_name)
    page.locator("#id_email").fill(email)
    page.locator("#id_organisation").fill("Stadt Musterstadt")
    page.locator("input[name='category']").first.check()
    page.locator("#id_privacy_consent").check()
    page.locator("form.registration-form button[type='submit']").click()


def link_from_latest_email(site, to: str, contains: str) -> str:
    deliver_outbox()
    messages = received_messages(site.smtp, to=to)
    assert messages, f"no email arrived for {to}"
    return link_in_message(messages[-1], contains)


def confirm_via_email(page, site, email: str) -> None:
    page.goto(link_from_latest_email(site, email, "/bestaetigen/"))
    assert_no_axe_violations(page, "confirmation page (before the click)")
    page.locator("main form button[type='submit']").click()


def test_register_confirm_edit_and_cancel(mail_site, page):
    site = mail_site

    page.goto(site.url("/anmeldung/"))
    assert_no_axe_violations(page, "registration form, empty")
    register(page, site, email="erika@example.org")
    assert page.url == site.url("/anmeldung/danke/")
    assert_no_axe_violations(page, "after sending the registration")

    confirm_via_email(page, site, "erika@example.org")
    assert "Ihre Anmeldung ist bestätigt" in page.locator("main").inner_text()
    assert_no_axe_violations(page, "registration confirmed")

    page.goto(link_from_latest_email(site, "erika@example.org", "/verwalten/"))
    main = page.locator("main")
    assert "Bestätigt: Ihr Platz ist sicher." in main.inner_text()
    assert re.search(r"Einlasscode:\s*\S+", main.inner_text())
    assert_no_axe_violations(page, "self-service page")
    assert_focus_order_is_sensible(tab_through(page), "self-service page")
    manage_url = page.url
    assert_reflows(page, manage_url)

    page.get_by_role("link", name="Angaben ändern").click()
    expect(page.locator("#id_organisation")).to_be_visible()
    page.wait_for_load_state()
    assert_no_axe_violations(page, "edit form")
    page.locator("#id_organisation").fill("Landkreis Musterland")
    page.locator("main form button[type='submit']").click()
    assert page.url == manage_url
    assert "Ihre Angaben sind gespeichert." in page.locator(".messages").inner_text()
    assert "Landkreis Musterland" in page.locator("main").inner_text()

    page.get_by_role("link", name="Anmeldung stornieren").click()
    expect(page.get_by_role("button", name="Ja, Anmeldung stornieren")).to_be_visible()
    page.wait_for_load_state()
    assert_no_axe_violations(page, "cancel page")
    page.get_by_role("button", name="Ja, Anmeldung stornieren").click()
    assert page.url == manage_url
    assert "Diese Anmeldung ist storniert." in page.locator("main").inner_text()
    assert_no_axe_violations(page, "self-service page after cancelling")


def test_form_errors_are_announced_and_accessible(mail_site, page):
    site = mail_site
    page.goto(site.url("/anmeldung/"))

    page.locator("#id_email").fill("keine-adresse")
    page.locator("form.registration-form button[type='submit']").click()

    invalid = assert_errors_announced(page)
    assert {"id_first_name", "id_last_name", "id_email", "id_privacy_consent"} <= set(invalid)
    assert page.title().startswith("Fehler")
    assert_focus_moves_to(page, "error-summary")
    assert_no_axe_violations(page, "registration form with errors")
    # What was typed stays, so nobody has to start again.
    assert page.locator("#id_email").input_value() == "keine-adresse"
    page.locator(".error-summary a[href='#id_email']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_email"


def test_full_event_waiting_list_and_promotion_after_a_cancellation(mail_site, page):
    from programme.models import Event

    site = mail_site
    Event.objects.update(capacity=1)

    register(page, site, email="erste@example.org", first_name="Anna")
    confirm_via_email(page, site, "erste@example.org")
    first_manage = link_from_latest_email(site, "erste@example.org", "/verwalten/")

    page.goto(site.url("/anmeldung/"))
    assert "Alle Plätze sind vergeben." in page.locator("main").inner_text()
    assert_no_axe_violations(page, "registration form of a full event")
    register(page, site, email="zweite@example.org", first_name="Berta")
    confirm_via_email(page, site, "zweite@example.org")
    assert "Platz 1 der Warteliste" in page.locator("main").inner_text()
    second_manage = link_from_latest_email(site, "zweite@example.org", "/verwalten/")
    page.goto(second_manage)
    assert "Sie stehen auf Platz 1 der Warteliste." in page.locator("main").inner_text()
    assert_no_axe_violations(page, "self-service page on the waiting list")

    page.goto(first_manage)
    page.get_by_role("link", name="Anmeldung stornieren").click()
    page.get_by_role("button", name="Ja, Anmeldung stornieren").click()

    deliver_outbox()
    promotion = received_messages(site.smtp, to="zweite@example.org")[-1]
    assert "Ein Platz ist frei geworden" in promotion["Subject"]
    page.goto(second_manage)
    assert "Bestätigt: Ihr Platz ist sicher." in page.locator("main").inner_text()


def test_registration_in_english_keeps_the_language_throughout(mail_site, page):
    site = mail_site
    page.goto(site.url("/anmeldung/"))
    page.locator(".language-switch a[hreflang='en']").click()
    page.wait_for_url(site.url("/en/anmeldung/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_axe_violations(page, "registration form in English")

    register(page, site, email="jane@example.org", first_name="Jane", prefix="/en")
    page.wait_for_url(site.url("/en/anmeldung/danke/"))

    confirm_link = link_from_latest_email(site, "jane@example.org", "/bestaetigen/")
    assert confirm_link.startswith(site.url("/en/anmeldung/bestaetigen/"))
    page.goto(confirm_link)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("main form button[type='submit']").click()
    expect(page.locator("h1")).to_have_text("Your registration is confirmed")
    page.wait_for_load_state()
    assert_no_axe_violations(page, "confirmed, in English")

    page.goto(link_from_latest_email(site, "jane@example.org", "/verwalten/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_axe_violations(page, "self-service page in English")
    page.locator(".language-switch a[hreflang='de']").click()
    page.wait_for_url(lambda url: "/en/" not in url)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Ihre Anmeldung"


def test_registration_with_the_keyboard_alone(mail_site, page):
    site = mail_site
    page.goto(site.url("/"))

    # From the home page to the form: Tab to the call to action, Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href')") == "/anmeldung/":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url("/anmeldung/")

    fill_form_by_keyboard(
        page,
        {
            "^Vorname": "Erika",
            "^Nachname": "Mustermann",
            "^E-Mail-Adresse": "tastatur@example.org",
            "^Organisation": "Stadt Musterstadt",
            "^Kommunalverwaltung": True,
            "Datenschutzhinweise": True,
        },
        submit="Verbindlich anmelden",
    )

    page.wait_for_url(site.url("/anmeldung/danke/"))
    deliver_outbox()
    assert received_messages(site.smtp, to="tastatur@example.org")


def test_lost_link_page_is_accessible(mail_site, page):
    site = mail_site
    page.goto(site.url("/anmeldung/link-vergessen/"))
    assert_no_axe_violations(page, "lost link form")
    page.locator("main form button[type='submit']").click()
    assert_errors_announced(page)
    assert_no_axe_violations(page, "lost link form with errors")
