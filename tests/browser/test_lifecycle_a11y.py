"""The pages of issue "before and after the day" are axe-clean in both languages: the
self-service page with the certificate, the cancel confirmation reached from the
reminder, and the staff's email gallery."""

import pytest

from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.browser.test_accounts_and_admin_a11y import ADMIN_UPSTREAM_FAULTS
from tests.conftest import verified_superuser
from tests.registration.conftest import VALID

LANGUAGES = {"de": "", "en": "/en"}


@pytest.fixture
def attended_guest(site, django_user_model):
    from programme.models import Event
    from registration import certificates, checkin, services

    event = Event.objects.current()
    registration = services.submit_registration(
        event=event,
        data={**VALID, "email": "guest@example.org", "participant_list_consent": True},
        language="de",
    ).registration
    registration = services.confirm_email(token=registration.confirm_token())
    door = django_user_model.objects.create_user("door", password="ein-langes-passwort-2016")
    checkin.check_in(event=event, registration_id=registration.pk, by=door)
    certificates.issue(registrations=type(registration).objects.filter(pk=registration.pk))
    return registration


@pytest.mark.parametrize("language", ["de", "en"])
def test_self_service_with_certificate_and_cancel_page_are_accessible(
    site, page, attended_guest, language
):
    token = attended_guest.manage_token()
    page.goto(site.url(f"{LANGUAGES[language]}/anmeldung/verwalten/{token}/"))
    assert page.locator("#certificate-title").is_visible()
    assert_no_axe_violations(page, f"self-service with certificate ({language})")

    page.goto(site.url(f"{LANGUAGES[language]}/anmeldung/verwalten/{token}/stornieren/"))
    assert_no_axe_violations(page, f"cancel confirmation ({language})")

    page.goto(site.url(f"{LANGUAGES[language]}/anmeldung/verwalten/{token}/teilnehmende/"))
    assert page.locator("table caption").is_visible()
    assert_no_axe_violations(page, f"participant list ({language})")


@pytest.mark.parametrize("language", ["de", "en"])
def test_email_gallery_is_accessible(site, page, django_user_model, language):
    verified_superuser(django_user_model, "orga@example.org", "ein-langes-passwort-2016")
    log_in(
        page,
        site.url(f"{LANGUAGES[language]}/admin/login/"),
        "orga@example.org",
        "ein-langes-passwort-2016",
    )

    page.goto(site.url(f"{LANGUAGES[language]}/admin/mail/outgoingemail/gallery/"))
    assert_no_axe_violations(page, f"email gallery ({language})", ADMIN_UPSTREAM_FAULTS)
    page.goto(
        site.url(f"{LANGUAGES[language]}/admin/mail/outgoingemail/gallery/registration-reminder/")
    )
    assert page.locator("iframe").count() == 2
    assert_no_axe_violations(page, f"gallery email ({language})", ADMIN_UPSTREAM_FAULTS)
