"""What the programme tells every email of the site (settings.OUTBOX_SITE_CONTEXT)."""

from programme.models import Event


def outbox_site_context(event: Event | None = None) -> dict:
    """The current event for the email templates, and its contact address for Reply-To.
    `event`: the event when the caller has it loaded already (one site, one event)."""
    if event is None:
        event = Event.objects.current()
    return {
        "context": {"event": event},
        "reply_to": event.contact_email if event is not None else "",
    }
