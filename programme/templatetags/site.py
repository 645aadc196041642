from django import template
from django.urls import translate_url as django_translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from eventsite.markup import markdown_to_html, markdown_to_text
from eventsite.markup import quoted as quote_text

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Organiser-written Markdown as sanitised HTML (see eventsite.markup)."""
    return mark_safe(markdown_to_html(text))  # noqa: S308 - sanitised by nh3


@register.filter
def markdown_text(text: str) -> str:
    """Organiser-written Markdown as plain text, for the text part of emails."""
    return markdown_to_text(text)


@register.filter
def quoted(text: str) -> str:
    """In the current language's quotation marks, inner quotes made single (no nesting)."""
    return quote_text(text, get_language() or "de")


@register.simple_tag(takes_context=True)
def translate_url(context, language_code: str) -> str:
    """The current page in another language (the language switcher keeps the page)."""
    request = context.get("request")
    if request is None:
        return "/" if language_code == "de" else f"/{language_code}/"
    return django_translate_url(request.get_full_path(), language_code)
