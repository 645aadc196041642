"""The outbox's own email in the gallery: the test message of `manage.py send_test_email`."""

from django.utils.translation import gettext_lazy as _

from outbox.gallery import register

register(
    "outbox-test",
    title=_("Testnachricht (manage.py send_test_email)"),
    audience=_("Organisationsteam"),
    template="mail/test",
    sample=lambda language: {"recipient": "veranstaltung@example.org"},
)
