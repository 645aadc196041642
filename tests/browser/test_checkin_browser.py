"""The door in a real browser: live search, one tap, offline work and the sync afterwards,
two offline devices checking in the same guest, axe in every state of the page and of
the walk-in form."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission, User
from django.core.signals import request_started
from django.test import Client
from playwright.sync_api import expect

from programme.models import Event
from registration import services
from registration.models import CheckIn, Registration
from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.registration.conftest import VALID


def _guest(email, first, last, organisation="Stadt Musterstadt"):
    event = Event.objects.current()
    registration = services.submit_registration(
        event=event,
        data={
            **VALID,
            "email": email,
            "first_name": first,
            "last_name": last,
            "organisation": organisation,
        },
        language="de",
    ).registration
    return services.confirm_email(token=registration.confirm_token())


def _door_user(name):
    user = User.objects.create_user(
        name,
        email=f"{name}@example.org",
        password="door-pass-2016",
        first_name=name.title(),
        is_staff=True,
    )
    # The account login is by e-mail address and asks for a confirmed one.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    # Live-server tests flush the database, and with it the group the migration made.
    group, _created = Group.objects.get_or_create(name="Einlass")
    group.permissions.add(Permission.objects.get(codename="check_in"))
    user.groups.add(group)
    return user


def _device(browser, site, user):
    """A phone of the door staff, logged in as `user`."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.base}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site.url("/checkin/"))
    expect(page.locator("#door-age")).to_contain_text("Gästeliste von")
    return context, page


@pytest.fixture
def guests(site):
    return {
        "erika": _guest("erika@example.org", "Erika", "Müßig", "Stadt Düren"),
        "jorg": _guest("jorg@example.org", "Jörg", "Çelik", "Landkreis Cochem-Zell"),
    }


def _check_in(page, query, name):
    page.locator("#door-q").fill(query)
    item = page.locator("#door-results li", has_text=name)
    item.get_by_role("button", name=re.compile("Einlassen")).click()
    expect(page.locator("#door-result")).to_contain_text("EINLASS")


def test_door_staff_log_in_at_the_admin_login_and_land_on_the_door(site, page, guests):
    _door_user("anna")
    log_in(page, site.url("/checkin/"), "anna@example.org", "door-pass-2016")
    expect(page).to_have_url(re.compile("/checkin/$"))
    expect(page.locator("#door-counter")).to_contain_text("0 von 2 eingelassen")


def test_live_search_one_tap_and_already_checked_in(site, browser, guests):
    context, page = _device(browser, site, _door_user("anna"))
    assert_no_axe_violations(page, "door, empty")

    page.locator("#door-q").fill("düren")
    expect(page.locator("#door-results li")).to_have_count(1)
    expect(page.locator("#door-results")).to_contain_text("Erika Müßig")
    assert_no_axe_violations(page, "door, results")

    _check_in(page, "düren", "Erika Müßig")
    expect(page.locator("#door-counter")).to_contain_text("1 von 2 eingelassen")
    expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
    assert_no_axe_violations(page, "door, admitted")
    assert Registration.objects.get(pk=guests["erika"].pk).checked_in_at is not None

    # The code read out with a hyphen, typed in lower case: the guest is in already.
    page.locator("#door-q").fill(guests["erika"].entry_code_display.lower())
    expect(page.locator("#door-results")).to_contain_text("SCHON EINGELASSEN")
    expect(page.locator("#door-results .door-admit")).to_have_count(0)
    assert_no_axe_violations(page, "door, already checked in")

    # Undo (a plain form, online).
    page.get_by_role("button", name=re.compile("Einlass rückgängig machen")).click()
    expect(page.locator("#door-result")).to_contain_text("RÜCKGÄNGIG")
    assert Registration.objects.get(pk=guests["erika"].pk).checked_in_at is None
    assert_no_axe_violations(page, "door, undone")
    context.close()


def test_refused_guest_shows_the_reason(site, browser, guests):
    services.cancel(registration=guests["jorg"])
    context, page = _device(browser, site, _door_user("anna"))
    page.locator("#door-q").fill("Çelik")
    expect(page.locator("#door-results")).to_contain_text(
        "KEIN EINLASS Die Anmeldung ist storniert."
    )
    expect(page.locator("#door-results .door-admit")).to_have_count(0)
    assert_no_axe_violations(page, "door, refused")
    context.close()


def test_offline_check_ins_are_queued_and_arrive_once(site, browser, guests):
    context, page = _device(browser, site, _door_user("anna"))
    context.set_offline(True)
    expect(page.locator("#door-online")).to_contain_text("Offline")

    _check_in(page, "Müßig", "Erika Müßig")
    expect(page.locator("#door-result")).to_contain_text("offline gespeichert")
    _check_in(page, "Çelik", "Jörg Çelik")
    expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 2")
    expect(page.locator("#door-counter")).to_contain_text("2 von 2 eingelassen")
    assert_no_axe_violations(page, "door, offline with a queue")
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()

    # A reload while offline still has the list and the queue (the page itself is cached
    # by nothing, so reload only once the network is back).
    context.set_offline(False)
    expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
    expect(page.locator("#door-online")).to_have_text("Online")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2
    assert CheckIn.objects.filter(outcome=CheckIn.Outcome.CHECKED_IN).count() == 2

    # Sending again (the queue was resent by another timer) changes nothing.
    page.reload()
    expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
    assert CheckIn.objects.count() == 2
    context.close()


def _wait_for_service_worker(page):
    """Until the door's service worker controls the page and has cached it."""
    # (Predicates written as functions: a bare expression would need eval, which the
    # door's strict CSP refuses.)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    for _attempt in range(50):
        cached = page.evaluate(
            "() => caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
            ".then(c => c.match(location.pathname))))).then(found => found.some(Boolean))"
        )
        if cached:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never cached the door page")


def test_reload_while_offline_keeps_the_door_usable_and_the_check_in_arrives_once(
    site, browser, guests
):
    requests = []

    def record(sender, environ, **kwargs):
        requests.append(environ["PATH_INFO"])

    request_started.connect(record)
    try:
        context, page = _device(browser, site, _door_user("anna"))
        _wait_for_service_worker(page)
        page.wait_for_load_state("networkidle")

        context.set_offline(True)
        requests.clear()
        response = page.reload()

        assert response.from_service_worker
        # The page refreshes its guest list on a timer: a refresh sent just before the
        # switch may still reach the server after it. The page and its files must not.
        reached = [path for path in requests if not path.endswith("/gaesteliste.json")]
        assert reached == [], "the reload reached the server although the device is offline"
        expect(page.locator("#door-online")).to_contain_text("Offline")
        expect(page.locator("#door-age")).to_contain_text("Gästeliste von")
        # Styles and scripts came from the cache as well.
        assert page.evaluate("typeof window.jsQR") == "function"
        assert page.evaluate("[...document.styleSheets].every(sheet => sheet.cssRules.length > 0)")
        expect(page.locator("#door-counter")).to_contain_text("0 von 2 eingelassen")
        _check_in(page, "Müßig", "Erika Müßig")
        expect(page.locator("#door-result")).to_contain_text("offline gespeichert")
        expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 1")
        assert_no_axe_violations(page, "door, reloaded offline")
        assert not Registration.objects.filter(checked_in_at__isnull=False).exists()

        context.set_offline(False)
        expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
        expect(page.locator("#door-online")).to_have_text("Online")
        erika = Registration.objects.get(pk=guests["erika"].pk)
        assert erika.checked_in_at is not None
        assert CheckIn.objects.filter(outcome=CheckIn.Outcome.CHECKED_IN).count() == 1

        # Online again, the reload comes from the server, and the queue stays sent once.
        requests.clear()
        page.reload()
        expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
        assert "/checkin/" in requests
        assert CheckIn.objects.count() == 1
        context.close()
    finally:
        request_started.disconnect(record)


def test_offline_reload_never_shows_an_earlier_guests_result(site, browser, guests):
    """The door page the service worker keeps is the empty page: a result shown after a
    plain form (an undo, a check-in without the script) names a guest and is news once,
    so a reload while offline must not show it again as if it had just happened."""
    from django.contrib.sessions.backends.db import SessionStore

    context, page = _device(browser, site, _door_user("anna"))
    _wait_for_service_worker(page)
    page.wait_for_load_state("networkidle")
    # What the undo form leaves for the door page it redirects to (checkin_views.undo).
    (session_key,) = [c["value"] for c in context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=session_key)
    session["door_result"] = {
        "outcome": "undone",
        "name": "Erika Müßig",
        "message": "Einlass rückgängig gemacht.",
    }
    session.save()
    page.goto(site.url("/checkin/"))
    expect(page.locator("#door-result")).to_contain_text("Erika Müßig")
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    response = page.reload()

    assert response.from_service_worker
    expect(page.locator("#door-online")).to_contain_text("Offline")
    expect(page.locator("#door-result")).not_to_contain_text("Erika Müßig")
    expect(page.locator("#door-result")).not_to_contain_text("RÜCKGÄNGIG")
    cached = page.evaluate(
        "() => caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
        ".then(c => c.match(location.pathname)).then(r => r ? r.text() : ''))))"
        ".then(texts => texts.join(''))"
    )
    assert "Erika Müßig" not in cached
    context.close()


def test_two_offline_devices_one_guest_arrives_once_with_the_earliest_time(site, browser, guests):
    anna, ben = _door_user("anna"), _door_user("ben")
    context_a, page_a = _device(browser, site, anna)
    context_b, page_b = _device(browser, site, ben)
    context_a.set_offline(True)
    context_b.set_offline(True)

    _check_in(page_a, "Müßig", "Erika Müßig")
    page_a.wait_for_timeout(1100)
    _check_in(page_b, "Müßig", "Erika Müßig")
    queue_a = page_a.evaluate("JSON.parse(localStorage.getItem('door.queue'))")
    earliest = datetime.datetime.fromisoformat(queue_a[0]["at"].replace("Z", "+00:00"))

    # The later device comes back first, then the earlier one.
    context_b.set_offline(False)
    expect(page_b.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
    context_a.set_offline(False)
    expect(page_a.locator("#door-queued")).to_have_text("Warten auf Senden: 0")

    erika = Registration.objects.get(pk=guests["erika"].pk)
    assert erika.checked_in_at == earliest
    assert erika.checked_in_by == anna
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1
    expect(page_a.locator("#door-result")).to_contain_text("KONFLIKT")
    expect(page_a.locator("#door-result")).to_contain_text("die frühere Zeit")
    assert_no_axe_violations(page_a, "door, conflict")

    # Device B learns of it on its next refresh: the guest shows as in, by Anna.
    page_b.reload()
    page_b.locator("#door-q").fill("Müßig")
    expect(page_b.locator("#door-results")).to_contain_text("von Anna")
    context_a.close()
    context_b.close()


def test_logout_wipes_the_snapshot_and_the_queue(site, browser, guests):
    context, page = _device(browser, site, _door_user("anna"))
    assert page.evaluate("localStorage.getItem('door.snapshot')") is not None
    _wait_for_service_worker(page)
    assert page.evaluate("caches.keys()") != []
    page.get_by_role("button", name="Abmelden").click()
    # /admin/login/ sends the browser on to the account login; nothing of the door is left.
    expect(page).to_have_url(re.compile("/konto/login/"))
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [key for key in keys if key.startswith("door.")], keys
    # The cached page and the service worker are gone too.
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    context.close()


def test_door_without_javascript(site, browser, guests):
    client = Client()
    client.force_login(_door_user("anna"))
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.base}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site.url("/checkin/"))
    page.locator("#door-q").fill("Müßig")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("button", name=re.compile("Einlassen")).click()
    expect(page.locator("#door-result")).to_contain_text("EINLASS")
    expect(page.locator("#door-counter")).to_contain_text("1 von 2 eingelassen")
    # (axe needs JavaScript; it checks the same markup in the tests above.)
    context.close()


@pytest.mark.parametrize(
    ("prefix", "heading", "refusal", "full", "done"),
    [
        ("", "Person ohne Anmeldung aufnehmen", "Fehler:", "Es ist kein Platz frei", "EINLASS"),
        ("/en", "Register a person without registration", "Error:", "No seat is free", "ADMIT"),
    ],
)
def test_walk_in_form_is_accessible_empty_with_errors_and_after_success(
    site, browser, guests, prefix, heading, refusal, full, done
):
    context, page = _device(browser, site, _door_user("anna"))
    page.goto(site.url(f"{prefix}/checkin/neu/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page, f"walk-in form {prefix or 'de'}, empty")

    # Sent empty: every required field says what is missing, summarised at the top.
    page.locator("form.registration-form button[type=submit]").click()
    expect(page).to_have_title(re.compile(f"^{refusal}"))
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("[name=last_name]")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, f"walk-in form {prefix or 'de'}, with errors")

    page.locator("[name=first_name]").fill("Zoë")
    page.locator("[name=last_name]").fill("Weiß")
    page.locator("[name=email]").fill("zoe@example.org")
    page.locator("[name=organisation]").fill("Hochschule Harz")
    page.locator("[name=category][value=science]").check()
    page.locator("[name=privacy_consent]").check()
    # The two seats are taken: the form keeps what was typed and says why.
    services.set_capacity(event=Event.objects.current(), capacity=2)
    page.locator("form.registration-form button[type=submit]").click()
    expect(page).to_have_title(re.compile(f"^{refusal}"))
    expect(page.locator("#error-summary")).to_contain_text(full)
    expect(page.locator("[name=last_name]")).to_have_value("Weiß")
    assert_no_axe_violations(page, f"walk-in form {prefix or 'de'}, no seat free")

    services.set_capacity(event=Event.objects.current(), capacity=3)
    page.locator("[name=privacy_consent]").check()
    page.locator("form.registration-form button[type=submit]").click()
    expect(page.locator(".door-result")).to_contain_text(done)
    expect(page.locator(".ticket")).to_contain_text("Zoë Weiß")
    assert_no_axe_violations(page, f"walk-in {prefix or 'de'}, after success")
    assert Registration.objects.get(email="zoe@example.org").checked_in_at is not None
    context.close()
