"""German and English for every text visitors see (django-modeltranslation).

German is the default; an empty English field falls back to German.
"""

from modeltranslation.translator import TranslationOptions, register

from programme.models import Event, Page, Session, Speaker


@register(Event)
class EventTranslation(TranslationOptions):
    fields = (
        "title",
        "short_title",
        "subtitle",
        "description",
        "hosts",
        "venue_name",
        "public_transport",
        "entry_note",
        "venue_accessibility",
    )
    required_languages = ("de",)


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("de",)


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("position", "organisation", "bio")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "abstract", "location")
    required_languages = {"de": ("title",)}
