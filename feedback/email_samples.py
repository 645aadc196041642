"""The feedback invitation in the email gallery (outbox.gallery), with sample data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from feedback.services import feedback_url
from outbox.gallery import register
from programme.email_samples import sample_event
from registration.email_samples import ATTENDEES


def _invitation(language: str) -> dict:
    return {
        "greeting_name": "Dr. Erika Mustermann",
        "event": sample_event(),
        "feedback_url": feedback_url("beispiel-link", language),
    }


register(
    "feedback-invitation",
    title=_("Bitte um Rückmeldung nach der Veranstaltung"),
    audience=ATTENDEES,
    template="feedback/invitation",
    sample=_invitation,
)
