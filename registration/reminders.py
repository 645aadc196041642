"""Before the day: the reminder to every confirmed guest REMINDER_DAYS_BEFORE days ahead,
and the last call for people who move up from the waiting list after that.

Each person gets one of the two, once, and their audit trail says which: the email is
queued in the same transaction as a conditional UPDATE that sets `reminded_at` only where
it is still empty. With several workers running the job at once, PostgreSQL lets exactly
one UPDATE per row succeed (the other waits for the row lock, then finds reminded_at set
and changes nothing).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import audit
from audit import Actor
from programme.models import Event
from registration import emails
from registration.models import Registration


def reminder_window_opens(event: Event) -> datetime.datetime:
    return event.starts_at - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)


def in_reminder_window(event: Event, now: datetime.datetime | None = None) -> bool:
    """From REMINDER_DAYS_BEFORE days before the start until the event begins."""
    now = now or timezone.now()
    return reminder_window_opens(event) <= now < event.starts_at


def _claim(registration_pk: int, now: datetime.datetime) -> bool:
    """Mark one confirmed registration as reminded, unless someone did already."""
    return (
        Registration.objects.filter(
            pk=registration_pk,
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
        ).update(reminded_at=now)
        == 1
    )


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """The periodic job: remind every confirmed guest not yet reminded. Returns how many."""
    now = now or timezone.now()
    event = Event.objects.current()
    if event is None or not in_reminder_window(event, now):
        return 0
    due = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if not _claim(pk, now):
                continue
            registration = Registration.objects.select_related("event").get(pk=pk)
            emails.reminder(registration)
            audit.record(registration, actor=Actor.system("reminders"), action="reminder_sent")
            sent += 1
    return sent


def announce_moved_up(registration: Registration, *, now: datetime.datetime) -> None:
    """Tell someone who just got a seat from the waiting list. Close to the day that is a
    last call (with everything the reminder carries), which counts as their reminder.

    Call inside the transaction that confirmed the registration."""
    if in_reminder_window(registration.event, now) and _claim(registration.pk, now):
        registration.reminded_at = now
        emails.last_call(registration)
        audit.record(registration, actor=Actor.system("reminders"), action="last_call_sent")
    else:
        emails.moved_up(registration)
