"""The guest list in a real browser: the list with its seat summary, the confirmation pages
of the actions and a registration's form are free of WCAG 2.1 AA violations (axe-core),
and cancelling works end to end with the keyboard-reachable controls."""

import re
from pathlib import Path

import pytest

from registration import services
from registration.models import Registration
from tests.browser.helpers import assert_no_axe_violations, assert_reflows
from tests.conftest import requires_chromium, verified_superuser

pytestmark = [requires_chromium, pytest.mark.browser]

PASSWORD = "ein-langes-passwort-2016"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def guests(transactional_db, live_server, event, register, confirmed_registration):
    services.set_capacity(event=event, capacity=2)
    return {
        "anna": confirmed_registration("anna@example.org", first_name="Anna", last_name="Ärger"),
        "bernd": register("bernd@example.org", first_name="Bernd", last_name="Bäcker"),
        "clara": confirmed_registration("clara@example.org", first_name="Clara", last_name="Çelik"),
    }


@pytest.fixture
def organiser(live_server, page, django_user_model):
    verified_superuser(django_user_model, "orga@example.org", PASSWORD)
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label(re.compile("E-Mail", re.I)).fill("orga@example.org")
    page.get_by_label(re.compile("^Passwort")).fill(PASSWORD)
    page.get_by_role("button").last.click()
    return page


def choose_action(page, names, action_label):
    for name in names:
        page.get_by_role("row", name=re.compile(name)).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.get_by_role("button", name=re.compile("Ausführen")).click()


def test_guest_list_and_cancel_flow_are_accessible(live_server, guests, organiser):
    page = organiser
    url = live_server.url + "/admin/registration/registration/"
    page.goto(url)

    summary = page.get_by_role("table", name=re.compile("Plätze für"))
    assert summary.get_by_role("rowheader", name="Warteliste").is_visible()
    assert_no_axe_violations(page, "guest list")
    assert_reflows(page, url)

    choose_action(page, ["Anna Ärger"], "Ausgewählte Anmeldungen stornieren")
    assert "Anna Ärger" in page.locator("#content").inner_text()
    assert_no_axe_violations(page, "cancel confirmation")
    page.get_by_role("button", name="Ja, stornieren").click()

    assert "Anna Ärger" in page.locator(".messagelist").inner_text()
    guests["anna"].refresh_from_db()
    assert guests["anna"].status == Registration.Status.CANCELLED


def test_waiting_list_confirmation_and_change_form_are_accessible(live_server, guests, organiser):
    page = organiser
    page.goto(live_server.url + "/admin/registration/registration/")

    choose_action(page, ["Clara Çelik"], "Von der Warteliste bestätigen (außer der Reihe)")
    assert page.get_by_label(re.compile("Zahl der Plätze")).is_visible()
    assert_no_axe_violations(page, "confirm from waiting list")

    page.goto(live_server.url + f"/admin/registration/registration/{guests['anna'].pk}/change/")
    assert_no_axe_violations(page, "registration change form")


def test_search_then_download_the_filtered_list_with_the_keyboard(live_server, guests, organiser):
    page = organiser
    page.goto(live_server.url + "/admin/registration/registration/")
    search = page.locator("#searchbar")
    search.fill("Ärger")
    search.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q="))

    downloads = page.get_by_role("region", name="Gefilterte Liste herunterladen")
    assert "1 Anmeldung," in downloads.inner_text()
    assert_no_axe_violations(page, "guest list searched, with downloads")
    link = downloads.get_by_role("link", name="Gästeliste (CSV, für Excel)")
    link.focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value

    assert download.suggested_filename.startswith("gaesteliste-")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    assert "Ärger" in text
    assert "Bäcker" not in text
    assert "Çelik" not in text
