"""Sample data for the email gallery (outbox.gallery): the event every email shows."""

from programme.models import Event
from programme.seed import EVENT


def sample_event() -> Event:
    """The site's event, or the seeded one (unsaved) where none exists yet."""
    return Event.objects.current() or Event(**EVENT)
