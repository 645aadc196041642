from modeltranslation.translator import TranslationOptions, register

from speakers.models import SpeakerNote


@register(SpeakerNote)
class SpeakerNoteTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("de",)
