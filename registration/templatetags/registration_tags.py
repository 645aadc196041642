from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from registration.codes import entry_qr_data_uri

register = template.Library()

# The empty sign-up form's fields, rendered, by language. Filled as visitors come; each
# process keeps its own, so a deploy (new templates, new translations) starts afresh.
_empty_sign_up_fields: dict[str, str] = {}


@register.simple_tag
def sign_up_fields(form):
    """The fieldsets of the sign-up form.

    An empty form looks the same to everyone who reads it in one language, and rendering
    its sixteen fields was most of the CPU of the sign-up page, which every registrant
    of a rush loads before posting (docs/performance.md). So the empty form is rendered
    once per language and process. A form with input, errors or a code from an
    invitation link is rendered each time; so is every form with DEBUG, where templates
    change while the server runs. The fields come from code only (labels, enum choices);
    a field that ever shows data organisers edit must add that data to the key.
    """
    empty = not form.is_bound and not any(form.initial.values())
    language = translation.get_language()
    if empty and not settings.DEBUG and language in _empty_sign_up_fields:
        return _empty_sign_up_fields[language]
    rendered = render_to_string("registration/includes/sign_up_fields.html", {"form": form})
    if empty:
        _empty_sign_up_fields[language] = rendered
    return rendered


@register.simple_tag
def render_field(field, **attrs):
    """A form field's widget, linked to its help text and errors for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.field.required:
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.simple_tag
def entry_qr_src(code: str) -> str:
    """The entry code as a regular QR code, for the src of an <img>."""
    return entry_qr_data_uri(code)


@register.simple_tag
def event_json_ld(event, seats):
    """The home page's schema.org Event, with free admission as an offer that follows the
    seat status (registration/structured_data.py)."""
    from programme.structured_data import json_ld_script, main_event
    from programme.templatetags.site import preview_image_url
    from registration.structured_data import admission_offer

    if event is None:
        return ""
    return json_ld_script(
        main_event(event, image_url=preview_image_url(event), offers=admission_offer(event, seats))
    )
