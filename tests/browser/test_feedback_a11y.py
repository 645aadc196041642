"""The anonymous feedback form (rating radios in fieldsets with legends), its thank-you
page and the organisers' results page are axe-clean in German and English."""

import pytest

from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.browser.test_accounts_and_admin_a11y import ADMIN_UPSTREAM_FAULTS
from tests.browser.test_lifecycle_a11y import LANGUAGES, attended_guest  # noqa: F401
from tests.conftest import verified_superuser
from tests.feedback.test_feedback import token_of


@pytest.fixture
def feedback_token(attended_guest):  # noqa: F811
    from feedback import services
    from outbox.models import OutgoingEmail

    services.invite(event=attended_guest.event)
    return token_of(OutgoingEmail.objects.get(template="feedback/invitation"))


@pytest.mark.parametrize("language", ["de", "en"])
def test_feedback_form_and_results_are_accessible(
    site, page, feedback_token, django_user_model, language
):
    path = "/en/feedback/" if language == "en" else "/rueckmeldung/"
    page.goto(site.url(f"{path}{feedback_token}/"))
    assert page.locator("fieldset legend").count() == 4
    assert_no_axe_violations(page, f"feedback form ({language})")

    # Keyboard and labels: the radio is reached by its label text.
    page.get_by_role("radio", name="5").first.check()
    page.locator("textarea").fill("Sehr gut organisiert.")
    page.locator("form.feedback-form button[type=submit]").click()
    assert page.locator("h1").inner_text() in {
        "Vielen Dank für Ihre Rückmeldung",
        "Thank you for your feedback",
    }
    assert_no_axe_violations(page, f"feedback thanks ({language})")

    verified_superuser(django_user_model, "orga@example.org", "ein-langes-passwort-2016")
    log_in(
        page,
        site.url(f"{LANGUAGES[language]}/admin/login/"),
        "orga@example.org",
        "ein-langes-passwort-2016",
    )
    page.goto(site.url(f"{LANGUAGES[language]}/admin/feedback/feedbackanswer/"))
    assert page.locator("svg.feedback-chart").count() == 4
    assert page.locator("table.feedback-table").count() == 4
    assert_no_axe_violations(page, f"feedback results ({language})", ADMIN_UPSTREAM_FAULTS)
