"""Reserved seats in Chromium: an invitation email read from a loopback SMTP server leads
to the form with the code filled in, and its holder gets a seat although the public pool
is full; the form's code and press states pass axe in both languages."""

import pytest

from programme.models import Event
from registration import services
from registration.models import Contingent, InvitationCode, Registration
from tests.browser.helpers import (
    assert_no_axe_violations,
    deliver_outbox,
    link_in_message,
    received_messages,
    url_path,
)
from tests.registration.conftest import VALID


@pytest.fixture
def full_public_pool(site, smtp_server, settings, live_server):
    url_path("registration:form")
    settings.SITE_URL = live_server.url
    site.smtp = smtp_server
    event = Event.objects.current()
    event.capacity = 3
    event.save()
    ministry = Contingent.objects.create(event=event, name="BMI", seats=1)
    for number in range(2):
        registration = services.submit_registration(
            event=event, data={**VALID, "email": f"p{number}@example.org"}, language="de"
        ).registration
        services.confirm_email(token=registration.confirm_token())
    return site, ministry


@pytest.mark.parametrize("language,prefix", [("de", ""), ("en", "/en")])
def test_invitation_email_to_a_seat_when_the_public_pool_is_full(
    full_public_pool, page, language, prefix
):
    site, ministry = full_public_pool
    code = InvitationCode.objects.create(
        contingent=ministry,
        recipient_name="Dr. Eva Beispiel",
        recipient_email="eva@example.org",
        language=language,
    )
    services.send_invitations(codes=InvitationCode.objects.filter(pk=code.pk))
    deliver_outbox()
    [invitation] = received_messages(site.smtp, to="eva@example.org")

    page.goto(link_in_message(invitation, "code="))

    assert page.locator("#id_invitation_code").input_value() == code.code
    assert_no_axe_violations(page, f"form with an invitation code ({language})")
    page.locator("#id_first_name").fill("Eva")
    page.locator("#id_last_name").fill("Beispiel")
    page.locator("#id_email").fill("eva@example.org")
    page.locator("#id_organisation").fill("Bundesministerium des Innern")
    page.locator("input[name='category'][value='federal']").check()
    page.locator("#id_privacy_consent").check()
    page.locator("form.registration-form button[type='submit']").click()
    page.wait_for_url(lambda url: "code=" not in url)

    eva = Registration.objects.get(email="eva@example.org")
    assert eva.contingent == ministry
    assert eva.status == Registration.Status.HELD  # a seat although the public pool is full


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_wrong_code_and_missing_media_outlet_are_announced_accessibly(site, page, prefix):
    url_path("registration:form")
    page.goto(site.url(prefix + "/anmeldung/?code=FALSCHERCODE"))
    page.locator("#id_first_name").fill("Max")
    page.locator("#id_last_name").fill("Presse")
    page.locator("#id_email").fill("max@example.org")
    page.locator("#id_organisation").fill("Tageszeitung")
    page.locator("input[name='category'][value='press']").check()
    page.locator("#id_privacy_consent").check()
    page.locator("form.registration-form button[type='submit']").click()

    assert page.locator("#id_media_outlet_error").is_visible()
    assert_no_axe_violations(page, f"press form with errors ({prefix or 'de'})")
    page.locator("#id_media_outlet").fill("Tageszeitung")
    page.locator("form.registration-form button[type='submit']").click()

    assert page.locator("#id_invitation_code_error").is_visible()
    assert_no_axe_violations(page, f"form with a wrong code ({prefix or 'de'})")
    assert Registration.objects.count() == 0
