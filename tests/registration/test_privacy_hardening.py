"""Invisible characters in names, and what an old personal link shows after cancellation."""

import pytest
from django.utils import translation

from registration import services
from registration.forms import RegistrationForm
from registration.models import Registration
from tests.registration.test_views import FORM

INVISIBLE_ONLY = ["\u3164", "\u2800", "\ufffc", "\u3164\u3164 \u2800", "\u115f\u1160", "\uffa0"]


@pytest.fixture
def german():
    with translation.override("de"):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("german")
class TestInvisibleCharacters:
    @pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
    @pytest.mark.parametrize("field", ["first_name", "last_name", "organisation", "position"])
    def test_line_and_paragraph_separators_are_refused(self, event, field, separator):
        form = RegistrationForm({**FORM, field: f"Erika{separator}Mustermann"})

        assert not form.is_valid()
        assert form.errors[field] == [
            "Bitte entfernen Sie unsichtbare Steuerzeichen aus diesem Feld."
        ]

    def test_separator_refused_in_the_multiline_field_too(self, event):
        form = RegistrationForm({**FORM, "accessibility_needs": "Rampe\u2028Platz"})
        assert "accessibility_needs" in form.errors

    @pytest.mark.parametrize("value", INVISIBLE_ONLY)
    @pytest.mark.parametrize("field", ["first_name", "last_name", "organisation"])
    def test_names_of_invisible_characters_only_are_refused(self, event, field, value):
        form = RegistrationForm({**FORM, field: value})

        assert not form.is_valid()
        assert form.errors[field] == ["Bitte geben Sie hier lesbare Schriftzeichen ein."]

    def test_invisible_filler_refused_inside_a_name(self, event):
        form = RegistrationForm({**FORM, "last_name": "Muster\u3164mann"})
        assert "last_name" in form.errors

    def test_english_error_message(self, client, event):
        response = client.post("/en/anmeldung/", {**FORM, "first_name": "\u2800"})

        assert response.status_code == 400
        assert "Please enter readable characters here." in response.content.decode()
        assert not Registration.objects.exists()

    @pytest.mark.parametrize(
        "name", ["Jürgen", "Çelik-Østergaard", "李小龙", "Ngũgĩ", "O'Brien", "Zoë", "이서연"]
    )
    def test_real_names_in_any_script_still_pass(self, event, name):
        form = RegistrationForm({**FORM, "first_name": name, "last_name": name})
        assert form.is_valid(), form.errors


@pytest.mark.django_db
class TestOldLinkAfterCancellation:
    SECRET_DETAILS = {
        "first_name": "Ingeborg",
        "last_name": "Quastenflosser",
        "organisation": "Amt für Geheimes",
        "accessibility_needs": "Rollstuhlplatz",
    }

    def test_cancelled_link_shows_only_that_it_is_cancelled(self, client, confirmed_registration):
        registration = confirmed_registration("ingeborg@example.org", **self.SECRET_DETAILS)
        token = registration.manage_token()
        services.cancel(registration=registration)

        response = client.get(f"/anmeldung/verwalten/{token}/")

        content = response.content.decode()
        assert response.status_code == 200
        assert "Diese Anmeldung ist storniert." in content
        for secret in [*self.SECRET_DETAILS.values(), "ingeborg@example.org"]:
            assert secret not in content
        assert registration.entry_code_display not in content

    def test_cancelled_link_pages_for_changes_show_nothing_either(
        self, client, confirmed_registration
    ):
        registration = confirmed_registration("ingeborg@example.org", **self.SECRET_DETAILS)
        token = registration.manage_token()
        services.cancel(registration=registration)

        for page in ("aendern", "email", "stornieren"):
            response = client.get(f"/anmeldung/verwalten/{token}/{page}/", follow=True)
            content = response.content.decode()
            assert "Quastenflosser" not in content and "ingeborg@" not in content

    def test_active_link_still_shows_the_details(self, client, confirmed_registration):
        registration = confirmed_registration("ingeborg@example.org", **self.SECRET_DETAILS)

        content = client.get(f"/anmeldung/verwalten/{registration.manage_token()}/").content
        assert "Quastenflosser" in content.decode()
