"""The mailing (Rundschreiben) in the email gallery (outbox.gallery), with invented text.

Organisers write a mailing's text in each language themselves, so the sample holds both."""

from django.utils.translation import gettext_lazy as _

from outbox.gallery import register
from programme.email_samples import sample_event

TEXTS = {
    "de": (
        "Hinweise zur Anreise",
        "Guten Tag Dr. Erika Mustermann,\n\ndie Veranstaltung beginnt um 9:30 Uhr. "
        "Bitte planen Sie etwas Zeit für den Einlass ein.",
    ),
    "en": (
        "Travel information",
        "Dear Dr. Erika Mustermann,\n\nthe event starts at 9:30. "
        "Please allow some time for admission.",
    ),
}


def _mailing(language: str) -> dict:
    subject, body = TEXTS.get(language, TEXTS["de"])
    return {"subject": subject, "body": body, "event": sample_event()}


register(
    "mailings-mailing",
    title=_("Rundschreiben (Beispieltext)"),
    audience=_("Teilnehmende"),
    template="mailings/mailing",
    sample=_mailing,
)
