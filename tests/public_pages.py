"""The public pages of the site, for tests that check every one of them."""

from django.utils import translation

from programme.models import Session, Speaker

LANGUAGE_PREFIXES = {"de": "", "en": "/en"}

FIXED_PATHS = [
    "/",
    "/anfahrt/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/programm/",
    "/referierende/",
    "/anmeldung/",
    "/anmeldung/link-vergessen/",
]


def public_paths() -> list[str]:
    """German paths of every public page, including one session and one speaker page
    (call after the programme is loaded)."""
    paths = list(FIXED_PATHS)
    session = Session.objects.order_by("start").first()
    speaker = Speaker.objects.order_by("pk").first()
    with translation.override("de"):
        if session:
            paths.append(session.get_absolute_url())
        if speaker:
            paths.append(speaker.get_absolute_url())
    return paths


def in_language(path: str, language: str) -> str:
    return LANGUAGE_PREFIXES[language] + path
