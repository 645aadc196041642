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


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Already rendered (and escaped) output: mark it safe so it is not escaped twice.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}…{% endcapture %}` renders its content once into a variable,
    so base.html can use one `{% block title %}` for <title> and the Open Graph title."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def preview_image_url(event) -> str:
    """Absolute URL of the event's link-preview image in the active language."""
    from programme.exports import absolute_url
    from programme.preview_image import preview_path

    return absolute_url(preview_path(event, get_language() or "de")) if event else ""


@register.simple_tag(takes_context=True)
def session_json_ld(context, session):
    from programme.structured_data import json_ld_script, session_page

    event = context.get("event")
    return json_ld_script(session_page(session, event)) if event else ""


@register.simple_tag(takes_context=True)
def programme_json_ld(context, sessions):
    from programme.structured_data import json_ld_script, main_event

    event = context.get("event")
    if event is None:
        return ""
    return json_ld_script(main_event(event, image_url=preview_image_url(event), sessions=sessions))


@register.simple_tag
def webcal_url(path: str) -> str:
    """A calendar feed as a subscription link (webcal://): calendar apps subscribe to it and
    fetch updates, instead of importing a copy once."""
    from programme.exports import absolute_url

    return "webcal://" + absolute_url(path).split("://", 1)[1]
