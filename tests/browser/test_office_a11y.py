"""The organisers' office pages (dashboard, mailings, audit trail, access export) are
axe-clean with real data in them, in German and English."""

import pytest

from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.conftest import verified_superuser


@pytest.fixture
def office(site, page, django_user_model):
    from mailings.models import Mailing
    from mailings.services import send
    from programme.models import Event
    from registration import services

    verified_superuser(django_user_model, "orga@example.org", "ein-langes-passwort-2016")
    event = Event.objects.current()
    services.set_capacity(event=event, capacity=2)
    people = []
    for i, (category, municipality) in enumerate(
        [("federal", ""), ("model_municipality", "dueren"), ("science", ""), ("press", "")]
    ):
        registration = services.submit_registration(
            event=event,
            language="en" if i == 1 else "de",
            data={
                "salutation": "ms",
                "academic_title": "",
                "first_name": "Erika",
                "last_name": f"Muster{i}",
                "email": f"erika{i}@example.org",
                "organisation": "Stadt Musterstadt",
                "position": "",
                "category": category,
                "model_municipality": municipality,
                "accessibility_needs": "",
                "participant_list_consent": False,
            },
        ).registration
        people.append(services.confirm_email(token=registration.confirm_token()))
    draft = Mailing.objects.create(
        event=event,
        subject_de="Hinweise",
        body_de="{anrede},\n\nbis bald: {link}",
        subject_en="Notes",
        body_en="{anrede},\n\nsee you: {link}",
    )
    sent = Mailing.objects.create(
        event=event,
        subject_de="Gesendet",
        body_de="{anrede}",
        subject_en="Sent",
        body_en="{anrede}",
    )
    send(mailing=sent, user=None)
    services.set_capacity(event=event, capacity=3)  # someone moves up: a newcomer to `sent`
    log_in(page, site.url("/admin/login/"), "orga@example.org", "ein-langes-passwort-2016")
    return {"page": page, "draft": draft, "sent": sent, "people": people}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_office_pages_are_accessible(site, office, prefix):
    page = office["page"]
    registration = office["people"][0]
    for path in [
        "/admin/",
        "/admin/registration/registration/dashboard/",
        "/admin/mailings/mailing/",
        "/admin/mailings/mailing/add/",
        f"/admin/mailings/mailing/{office['draft'].pk}/change/",
        f"/admin/mailings/mailing/{office['draft'].pk}/test/",
        f"/admin/mailings/mailing/{office['draft'].pk}/senden/",
        f"/admin/mailings/mailing/{office['sent'].pk}/change/",
        f"/admin/mailings/mailing/{office['sent'].pk}/nachsenden/",
        "/admin/audit/auditentry/",
        f"/admin/registration/registration/{registration.pk}/change/",
        f"/admin/registration/registration/{registration.pk}/auskunft/",
    ]:
        response = page.goto(site.url(prefix + path))
        assert response.status == 200, f"{path} answered {response.status}"
        assert_no_axe_violations(page, prefix + path)


def test_newcomers_button_is_reachable_by_keyboard_and_asks_before_sending(site, office):
    page = office["page"]
    page.goto(site.url(f"/admin/mailings/mailing/{office['sent'].pk}/change/"))
    button = page.get_by_role("link", name="An die neu Hinzugekommenen senden …")
    assert "Seit dem Versand ist 1 Person hinzugekommen." in page.content()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/nachsenden/")
    assert "gehört 1 Person zu den Empfängern" in page.content()
    page.get_by_role("button", name="Ja, jetzt senden").click()
    page.wait_for_url(f"**/mailings/mailing/{office['sent'].pk}/change/")
    assert "für 1 weitere Person eingereiht" in page.content()
    assert page.get_by_role("link", name="An die neu Hinzugekommenen senden …").count() == 0


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_list_of_mailings_shows_every_column_on_a_laptop_screen(site, office, prefix):
    page = office["page"]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.url(prefix + "/admin/mailings/mailing/"))
    results = page.locator("#changelist .results")
    # No column hidden behind a horizontal scroll bar beside the filters.
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.locator("td.field-newcomer_count").first.is_visible()


def test_dashboard_chart_has_a_text_alternative_and_a_table(site, office):
    page = office["page"]
    page.goto(site.url("/admin/registration/registration/dashboard/"))
    chart = page.locator("svg.day-chart")
    assert chart.get_attribute("role") == "img"
    assert "Anmeldungen pro Tag" in page.locator("#day-chart-title").text_content()
    assert page.locator("table.dashboard-table caption").first.is_visible()
