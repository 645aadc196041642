import markdown as markdown_lib
import nh3
from django import template
from django.urls import translate_url as django_translate_url
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "abbr",
    "blockquote",
    "code",
    "hr",
    "address",
}


@register.filter
def markdown(text: str) -> str:
    """Render organiser-written Markdown; nh3 removes anything but plain text markup.

    A line break in the admin's text box stays a line break (nl2br): organisers type
    addresses line by line, and Leichte Sprache puts every sentence on its own line."""
    html = markdown_lib.markdown(
        text or "", extensions=["sane_lists", "nl2br"], output_format="html"
    )
    return mark_safe(  # noqa: S308 - sanitised by nh3 right here
        nh3.clean(
            html, tags=ALLOWED_TAGS, attributes={"a": {"href", "hreflang"}, "abbr": {"title"}}
        )
    )


@register.simple_tag(takes_context=True)
def translate_url(context, language_code: str) -> str:
    """The current page in another language (the language switcher keeps the page)."""
    request = context.get("request")
    if request is None:
        return "/" if language_code == "de" else f"/{language_code}/"
    return django_translate_url(request.get_full_path(), language_code)
