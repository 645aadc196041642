"""Titles and descriptions of documents in German and English (django-modeltranslation);
an empty English field falls back to German."""

from modeltranslation.translator import TranslationOptions, register

from documentation.models import Document


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("de",)
