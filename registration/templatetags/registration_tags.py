from django import template

from registration.services import seat_status as current_seat_status

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


@register.inclusion_tag("registration/includes/seat_status.html", takes_context=True)
def seat_status(context, event=None):
    """Live seat status with the call to register, for the home page."""
    event = event or context.get("event")
    return {
        "event": event,
        "seats": current_seat_status(event) if event else None,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
