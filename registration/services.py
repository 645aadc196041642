"""Everything that changes a registration, one function per business operation.

The seat rule: confirmed registrations plus live holds never exceed the event's capacity.
Every operation that can take or free a seat runs in one transaction that first locks the
event row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction mode
takes the database write lock at BEGIN). Under that lock the operation first settles holds
whose time ran out, then counts, then writes. Nothing counts outside the lock.

Every email a change causes is queued in the same transaction (registration/emails.py), so
a rolled-back change sends nothing and a committed one is never without its email.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import Event, Page
from registration import emails
from registration.models import (
    RateLimitCounter,
    Registration,
    RegistrationSettings,
    TokenPurpose,
    hash_token,
    hold_duration,
    new_entry_code,
    new_token_nonce,
)

Status = Registration.Status

# Submissions (and "lost link" requests) allowed per window. An organisation's whole staff
# may share one IP address behind a proxy, hence the generous limit per IP.
RATE_LIMIT_WINDOW = datetime.timedelta(hours=1)
RATE_LIMIT_PER_EMAIL = 5
RATE_LIMIT_PER_IP = 60
# A link to confirm a new email address is valid this long.
EMAIL_CHANGE_VALID_FOR = datetime.timedelta(hours=48)

# Fields a person may give and later edit themselves.
DETAIL_FIELDS = (
    "salutation",
    "academic_title",
    "first_name",
    "last_name",
    "organisation",
    "position",
    "category",
    "model_municipality",
    "accessibility_needs",
    "participant_list_consent",
)


class RegistrationError(Exception):
    """A business rule said no. `message` is translated and safe to show."""

    status_code = 400

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))

    default_message = _("Das ist leider nicht möglich.")


class RegistrationClosed(RegistrationError):
    status_code = 403
    default_message = _("Die Anmeldung ist derzeit geschlossen.")


class RateLimited(RegistrationError):
    status_code = 429
    default_message = _("Zu viele Anfragen. Bitte versuchen Sie es in einer Stunde erneut.")


class InvalidLink(RegistrationError):
    status_code = 404
    default_message = _("Dieser Link ist ungültig. Bitte prüfen Sie, ob er vollständig ist.")


class LinkExpired(RegistrationError):
    status_code = 410
    default_message = _("Dieser Link ist abgelaufen.")


class NotPossible(RegistrationError):
    status_code = 409


@dataclasses.dataclass(frozen=True)
class SubmissionOutcome:
    """What a submission did. The page shows the same neutral text for every kind so it
    never reveals whether an address was registered before."""

    kind: str  # "held" | "unconfirmed" | "already_registered"
    registration: Registration


@dataclasses.dataclass(frozen=True)
class SeatStatus:
    capacity: int
    confirmed: int
    held: int
    waiting: int
    window: str  # "open" | "not_yet_open" | "closed"

    @property
    def taken(self) -> int:
        return self.confirmed + self.held

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.free == 0


# --- reads ---------------------------------------------------------------------------------


def seat_status(event: Event) -> SeatStatus:
    """Counts for pages and the admin summary (a snapshot, not a reservation)."""
    now = timezone.now()
    registrations = Registration.objects.filter(event=event)
    return SeatStatus(
        capacity=event.capacity,
        confirmed=registrations.filter(status=Status.CONFIRMED).count(),
        held=registrations.live_holds(now).count(),
        waiting=registrations.filter(status=Status.WAITING).count(),
        window=RegistrationSettings.for_event(event).state(now),
    )


def privacy_notice_version() -> str:
    """The privacy notice a person agreed to: the time organisers last changed it."""
    page = Page.objects.filter(slug=Page.Slug.PRIVACY).only("updated_at").first()
    return page.updated_at.isoformat(timespec="seconds") if page else "unpublished"


# --- the seat lock -------------------------------------------------------------------------


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _free_seats(event: Event, now: datetime.datetime) -> int:
    registrations = Registration.objects.filter(event=event)
    taken = (
        registrations.filter(status=Status.CONFIRMED).count()
        + registrations.live_holds(now).count()
    )
    return event.capacity - taken


def _settle_locked(
    event: Event, now: datetime.datetime
) -> tuple[list[Registration], list[Registration]]:
    """Under the event lock: end lapsed holds, then move the waiting list up.
    Returns (expired, promoted)."""
    expired = []
    for registration in Registration.objects.filter(event=event).lapsed(now).order_by("pk"):
        held_seat = registration.status == Status.HELD
        registration.status = Status.EXPIRED
        registration.hold_expires_at = None
        registration.save(update_fields=["status", "hold_expires_at", "updated_at"])
        emails.hold_expired(registration, held_seat=held_seat)
        expired.append(registration)
    return expired, _promote_locked(event, now)


def _promote_locked(event: Event, now: datetime.datetime) -> list[Registration]:
    promoted = []
    free = _free_seats(event, now)
    if free <= 0:
        return promoted
    for registration in Registration.objects.filter(event=event).waiting_list()[:free]:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        emails.moved_up(registration)
        promoted.append(registration)
    return promoted


# --- rate limit ----------------------------------------------------------------------------


def _count_hit(key: str, now: datetime.datetime) -> int:
    window = RATE_LIMIT_WINDOW.total_seconds()
    window_start = datetime.datetime.fromtimestamp(
        now.timestamp() // window * window, tz=datetime.UTC
    )
    key_hash = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()
    with transaction.atomic():
        counter, _created = RateLimitCounter.objects.get_or_create(
            key_hash=key_hash, window_start=window_start
        )
        RateLimitCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        return RateLimitCounter.objects.values_list("count", flat=True).get(pk=counter.pk)


def check_rate_limit(*, email: str, ip: str | None) -> None:
    """Count one request for the address and the IP; raise RateLimited above the limit.
    Counted in its own committed step, so rejected attempts count as well."""
    now = timezone.now()
    over = _count_hit(f"email:{email.strip().lower()}", now) > RATE_LIMIT_PER_EMAIL
    if ip:
        over = _count_hit(f"ip:{ip}", now) > RATE_LIMIT_PER_IP or over
    if over:
        raise RateLimited()


def purge_rate_limit_counters() -> int:
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=timezone.now() - 2 * RATE_LIMIT_WINDOW
    ).delete()
    return deleted


# --- sign-up and confirmation ----------------------------------------------------------------


def submit_registration(
    *, event: Event, data: dict, language: str, ip: str | None = None
) -> SubmissionOutcome:
    """Register a person (data: cleaned form data with email, privacy consent given).

    With a seat free, the person holds it until they confirm their address or the hold
    runs out; with the event full, they join the waiting list once they confirm. An
    address that is already registered gets its link again instead."""
    email = data["email"].strip()
    check_rate_limit(email=email, ip=ip)
    with transaction.atomic():
        event = _lock_event(event.pk)
        if not RegistrationSettings.for_event(event).is_open():
            raise RegistrationClosed()
        now = timezone.now()
        _settle_locked(event, now)

        existing = Registration.objects.filter(event=event).active().for_email(email).first()
        if existing is not None:
            _send_link_again(existing)
            return SubmissionOutcome("already_registered", existing)

        holds_seat = (
            _free_seats(event, now) > 0
            and not Registration.objects.filter(event=event, status=Status.WAITING).exists()
        )
        registration = Registration(
            event=event,
            email=email,
            language=language,
            status=Status.HELD if holds_seat else Status.UNCONFIRMED,
            hold_expires_at=now + hold_duration(),
            privacy_consent_version=privacy_notice_version(),
            privacy_consented_at=now,
            **{field: data[field] for field in DETAIL_FIELDS if field in data},
        )
        _save_new(registration)
        emails.confirm_address(registration)
        return SubmissionOutcome(registration.status, registration)


def _save_new(registration: Registration) -> None:
    """Insert, drawing a new entry code in the (astronomically rare) case of a clash."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                registration.save(force_insert=True)
            return
        except IntegrityError:
            if Registration.objects.filter(entry_code=registration.entry_code).exists():
                registration.entry_code = new_entry_code()
                continue
            raise
    raise IntegrityError("could not draw a free entry code")


def confirm_email(*, token: str) -> Registration:
    """Follow the link from the first email. Idempotent: a second click changes nothing.

    Raises InvalidLink for an unknown token, LinkExpired when the time ran out (the hold
    is released in the same step, so no seat stays blocked by a stale link)."""
    registration = Registration.objects.by_token(TokenPurpose.CONFIRM, token).first()
    if registration is None:
        raise InvalidLink()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        now = timezone.now()
        _settle_locked(event, now)
        registration = Registration.objects.get(pk=registration.pk)

        if registration.status in (Status.HELD, Status.UNCONFIRMED):
            registration.email_confirmed_at = now
            registration.hold_expires_at = None
            seat_free = (
                registration.status == Status.HELD  # a live hold is a seat already counted
                or (
                    _free_seats(event, now) > 0
                    and not Registration.objects.filter(event=event, status=Status.WAITING).exists()
                )
            )
            if seat_free:
                registration.status = Status.CONFIRMED
                registration.confirmed_at = now
                registration.save()
                emails.confirmed(registration)
            else:
                registration.status = Status.WAITING
                registration.waitlisted_at = now
                registration.save()
                emails.waitlisted(registration)
    if registration.status == Status.EXPIRED:
        raise LinkExpired(
            _(
                "Die Zeit zur Bestätigung ist abgelaufen und der Platz wurde freigegeben. "
                "Sie können sich gern erneut anmelden."
            )
        )
    if registration.status == Status.CANCELLED:
        raise LinkExpired(_("Diese Anmeldung wurde storniert."))
    return registration


def expire_holds() -> int:
    """Periodic job: release lapsed holds and move the waiting list up. Returns how many
    registrations expired."""
    count = 0
    event_ids = set(Registration.objects.lapsed().values_list("event_id", flat=True))
    event_ids |= set(
        Registration.objects.filter(status=Status.WAITING).values_list("event_id", flat=True)
    )
    for event_id in sorted(event_ids):
        with transaction.atomic():
            expired, _promoted = _settle_locked(_lock_event(event_id), timezone.now())
            count += len(expired)
    return count


def promote_waiting_list(*, event: Event) -> list[Registration]:
    """Give free seats to the waiting list, first come first served."""
    with transaction.atomic():
        _expired, promoted = _settle_locked(_lock_event(event.pk), timezone.now())
        return promoted


def set_capacity(*, event: Event, capacity: int) -> list[Registration]:
    """Change the number of seats. More seats move the waiting list up at once; fewer
    seats never take one away from anybody (new confirmations wait until below it)."""
    if capacity < 0:
        raise NotPossible(_("Die Zahl der Plätze kann nicht negativ sein."))
    with transaction.atomic():
        locked = _lock_event(event.pk)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        event.capacity = capacity
        _expired, promoted = _settle_locked(locked, timezone.now())
        return promoted


# --- self-service --------------------------------------------------------------------------


def registration_for_manage_token(token: str) -> Registration:
    registration = (
        Registration.objects.by_token(TokenPurpose.MANAGE, token).select_related("event").first()
    )
    if registration is None:
        raise InvalidLink()
    return registration


def cancel(*, registration: Registration, by: str = Registration.CancelledBy.PARTICIPANT):
    """Cancel a registration (also leaves the waiting list). A freed seat goes to the
    waiting list in the same step. Cancelling twice changes nothing the second time."""
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        now = timezone.now()
        current = Registration.objects.get(pk=registration.pk)
        if current.status in (Status.CANCELLED, Status.EXPIRED):
            return current
        previous_status = current.status
        current.status = Status.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = by
        current.hold_expires_at = None
        current.checked_in_at = None
        current.checked_in_by = None
        current.save()
        emails.cancelled(current, previous_status=previous_status)
        _settle_locked(event, now)
    return current


def leave_waiting_list(*, registration: Registration) -> Registration:
    if registration.status != Status.WAITING:
        raise NotPossible(_("Sie stehen nicht auf der Warteliste."))
    return cancel(registration=registration)


def update_details(*, registration: Registration, data: dict) -> Registration:
    """Change name, organisation and the other details; the email address changes through
    request_email_change. Sends a short confirmation of the change."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if not current.is_active:
            raise NotPossible(_("Diese Anmeldung kann nicht mehr geändert werden."))
        changed = [f for f in DETAIL_FIELDS if f in data and getattr(current, f) != data[f]]
        if not changed:
            return current
        for field in changed:
            setattr(current, field, data[field])
        current.save(update_fields=[*changed, "updated_at"])
        emails.changed(current)
    return current


def request_email_change(*, registration: Registration, new_email: str) -> None:
    """Send a link to the new address; the address changes only when it is followed.
    Always answers the same, so it never reveals whether the new address is registered."""
    new_email = new_email.strip()
    check_rate_limit(email=new_email, ip=None)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if not current.is_active:
            raise NotPossible(_("Diese Anmeldung kann nicht mehr geändert werden."))
        if new_email.lower() == current.email.lower():
            raise NotPossible(_("Das ist bereits Ihre E-Mail-Adresse."))
        current.pending_email = new_email
        current.email_change_token_nonce = new_token_nonce()
        current.email_change_token_hash = hash_token(current.email_change_token())
        current.email_change_requested_at = timezone.now()
        current.save()
        emails.confirm_new_address(current)


def confirm_email_change(*, token: str) -> Registration:
    registration = Registration.objects.by_token(TokenPurpose.EMAIL_CHANGE, token).first()
    if registration is None:
        raise InvalidLink()
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if not current.is_active or not current.pending_email:
            raise LinkExpired()
        if timezone.now() > current.email_change_requested_at + EMAIL_CHANGE_VALID_FOR:
            raise LinkExpired()
        old_email = current.email
        taken = (
            Registration.objects.filter(event_id=current.event_id)
            .active()
            .for_email(current.pending_email)
            .exclude(pk=current.pk)
            .exists()
        )
        if taken:
            raise NotPossible(_("Mit dieser E-Mail-Adresse besteht bereits eine andere Anmeldung."))
        current.email = current.pending_email
        _clear_email_change(current)
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError as error:  # the address was taken a moment ago
            raise NotPossible(
                _("Mit dieser E-Mail-Adresse besteht bereits eine andere Anmeldung.")
            ) from error
        emails.changed(current, old_email=old_email)
    return current


def _clear_email_change(registration: Registration) -> None:
    registration.pending_email = ""
    registration.email_change_token_nonce = ""
    registration.email_change_token_hash = None
    registration.email_change_requested_at = None


def resend_link(*, email: str, ip: str | None = None) -> None:
    """ "Lost your link?": email the link to the address if it is registered. The caller
    shows the same message whatever happened."""
    check_rate_limit(email=email, ip=ip)
    with transaction.atomic():
        for registration in Registration.objects.active().for_email(email):
            _send_link_again(registration)


def _send_link_again(registration: Registration) -> None:
    if registration.awaits_email_confirmation:
        emails.confirm_address(registration, again=True)
    else:
        emails.your_link(registration)


def revoke_manage_link(*, registration: Registration) -> Registration:
    """A new personal link replaces the old one (which then stops working); it is sent to
    the registered address."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.rotate_manage_token()
        current.save(update_fields=["manage_token_nonce", "manage_token_hash", "updated_at"])
        emails.your_link(current)
    return current


# --- data protection -----------------------------------------------------------------------


def delete_expired_personal_data() -> int:
    """Periodic job: delete registrations RETENTION_DAYS_AFTER_EVENT days after the event,
    and never sooner than that many days after a registration last changed."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.RETENTION_DAYS_AFTER_EVENT)
    past_events = [e.pk for e in Event.objects.all() if e.ends_at < cutoff]
    # Their emails in the outbox go with them (Registration.emails): they hold the same data.
    _total, deleted_by_model = Registration.objects.filter(
        event_id__in=past_events, updated_at__lt=cutoff
    ).delete()
    return deleted_by_model.get(Registration._meta.label, 0)


# --- organisers (the guest list in the admin) ------------------------------------------------
# Added by the guest-list work (issue 4, item 9). Each function is one thing an organiser
# does to one registration; the admin only picks the registrations and reports the outcome.


class NoSeatFree(NotPossible):
    default_message = _(
        "Es ist kein Platz frei. Erhöhen Sie zuerst die Zahl der Plätze oder bestätigen Sie "
        "mit einem zusätzlichen Platz."
    )


def confirm_from_waiting_list_by_hand(
    *, registration: Registration, add_seat: bool = False
) -> tuple[Registration, int | None]:
    """An organiser confirms a person from the waiting list out of turn.

    The seat rule still holds: without a free seat this raises NoSeatFree. With
    add_seat=True the organiser raises the capacity just enough for this one person in the
    same step (so nobody else on the list moves up by it). Free seats are given to the
    waiting list automatically, first come first served, so a hand confirmation normally
    needs add_seat. Returns the registration and the new capacity (None if unchanged)."""
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        now = timezone.now()
        _settle_locked(event, now)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Status.CONFIRMED and current.waitlisted_at is not None:
            return current, None  # moved up in turn a moment ago
        if current.status != Status.WAITING:
            raise NotPossible(_("Diese Person steht nicht auf der Warteliste."))
        new_capacity = None
        free = _free_seats(event, now)
        if free <= 0:
            if not add_seat:
                raise NoSeatFree()
            new_capacity = event.capacity - free + 1
            event.capacity = new_capacity
            event.save(update_fields=["capacity"])
        current.status = Status.CONFIRMED
        current.confirmed_at = now
        current.save(update_fields=["status", "confirmed_at", "updated_at"])
        emails.moved_up(current)
    return current, new_capacity


def resend_confirmation(*, registration: Registration) -> str:
    """Send the email that belongs to the current status again: the link to confirm the
    address, the confirmation with ticket, or the waiting-list notice. Returns the name of
    the email template."""
    with transaction.atomic():
        current = (
            Registration.objects.select_related("event").select_for_update().get(pk=registration.pk)
        )
        if current.awaits_email_confirmation:
            emails.confirm_address(current, again=True)
            return "confirm_address"
        if current.status == Status.CONFIRMED:
            emails.confirmed(current)
            return "confirmed"
        if current.status == Status.WAITING:
            emails.waitlisted(current)
            return "waitlisted"
    raise NotPossible(_("Die Anmeldung ist nicht mehr aktiv."))


def resend_link_by_organiser(*, registration: Registration) -> None:
    """Send the personal link again (the existing one stays valid); to an unconfirmed
    address goes the link to confirm it first, as for “lost your link?”."""
    with transaction.atomic():
        current = (
            Registration.objects.select_related("event").select_for_update().get(pk=registration.pk)
        )
        if not current.is_active:
            raise NotPossible(_("Die Anmeldung ist nicht mehr aktiv."))
        _send_link_again(current)


def change_details_by_organiser(*, registration: Registration, data: dict) -> list[str]:
    """An organiser corrects a person's details (and, e.g. after a typo, the address).
    The person is told by email, at the old address too if it changed. Returns the names
    of the changed fields."""
    with transaction.atomic():
        current = (
            Registration.objects.select_related("event").select_for_update().get(pk=registration.pk)
        )
        if not current.is_active:
            raise NotPossible(_("Diese Anmeldung kann nicht mehr geändert werden."))
        fields = [*DETAIL_FIELDS, "email"]
        changed = [f for f in fields if f in data and getattr(current, f) != data[f]]
        if not changed:
            return []
        old_email = current.email
        new_email = data.get("email", old_email).strip()
        email_changed = new_email.lower() != old_email.lower()
        if email_changed and (
            Registration.objects.filter(event_id=current.event_id)
            .active()
            .for_email(new_email)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise NotPossible(_("Mit dieser E-Mail-Adresse besteht bereits eine andere Anmeldung."))
        for field in changed:
            setattr(current, field, new_email if field == "email" else data[field])
        try:
            with transaction.atomic():
                current.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as error:  # the address was taken a moment ago
            raise NotPossible(
                _("Mit dieser E-Mail-Adresse besteht bereits eine andere Anmeldung.")
            ) from error
        emails.changed(current, old_email=old_email if email_changed else None)
    return changed
