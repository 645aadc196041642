"""The documentation announcement in the email gallery (outbox.gallery), with sample data."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documentation.services import documentation_url
from outbox.gallery import register
from programme.email_samples import sample_event
from registration.email_samples import ATTENDEES


def _published(language: str) -> dict:
    with translation.override(language):
        titles = [_("Projektbericht"), _("Leitfaden („Kochbuch“)")]
    return {
        "greeting_name": "Dr. Erika Mustermann",
        "event": sample_event(),
        "titles": [str(title) for title in titles],
        "documentation_url": documentation_url(language),
    }


register(
    "documentation-published",
    title=gettext_lazy("Dokumentation veröffentlicht"),
    audience=ATTENDEES,
    template="documentation/published",
    sample=_published,
)
