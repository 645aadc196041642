"""Data protection: anonymising registrations when their time is up or on request.

Anonymising keeps the row (status, category, model municipality, dates, check-in) so the
dashboard's counts stay right, and removes everything that identifies the person: the
details they gave, the address, the entry code and link secrets, the stored emails, the
old and new values in the audit trail and the name in the admin's log.

When it happens:
- Cancelled and lapsed registrations: INACTIVE_DATA_HOURS after the cancellation or the
  end of the hold, once the last email about it is no longer waiting to be delivered.
- Every other registration: on the day deletion_date() names, RETENTION_DAYS_AFTER_EVENT
  days after the event (or after the registration, if it was made after the event). The
  privacy notice shows the same date, computed by the same function.
- On an erasure request (GDPR Art. 17) at once, through erase().
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext

import audit
from audit import Actor
from audit.models import AuditEntry
from programme.models import Event
from programme.pages import deletion_date
from registration.models import Registration, new_entry_code, new_token_nonce

logger = logging.getLogger(__name__)

Status = Registration.Status

# Everything a person told us or that points to them. Category and model municipality
# stay: they are the anonymous counts.
PERSONAL_FIELDS = (
    "salutation",
    "academic_title",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "position",
    "accessibility_needs",
    "participant_list_consent",
    "pending_email",
    "media_outlet",
    "client_key",
)
# Emails still on their way: a registration waits with its anonymisation until they left.
UNDELIVERED_EMAIL_STATUSES = ["queued", "sending"]


def anonymised_address(registration: Registration) -> str:
    """A placeholder that keeps the address column valid and unique among active
    registrations; .invalid never delivers (RFC 2606)."""
    return f"anonymised-{registration.pk}@anonymised.invalid"


def anonymised_label(pk) -> str:
    """The name an anonymised registration goes by (as Registration.full_name)."""
    return gettext("Anmeldung %(number)s (anonymisiert)") % {"number": pk}


def anonymise(*, registration: Registration, actor: Actor, reason: str = "") -> Registration:
    """Remove the person's data from the registration and from everything about it.
    Doing it twice changes nothing the second time."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.anonymised_at is not None:
            return current
        registration_email = current.email
        for field in PERSONAL_FIELDS:
            default = Registration._meta.get_field(field).get_default()
            setattr(current, field, default if default is not None else "")
        current.email = anonymised_address(current)
        current.entry_code = new_entry_code()
        current.manage_token_nonce = new_token_nonce()
        current.manage_token_hash = ""
        current.confirm_token_nonce = new_token_nonce()
        current.confirm_token_hash = ""
        current.email_change_token_nonce = ""
        current.email_change_token_hash = None
        current.email_change_requested_at = None
        current.anonymised_at = timezone.now()
        if current.press_document:
            current.press_document.delete(save=False)  # the file in storage, then the name
        current.press_document = ""
        code = current.invitation_code
        if code is not None and code.recipient_email.lower() == registration_email.lower():
            # A personal invitation names the same person.
            type(code).objects.filter(pk=code.pk).update(recipient_name="", recipient_email="")
        current.save()  # save() derives the new token hashes
        current.emails.all().delete()  # bodies, recipients, attachments, delivery attempts
        audit.scrub(current, fields=PERSONAL_FIELDS)
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration),
            object_id=str(current.pk),
        ).update(object_repr=anonymised_label(current.pk))
        audit.record(current, actor=actor, action="anonymised", note=reason)
    return current


def erase(*, registration: Registration, actor: Actor) -> Registration:
    """Erasure request (GDPR Art. 17): cancel an active registration, so the seat goes to
    the waiting list, and anonymise it at once. The cancellation email is dropped with the
    other stored emails: the person asked for erasure, not for mail."""
    from registration import services

    with transaction.atomic():
        if registration.is_active:
            services.cancel(
                registration=registration, by=Registration.CancelledBy.ORGANISER, actor=actor
            )
        return anonymise(
            registration=registration, actor=actor, reason=gettext("Antrag auf Löschung")
        )


def inactive_deletion_delay() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.INACTIVE_DATA_HOURS)


def due_for_anonymisation(now: datetime.datetime | None = None):
    """Registrations whose personal data has to go now (see the module docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = Registration.objects.filter(anonymised_at__isnull=True)

    inactive = (
        pending.filter(status__in=[Status.CANCELLED, Status.EXPIRED])
        .alias(ended_at=Coalesce("cancelled_at", "updated_at"))
        .filter(ended_at__lte=now - inactive_deletion_delay())
        .exclude(emails__status__in=UNDELIVERED_EMAIL_STATUSES)
    )
    # deletion_date(event, registered_on) <= today, solved for the registration date.
    past_retention = Q(pk__in=[])
    for event in Event.objects.all():
        if deletion_date(event, registered_on=event.date) > today:
            continue
        last_registration_day = today - datetime.timedelta(days=settings.RETENTION_DAYS_AFTER_EVENT)
        first_day_after = timezone.make_aware(
            datetime.datetime.combine(
                last_registration_day + datetime.timedelta(days=1), datetime.time.min
            )
        )
        past_retention |= Q(event=event, created_at__lt=first_day_after)
    return (inactive | pending.filter(past_retention)).distinct().order_by("pk")


def anonymise_due(now: datetime.datetime | None = None) -> int:
    """Periodic job (and `manage.py anonymise_registrations`): anonymise every registration
    that is due, each in its own transaction. Returns how many were anonymised."""
    count = 0
    actor = Actor.system("retention")
    for registration in due_for_anonymisation(now).only("pk", "status", "event_id"):
        reason = (
            gettext("storniert oder nicht bestätigt")
            if registration.status in (Status.CANCELLED, Status.EXPIRED)
            else gettext("Aufbewahrungsfrist abgelaufen")
        )
        anonymise(registration=registration, actor=actor, reason=reason)
        count += 1
    count_orphans = anonymise_orphaned_log_entries()
    if count or count_orphans:
        logger.info(
            "Retention: %d registrations anonymised, %d admin log entries of deleted "
            "registrations anonymised",
            count,
            count_orphans,
        )
    return count


def anonymise_orphaned_log_entries() -> int:
    """Registrations deleted by an organiser (or by an earlier version of this job) leave
    their names in the admin's log and their values in the audit trail: remove those too."""
    content_type = ContentType.objects.get_for_model(Registration)
    existing = Registration.objects.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    count = 0
    orphans = LogEntry.objects.filter(content_type=content_type).exclude(object_id__in=existing)
    for entry in orphans.only("pk", "object_id", "object_repr"):
        label = anonymised_label(entry.object_id)
        if entry.object_repr != label:
            LogEntry.objects.filter(pk=entry.pk).update(object_repr=label)
            count += 1
    audit_orphans = AuditEntry.objects.filter(content_type=content_type).exclude(
        object_id__in=Registration.objects.values("pk")
    )
    count += audit.scrub_entries(audit_orphans, fields=PERSONAL_FIELDS)
    return count
