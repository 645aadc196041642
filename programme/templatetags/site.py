import markdown as markdown_lib
import nh3
from django import template
from django.urls import translate_url as django_translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
