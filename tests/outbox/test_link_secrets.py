"""Link secrets at rest: a sent email's stored body opens nothing, and the outbox admin never
shows a live personal link, while the delivered message keeps it."""

import pytest
from django.core import mail

from outbox import deliver_outbox
from outbox.models import OutgoingEmail
from registration import services
from registration.models import Registration
from tests.registration.conftest import VALID


@pytest.fixture
def confirmed(event):
    registration = services.submit_registration(
        event=event, data={**VALID, "email": "erika@example.org"}, language="de"
    ).registration
    return services.confirm_email(token=registration.confirm_token())


@pytest.mark.django_db
def test_sent_email_is_stored_without_live_link(client, confirmed):
    token = confirmed.manage_token()
    mail.outbox.clear()

    deliver_outbox()

    delivered = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert any(token in m.body for m in delivered)
    for stored in OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT):
        assert token not in stored.body_text + stored.body_html
        assert confirmed.confirm_token() not in stored.body_text + stored.body_html
    stored = OutgoingEmail.objects.get(template="registration/confirmed")
    assert "/anmeldung/verwalten/…/" in stored.body_text
    # What is left in the database opens no registration.
    leftover = stored.body_text.split("/anmeldung/verwalten/")[1].split("/")[0]
    assert not Registration.objects.by_token("manage", leftover).exists()


@pytest.mark.django_db
def test_outbox_admin_never_shows_a_live_link(admin_client, confirmed):
    token = confirmed.manage_token()
    queued = OutgoingEmail.objects.get(template="registration/confirmed")
    assert token in queued.body_text  # not yet sent: the worker still needs it

    for path in (
        f"/admin/mail/outgoingemail/{queued.pk}/change/",
        "/admin/mail/outgoingemail/",
        f"/admin/mail/outgoingemail/?q={token[:12]}",
    ):
        content = admin_client.get(path).content.decode()
        assert token not in content, path
        assert confirmed.confirm_token() not in content, path


@pytest.mark.django_db
def test_password_reset_key_is_masked_once_sent(client, django_user_model, settings):
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"  # as in production
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("s", "s@example.org", "pw-12345678")
    EmailAddress.objects.create(user=user, email="s@example.org", verified=True, primary=True)
    response = client.post("/konto/password/reset/", {"email": "s@example.org"})
    assert response.status_code == 302
    deliver_outbox()
    delivered = mail.outbox[-1].body
    link = next(w for w in delivered.split() if "/password/reset/key/" in w)
    key = link.split("/password/reset/key/")[1].strip("/")

    stored = OutgoingEmail.objects.get(recipient="s@example.org")
    assert key not in stored.body_text + stored.body_html


def test_masking_keeps_ordinary_links():
    from eventsite.redaction import mask_link_secrets

    text = (
        "https://example.org/programm/digitale-verwaltung-in-der-praxis/ "
        "https://example.org/anmeldung/verwalten/" + "a1b2c3d4" * 8 + "/ "
        "https://example.org/konto/password/reset/key/4-cr5qv1-5f1e8a3b9c0d7e2f4a6b8c0d1e3f5a7b/"
    )
    masked = mask_link_secrets(text)
    assert "https://example.org/programm/digitale-verwaltung-in-der-praxis/" in masked
    assert "https://example.org/anmeldung/verwalten/…/" in masked
    assert "a1b2c3d4" not in masked
    assert "5f1e8a3b9c0d" not in masked
