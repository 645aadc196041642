"""The one email pipeline of the site: a durable outbox in the database and a worker.

    from outbox import queue_email, Attachment

`queue_email` stores a rendered message in the caller's transaction; `manage.py worker`
delivers it. See docs/email.md.
"""

from outbox.attachments import Attachment

__all__ = ["Attachment", "deliver_outbox", "queue_email"]


def queue_email(**kwargs):
    """Render and store one email in the current transaction (see services.queue_email)."""
    # Imported here so that importing this package (as an installed app) loads no models.
    from outbox.services import queue_email as _queue_email

    return _queue_email(**kwargs)


def deliver_outbox(**kwargs):
    """Deliver every due message now, synchronously (see delivery.deliver_outbox)."""
    from outbox.delivery import deliver_outbox as _deliver_outbox

    return _deliver_outbox(**kwargs)
