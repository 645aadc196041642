"""The account emails (sent by allauth through eventsite.accounts) in the email gallery
(outbox.gallery), with invented sample data."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from outbox.gallery import register

ACCOUNTS = _("Konto")

register(
    "account-email-confirmation",
    title=_("Konto: E-Mail-Adresse bestätigen"),
    audience=ACCOUNTS,
    template="account/email_confirmation",
    sample=lambda language: {
        "email": "erika.mustermann@example.org",
        "activate_url": f"{settings.SITE_URL}/accounts/confirm-email/beispiel-link/",
    },
)
register(
    "account-password-reset",
    title=_("Konto: neues Passwort festlegen"),
    audience=ACCOUNTS,
    template="account/password_reset_key",
    sample=lambda language: {
        "password_reset_url": f"{settings.SITE_URL}/accounts/password/reset/key/beispiel-link/",
    },
)
