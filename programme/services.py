"""Writes to the programme that carry a rule."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from programme.models import Session

# What a calendar entry must be replaced for (RFC 5545 3.8.7.4: a significant revision).
RESCHEDULING_FIELDS = ("start", "end", "location_de", "location_en")


@transaction.atomic
def save_session(*, session: Session) -> Session:
    """Save a session. A new start, end or place raises its `sequence`: the calendar feeds
    publish it as SEQUENCE, so subscribed calendars replace their entry with the new one
    (with a new LAST-MODIFIED) instead of keeping the old time."""
    before = (
        Session.objects.select_for_update()
        .filter(pk=session.pk)
        .values(*RESCHEDULING_FIELDS)
        .first()
        if session.pk
        else None
    )
    session.save()
    if before and any(before[field] != getattr(session, field) for field in RESCHEDULING_FIELDS):
        Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
        session.refresh_from_db(fields=["sequence"])
    return session
