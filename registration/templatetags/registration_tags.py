from django import template

from registration.codes import entry_qr_data_uri

register = template.Library()


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
