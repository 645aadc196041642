"""Property-based: whatever is posted to the sign-up form, the answer is a redirect to the
thank-you page with one complete registration, or a 4xx with nothing stored. Never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registration import services
from registration.models import Registration

FIELDS = [
    "salutation",
    "academic_title",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "position",
    "category",
    "model_municipality",
    "accessibility_needs",
    "privacy_consent",
    "participant_list_consent",
    "website",
]
CHOICES = {
    "salutation": ["", "ms", "mr", "x"],
    "category": ["federal", "model_municipality", "press", "other", "", "nonsense"],
    "model_municipality": ["", "guetersloh", "ortenaukreis", "atlantis"],
    "privacy_consent": ["on", "", "false"],
}

any_text = st.text(max_size=300) | st.text(
    alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30
)
emails = st.emails() | any_text


def field_value(name):
    if name == "email":
        return emails
    if name in CHOICES:
        return st.sampled_from(CHOICES[name]) | any_text
    return any_text


form_data = st.fixed_dictionaries(
    {},
    optional={name: field_value(name) for name in FIELDS}
    | {"unexpected": any_text, "csrfmiddlewaretoken": any_text},
)


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=form_data, english=st.booleans())
def test_arbitrary_posts_never_fail_and_never_half_save(client, event, monkeypatch, data, english):
    monkeypatch.setattr(services, "RATE_LIMIT_PER_EMAIL", 10_000)
    monkeypatch.setattr(services, "RATE_LIMIT_PER_IP", 10_000)
    # Null bytes cannot travel in a form post; the test client refuses them itself.
    data = {key: value.replace("\x00", "") for key, value in data.items()}
    before = Registration.objects.count()

    response = client.post("/en/anmeldung/" if english else "/anmeldung/", data)

    assert response.status_code < 500
    after = Registration.objects.count()
    if response.status_code == 302:
        assert after - before in (0, 1)  # 0: honeypot or the address was registered already
        if after > before:
            registration = Registration.objects.order_by("-pk").first()
            assert registration.first_name.strip()
            assert registration.last_name.strip()
            assert registration.organisation.strip()
            assert "@" in registration.email
            assert registration.privacy_consented_at is not None
            registration.full_clean(validate_unique=False, validate_constraints=True)
    else:
        assert 400 <= response.status_code < 500
        assert after == before
