from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutgoingEmail


def delete_old_emails(*, now=None) -> int:
    """Delete finished messages (sent, failed, cancelled) older than EMAIL_RETENTION_DAYS:
    they hold names, addresses and registration details nobody needs after that."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EMAIL_RETENTION_DAYS)
    finished = OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff)
        | Q(
            status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.CANCELLED],
            created_at__lt=cutoff,
        )
    )
    # Only "resent_from" points from one message to another, and it is SET_NULL.
    _total, per_model = finished.delete()
    return per_model.get(OutgoingEmail._meta.label, 0)
