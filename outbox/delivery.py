"""Delivering the outbox: claim a batch, send it over one connection, record each attempt.

The rules that keep a message from being lost or sent twice (docs/email.md):
- A batch is claimed in a short transaction (row locks with SKIP LOCKED on PostgreSQL, so
  several workers on several hosts never take the same message) and marked "sending"
  with a lease; the transaction commits before anything goes on the wire.
- Each message is marked sent in its own transaction right after the server accepted it,
  and only if this worker still holds the claim. A sent message is never claimed again.
- A worker that dies mid-batch leaves "sending" rows behind; once their lease has run out
  another worker takes them over and records the interrupted attempt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import (
    DatabaseError,
    InterfaceError,
    InternalError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import F
from django.utils import timezone

from eventsite.redaction import mask_link_secrets
from outbox.models import DeliveryAttempt, OutgoingAttachment, OutgoingEmail

logger = logging.getLogger(__name__)

# Pauses after the 1st, 2nd, ... failed attempt; the last one repeats until the retry
# window (EMAIL_RETRY_HOURS after queueing) is over: about a dozen attempts in 24 hours.
RETRY_DELAYS = [timedelta(minutes=minutes) for minutes in (1, 2, 5, 10, 30, 60, 120, 240)]


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0

    @property
    def processed(self) -> int:
        return self.sent + self.retrying + self.failed

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            sent=self.sent + other.sent,
            retrying=self.retrying + other.retrying,
            failed=self.failed + other.failed,
            released=self.released + other.released,
        )


@dataclass(frozen=True)
class Failure:
    permanent: bool
    connection_broken: bool
    error: str


def classify(error: Exception) -> Failure:
    """Sort a sending error into temporary (retry later) or permanent (give up now), and
    say whether the SMTP connection is still usable for the next message."""
    text = f"{type(error).__name__}: {error}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return Failure(
            permanent=bool(codes) and all(code >= 500 for code in codes),
            connection_broken=False,
            error=text,
        )
    if isinstance(error, smtplib.SMTPDataError):
        # 5xx after DATA: the server rejected this message (content, size), for good.
        return Failure(permanent=error.smtp_code >= 500, connection_broken=False, error=text)
    if isinstance(error, smtplib.SMTPSenderRefused):
        # Our own sender address was refused: a configuration problem, not this message's.
        return Failure(permanent=False, connection_broken=False, error=text)
    if isinstance(error, smtplib.SMTPException | OSError):
        # Login failed, server gone, connection refused, timeout, TLS trouble: try later.
        return Failure(permanent=False, connection_broken=True, error=text)
    if isinstance(error, ValueError):
        # Django refuses invalid addresses and headers before anything is sent.
        return Failure(permanent=True, connection_broken=False, error=text)
    return Failure(permanent=False, connection_broken=True, error=text)


def build_message(email: OutgoingEmail, attachments=()) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.recipient],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={
            **email.headers,
            "Message-ID": email.message_id,
            "Content-Language": email.language,
        },
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def _delivery_connection():
    backend = settings.EMAIL_DELIVERY_BACKEND
    if backend.endswith("OutboxBackend"):
        raise ImproperlyConfigured(
            "EMAIL_DELIVERY_BACKEND must send mail, not queue it again (it is the OutboxBackend)."
        )
    return get_connection(backend, fail_silently=False)


def claim_batch(
    *, batch_size: int, now: datetime, token: uuid.UUID, worker: str = ""
) -> list[OutgoingEmail]:
    """Take up to batch_size due messages for this worker and commit the claim."""
    lease_until = now + timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    give_up_before = now - timedelta(hours=settings.EMAIL_RETRY_HOURS)
    with transaction.atomic():
        due = OutgoingEmail.objects.due(now).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            # Rows another worker is claiming right now are skipped, not waited for.
            due = due.select_for_update(skip_locked=True)
        # SQLite has no row locks; its IMMEDIATE transactions serialise claims instead.
        claimed = list(due[:batch_size])
        if not claimed:
            return []
        interrupted = [email for email in claimed if email.status == OutgoingEmail.Status.SENDING]
        if interrupted:
            DeliveryAttempt.objects.bulk_create(
                DeliveryAttempt(
                    email=email,
                    # The lease was taken (or last renewed) one lease length before it ran out.
                    started_at=email.lease_expires_at
                    - timedelta(seconds=settings.EMAIL_LEASE_SECONDS),
                    finished_at=now,
                    outcome=DeliveryAttempt.Outcome.INTERRUPTED,
                    worker=email.claimed_by,
                    error="The worker holding this message stopped reporting before its "
                    "lease ran out (killed or hung); the message is sent again.",
                )
                for email in interrupted
            )
            OutgoingEmail.objects.filter(pk__in=[email.pk for email in interrupted]).update(
                attempts=F("attempts") + 1
            )
            # A message that keeps killing its worker must not loop forever.
            hopeless = [email for email in interrupted if email.created_at < give_up_before]
            if hopeless:
                OutgoingEmail.objects.filter(pk__in=[email.pk for email in hopeless]).update(
                    status=OutgoingEmail.Status.FAILED,
                    lease_expires_at=None,
                    claim_token=None,
                    last_error="Interrupted repeatedly; gave up after the retry window.",
                )
                claimed = [email for email in claimed if email not in hopeless]
        OutgoingEmail.objects.filter(pk__in=[email.pk for email in claimed]).update(
            status=OutgoingEmail.Status.SENDING,
            lease_expires_at=lease_until,
            claim_token=token,
            claimed_by=worker,
        )
    for email in claimed:
        email.status = OutgoingEmail.Status.SENDING
        email.lease_expires_at = lease_until
        email.claim_token = token
    return claimed


def _record_sent(email, *, token, started_at, worker) -> None:
    finished_at = timezone.now()
    with transaction.atomic():
        updated = OutgoingEmail.objects.filter(
            pk=email.pk, claim_token=token, status=OutgoingEmail.Status.SENDING
        ).update(
            status=OutgoingEmail.Status.SENT,
            sent_at=finished_at,
            # Delivered: the stored copy keeps no live personal link (docs/security.md).
            body_text=mask_link_secrets(email.body_text),
            body_html=mask_link_secrets(email.body_html),
            attempts=F("attempts") + 1,
            lease_expires_at=None,
            claim_token=None,
            last_error="",
        )
        DeliveryAttempt.objects.create(
            email=email,
            started_at=started_at,
            finished_at=finished_at,
            outcome=DeliveryAttempt.Outcome.SENT,
            worker=worker,
        )
    if not updated:
        logger.warning(
            "Message %s was sent, but its lease had run out and another worker took it over; "
            "raise EMAIL_LEASE_SECONDS. It may arrive twice.",
            email.message_id,
        )


# How often a worker tries again to record a message the server accepted while the
# database is away (a restart, a failover).
RECORD_RETRY_PAUSE_SECONDS = 1.0


def _record_despite_outage(
    record, *, lease_until: datetime, clock_is_real: bool, should_stop: Callable[[], bool]
):
    """Run `record()` (a write about a message this worker holds), retrying while the
    database is unreachable or refuses writes, for as long as the lease keeps the message
    ours. Without this, a message the server accepted just before the database went away
    would stay "sending" and go out a second time when its lease ran out."""
    while True:
        try:
            return record()
        except (OperationalError, InterfaceError, InternalError):
            # InternalError: a database that refuses writes for now (read-only transaction).
            if (
                not clock_is_real
                or should_stop()
                or connection.in_atomic_block
                or timezone.now() + timedelta(seconds=settings.EMAIL_TIMEOUT) > lease_until
            ):
                raise
            logger.warning("Database unavailable while recording a delivery; trying again")
            with contextlib.suppress(DatabaseError):
                connection.close()
            time.sleep(RECORD_RETRY_PAUSE_SECONDS)


def _record_failure(email, failure: Failure, *, token, started_at, now, worker) -> str:
    """Store a failed attempt; returns the new status."""
    attempts = email.attempts + 1
    next_attempt_at = now + retry_delay(attempts)
    error = failure.error[:2000]
    if failure.permanent:
        status = OutgoingEmail.Status.FAILED
    elif next_attempt_at > email.created_at + timedelta(hours=settings.EMAIL_RETRY_HOURS):
        status = OutgoingEmail.Status.FAILED
        error = f"{error}\n(Gave up: no delivery within {settings.EMAIL_RETRY_HOURS} hours.)"
    else:
        status = OutgoingEmail.Status.QUEUED
    with transaction.atomic():
        OutgoingEmail.objects.filter(
            pk=email.pk, claim_token=token, status=OutgoingEmail.Status.SENDING
        ).update(
            status=status,
            attempts=F("attempts") + 1,
            next_attempt_at=next_attempt_at,
            lease_expires_at=None,
            claim_token=None,
            last_error=error,
        )
        DeliveryAttempt.objects.create(
            email=email,
            started_at=started_at,
            finished_at=timezone.now(),
            outcome=(
                DeliveryAttempt.Outcome.PERMANENT_FAILURE
                if failure.permanent
                else DeliveryAttempt.Outcome.TEMPORARY_FAILURE
            ),
            error=failure.error[:2000],
            worker=worker,
        )
    return status


def _release(emails, *, token) -> int:
    """Give claimed but unsent messages back to the queue (the worker is stopping)."""
    return OutgoingEmail.objects.filter(
        pk__in=[email.pk for email in emails],
        claim_token=token,
        status=OutgoingEmail.Status.SENDING,
    ).update(status=OutgoingEmail.Status.QUEUED, lease_expires_at=None, claim_token=None)


def _renew_lease(emails, *, token, now) -> tuple[list[OutgoingEmail], datetime]:
    lease_until = now + timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    pks = [email.pk for email in emails]
    with transaction.atomic():
        OutgoingEmail.objects.filter(
            pk__in=pks, claim_token=token, status=OutgoingEmail.Status.SENDING
        ).update(lease_expires_at=lease_until)
        still_ours = set(
            OutgoingEmail.objects.filter(pk__in=pks, claim_token=token).values_list("pk", flat=True)
        )
    return [email for email in emails if email.pk in still_ours], lease_until


def deliver_batch(
    *,
    batch_size: int = 50,
    now: datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Claim one batch and send it over one connection. Returns what happened."""
    clock_is_real = now is None
    now = now or timezone.now()
    token = uuid.uuid4()
    worker = worker_name()
    report = DeliveryReport()
    claimed = claim_batch(batch_size=batch_size, now=now, token=token, worker=worker)
    if not claimed:
        return report
    attachments = defaultdict(list)
    for attachment in OutgoingAttachment.objects.filter(email__in=claimed):
        attachments[attachment.email_id].append(attachment)

    backend = _delivery_connection()
    is_open = False
    lease_until = claimed[0].lease_expires_at
    # Renew the lease while there is still time for one more slow send.
    lease_margin = timedelta(seconds=2 * settings.EMAIL_TIMEOUT)
    remaining = list(claimed)
    try:
        while remaining:
            if should_stop():
                report.released += _release(remaining, token=token)
                break
            current_time = timezone.now() if clock_is_real else now
            if clock_is_real and current_time + lease_margin > lease_until:
                remaining, lease_until = _renew_lease(remaining, token=token, now=current_time)
                if not remaining:
                    break
            email = remaining.pop(0)
            started_at = timezone.now()
            try:
                message = build_message(email, attachments[email.pk])
                if not is_open:
                    backend.open()
                    is_open = True
                backend.send_messages([message])
            except Exception as error:
                failure = classify(error)
                if not isinstance(error, smtplib.SMTPException | OSError | ValueError):
                    logger.exception("Unexpected error while sending %s", email.message_id)
                status = _record_despite_outage(
                    lambda email=email, failure=failure, started_at=started_at: _record_failure(
                        email, failure, token=token, started_at=started_at, now=now, worker=worker
                    ),
                    lease_until=lease_until,
                    clock_is_real=clock_is_real,
                    should_stop=should_stop,
                )
                report.failed += status == OutgoingEmail.Status.FAILED
                report.retrying += status == OutgoingEmail.Status.QUEUED
                if failure.connection_broken:
                    _close_quietly(backend)
                    if not is_open:
                        # Could not even connect: the rest of the batch would fail the same
                        # way, each after a timeout. They wait for the next try instead.
                        for waiting in remaining:
                            status = _record_failure(
                                waiting,
                                failure,
                                token=token,
                                started_at=started_at,
                                now=now,
                                worker=worker,
                            )
                            report.failed += status == OutgoingEmail.Status.FAILED
                            report.retrying += status == OutgoingEmail.Status.QUEUED
                        remaining = []
                    is_open = False
            else:
                _record_despite_outage(
                    lambda email=email, started_at=started_at: _record_sent(
                        email, token=token, started_at=started_at, worker=worker
                    ),
                    lease_until=lease_until,
                    clock_is_real=clock_is_real,
                    should_stop=should_stop,
                )
                report.sent += 1
    except BaseException:
        # The database went away mid-batch, or similar: give back what was not tried yet
        # so it need not wait for the lease (if the database lets us; else the lease will).
        with contextlib.suppress(Exception):
            _release(remaining, token=token)
        raise
    finally:
        if is_open:
            _close_quietly(backend)
    return report


def _close_quietly(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 (the connection is being thrown away anyway)
        logger.debug("Closing the mail connection failed", exc_info=True)


def deliver_outbox(
    *,
    batch_size: int = 100,
    now: datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Deliver every message that is due now, batch after batch, synchronously.

    Tests and the worker use it; it sends through EMAIL_DELIVERY_BACKEND. Messages whose
    next attempt lies in the future (after a temporary failure) stay queued."""
    report = DeliveryReport()
    while not should_stop():
        batch = deliver_batch(batch_size=batch_size, now=now, should_stop=should_stop)
        report += batch
        if not batch.processed and not batch.released:
            break
        if batch.released:
            break
    return report
