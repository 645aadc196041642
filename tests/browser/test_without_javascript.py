"""The key flows in a browser with JavaScript switched off.

Some guests browse with JavaScript off (strict security settings, old assistive software,
text browsers); the site promises that everything works for them."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    deliver_outbox,
    link_in_message,
    received_messages,
    url_path,
)
from tests.conftest import verified_superuser


def test_javascript_is_really_off(nojs_page):
    nojs_page.set_content(
        "<title>aus</title><script>document.title = 'an'</script>"
        "<noscript><p id='off'>Skripte sind aus</p></noscript>"
    )
    assert nojs_page.title() == "aus"
    assert nojs_page.locator("#off").is_visible()


@pytest.mark.parametrize(
    "path", ["/", "/anfahrt/", "/programm/", "/referierende/", "/anmeldung/", "/barrierefreiheit/"]
)
def test_public_pages_show_their_content_and_navigation(site, nojs_page, path):
    response = nojs_page.goto(site.url(path))

    assert response.status == 200
    assert nojs_page.locator("h1").inner_text().strip()
    nojs_page.locator(".language-switch a[hreflang='en']").click()
    assert nojs_page.url == site.url("/en" + path)


def test_registration_works_without_javascript(site, nojs_page, smtp_server, settings, live_server):
    url_path("registration:form")
    settings.SITE_URL = live_server.url
    page = nojs_page

    page.goto(site.url("/anmeldung/"))
    page.locator("form.registration-form button[type='submit']").click()
    # Server-side validation, summary focused by autofocus: no script needed.
    assert page.locator(".error-summary").count() == 1

    page.locator("#id_first_name").fill("Otto")
    page.locator("#id_last_name").fill("Ohnescript")
    page.locator("#id_email").fill("otto@example.org")
    page.locator("#id_organisation").fill("Gemeinde Musterdorf")
    page.locator("input[name='category']").first.check()
    page.locator("#id_privacy_consent").check()
    page.locator("form.registration-form button[type='submit']").click()
    assert page.url == site.url("/anmeldung/danke/")

    deliver_outbox()
    message = received_messages(smtp_server, to="otto@example.org")[-1]
    page.goto(link_in_message(message, "/bestaetigen/"))
    page.locator("main form button[type='submit']").click()
    expect(page.locator("main")).to_contain_text("bestätigt")

    deliver_outbox()
    message = received_messages(smtp_server, to="otto@example.org")[-1]
    page.goto(link_in_message(message, "/verwalten/"))
    page.get_by_role("link", name="Anmeldung stornieren").click()
    page.get_by_role("button", name="Ja, Anmeldung stornieren").click()
    expect(page.locator("main")).to_contain_text("Diese Anmeldung ist storniert.")


def test_login_works_without_javascript(site, nojs_page, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(
        username="orga", email="orga@example.org", password="ein-langes-passwort-2016"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = nojs_page
    page.goto(site.url("/konto/login/"))
    page.get_by_label("E-Mail").fill("orga@example.org")
    page.get_by_label(re.compile("^Passwort")).fill("ein-langes-passwort-2016")
    page.get_by_role("button", name="Einloggen").click()
    assert page.url == site.url("/")


def test_admin_guest_list_works_without_javascript(site, nojs_page, django_user_model):
    verified_superuser(django_user_model, "orga@example.org", "ein-langes-passwort-2016")
    page = nojs_page
    page.goto(site.url("/admin/login/"))
    page.get_by_label(re.compile("E-Mail", re.I)).fill("orga@example.org")
    page.get_by_label(re.compile("^Passwort")).fill("ein-langes-passwort-2016")
    page.get_by_role("button").last.click()
    response = page.goto(site.url("/admin/registration/registration/"))
    assert response.status == 200
    assert page.locator("#changelist").count() == 1
