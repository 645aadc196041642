"""Everything that changes a registration, one function per business operation.

The seat rule: confirmed registrations plus live holds never exceed the event's capacity.
Every decision that gives a seat is made in a transaction that holds the event row's lock
(SELECT ... FOR NO KEY UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction mode
takes the database write lock at BEGIN) and counts under it. Nothing that gives a seat
counts outside the lock.

Every seat decision of every worker on every host waits for that lock, so the busiest
path holds it briefly: a sign-up of the public pool reads, renders and writes everything
first and locks only to count the others, just before its commit; one that cannot get a
seat takes no lock at all, since it can never overbook (_submit_to_public_pool).

Every email a change causes is queued in the same transaction (registration/emails.py), so
a rolled-back change sends nothing and a committed one is never without its email.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import audit
from audit import Actor
from eventsite.client_address import client_network
from programme.models import Event, Page
from registration import emails, pools, reminders
from registration.models import (
    CheckIn,
    Contingent,
    InvitationCode,
    RateLimitCounter,
    Registration,
    RegistrationSettings,
    TokenPurpose,
    WindowState,
    hash_token,
    hold_duration,
    new_entry_code,
    new_token_nonce,
    normalise_entry_code,
    press_review_duration,
)

Status = Registration.Status

# Submissions (and "lost link" requests) allowed per window. An organisation's whole staff
# may share one IP address behind a proxy, hence the generous limit per IP.
RATE_LIMIT_WINDOW = datetime.timedelta(hours=1)
RATE_LIMIT_PER_EMAIL = 5
RATE_LIMIT_PER_IP = 60
# Email changes: each sends a link to an address nobody has confirmed yet, so they are
# limited per registration and per IP as well as per target address (RATE_LIMIT_PER_EMAIL).
EMAIL_CHANGES_PER_REGISTRATION = 3
EMAIL_CHANGES_PER_IP = 10
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


# State fields whose old and new values the audit trail records with every state change.
STATE_FIELDS = (
    "status",
    "hold_expires_at",
    "email_confirmed_at",
    "waitlisted_at",
    "confirmed_at",
    "cancelled_at",
    "cancelled_by",
    "checked_in_at",
)


REDACTED_IN_AUDIT = {"accessibility_needs"}


def _snapshot(registration: Registration, fields=STATE_FIELDS) -> dict:
    return {field: getattr(registration, field) for field in fields}


def _audit(
    registration: Registration,
    *,
    actor: Actor,
    action: str,
    before: dict,
    fields=STATE_FIELDS,
    note: str = "",
) -> None:
    """Record what changed since `before` (a _snapshot) in the audit trail. Health data
    (accessibility needs) is recorded as changed, without its values: a person who deletes
    it deletes it everywhere."""
    changes = audit.changes_between(before, registration, fields)
    for field in REDACTED_IN_AUDIT & changes.keys():
        old, new = changes[field]
        changes[field] = (audit.REDACTED if old else old, audit.REDACTED if new else new)
    audit.record(registration, actor=actor, action=action, changes=changes, note=note)


class RegistrationError(Exception):
    """A business rule said no. `message` is translated and safe to show; the views decide
    which HTTP status a refusal gets."""

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))

    default_message = _("Das ist leider nicht möglich.")


class RegistrationClosed(RegistrationError):
    default_message = _("Die Anmeldung ist derzeit geschlossen.")


class RateLimited(RegistrationError):
    default_message = _("Zu viele Anfragen. Bitte versuchen Sie es in einer Stunde erneut.")


class InvalidLink(RegistrationError):
    default_message = _("Dieser Link ist ungültig. Bitte prüfen Sie, ob er vollständig ist.")


class LinkExpired(RegistrationError):
    default_message = _("Dieser Link ist abgelaufen.")


class NotPossible(RegistrationError):
    """The request contradicts the registration's current state."""


class AddressTaken(NotPossible):
    default_message = _("Mit dieser E-Mail-Adresse besteht bereits eine andere Anmeldung.")


class NoSeatFree(NotPossible):
    default_message = _(
        "Es ist kein Platz frei. Erhöhen Sie zuerst die Zahl der Plätze oder bestätigen Sie "
        "mit einem zusätzlichen Platz."
    )


class InvitationCodeRefused(RegistrationError):
    """The invitation code cannot be used; nothing was registered."""

    default_message = _(
        "Diesen Einladungscode kennen wir nicht. Bitte prüfen Sie ihn, oder lassen Sie das "
        "Feld leer, um sich ohne Code anzumelden."
    )


class InvitationCodeExpired(InvitationCodeRefused):
    default_message = _("Dieser Einladungscode ist abgelaufen.")


class InvitationCodeUsedUp(InvitationCodeRefused):
    default_message = _(
        "Mit diesem Einladungscode haben sich schon so viele Personen angemeldet, wie er "
        "erlaubt. Bitte wenden Sie sich an die Person, die Sie eingeladen hat."
    )


class SubmissionKind(models.TextChoices):
    HELD = Status.HELD.value, Status.HELD.label
    UNCONFIRMED = Status.UNCONFIRMED.value, Status.UNCONFIRMED.label
    # The address had an active registration already; its link was sent again.
    ALREADY_REGISTERED = "already_registered", _("Bereits angemeldet")


@dataclasses.dataclass(frozen=True)
class SubmissionOutcome:
    """What a submission did. The page shows the same neutral text for every kind so it
    never reveals whether an address was registered before."""

    kind: SubmissionKind
    registration: Registration


@dataclasses.dataclass(frozen=True)
class SeatStatus:
    """The whole event's counts, and `free` as the public pool has it: what a person without
    an invitation code can still get (seats reserved for contingents are not offered)."""

    capacity: int
    confirmed: int
    held: int
    waiting: int
    window: WindowState
    public_free: int | None = None
    contingents: tuple[pools.PoolUse, ...] = ()
    public: pools.PoolUse | None = None

    @property
    def taken(self) -> int:
        return self.confirmed + self.held

    @property
    def free(self) -> int:
        if self.public_free is not None:
            return self.public_free
        return max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.free == 0

    @property
    def is_open(self) -> bool:
        return self.window == WindowState.OPEN

    @property
    def opens_later(self) -> bool:
        return self.window == WindowState.NOT_YET_OPEN


# --- reads ---------------------------------------------------------------------------------


def seat_status(event: Event) -> SeatStatus:
    """Counts for pages and the admin summary (a snapshot, not a reservation)."""
    now = timezone.now()
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=models.Count("pk", filter=models.Q(status=Status.CONFIRMED)),
        held=models.Count("pk", filter=models.Q(status=Status.HELD, hold_expires_at__gt=now)),
        waiting=models.Count("pk", filter=models.Q(status=Status.WAITING)),
    )
    uses = pools.pool_uses(event, now)
    return SeatStatus(
        capacity=event.capacity,
        confirmed=counts["confirmed"],
        held=counts["held"],
        waiting=counts["waiting"],
        window=RegistrationSettings.for_event(event).state(now),
        public_free=uses[pools.PUBLIC].free,
        contingents=tuple(use for key, use in uses.items() if key is not pools.PUBLIC),
        public=uses[pools.PUBLIC],
    )


def current_hold_hours(seats: SeatStatus) -> int:
    """How many hours a seat held now would be held: what the sign-up page says."""
    duration = hold_duration(taken=seats.taken, capacity=seats.capacity)
    return int(duration.total_seconds() // 3600)


def _privacy_notice_changed_at():
    return Page.objects.filter(slug=Page.Slug.PRIVACY).values_list("updated_at", flat=True)


def privacy_notice_version(event: Event | None = None) -> str:
    """The privacy notice a person agreed to: the time organisers last changed it (read
    with the event by event_for_sign_up, when it was)."""
    if event is not None and hasattr(event, "privacy_notice_changed_at"):
        changed_at = event.privacy_notice_changed_at
    else:
        changed_at = _privacy_notice_changed_at().first()
    return changed_at.isoformat(timespec="seconds") if changed_at else "unpublished"


def event_for_sign_up() -> Event | None:
    """The current event (Event.objects.current) with its registration window and the
    privacy notice's version, in one query: a sign-up needs all three, and on a busy
    sign-up every query costs more CPU to build than the database needs to answer it."""
    return (
        Event.objects.select_related("registration_settings")
        .annotate(privacy_notice_changed_at=models.Subquery(_privacy_notice_changed_at()[:1]))
        .current()
    )


# --- the seat lock -------------------------------------------------------------------------


def _lock_event(event_id: int) -> Event:
    # NO KEY UPDATE, not UPDATE: inserting a registration takes a KEY SHARE lock on its
    # event (the foreign key), which FOR UPDATE would wait for. A public sign-up inserts
    # first and locks last (submit_registration), so with FOR UPDATE two of them would
    # each wait for the other.
    return Event.objects.select_for_update(no_key=True).get(pk=event_id)


def _free_seats(event: Event, now: datetime.datetime) -> int:
    registrations = Registration.objects.filter(event=event)
    taken = (
        registrations.filter(status=Status.CONFIRMED).count()
        + registrations.live_holds(now).count()
    )
    return event.capacity - taken


def _newcomer_may_take_seat(
    event: Event, now: datetime.datetime, contingent_id: int | None = None
) -> bool:
    """Under the event lock: whether a person who is not on the waiting list may take a
    seat now in their pool (a contingent, or the public pool). Only when one is free there
    and nobody of that pool waits: the waiting list goes first."""
    uses = pools.pool_uses(event, now)
    return pools.pool_of(uses, contingent_id).newcomer_may_take_seat


def ensure_address_free(*, registration: Registration, email: str) -> None:
    """Raise AddressTaken if another active registration of the same event uses the address
    (the database allows one: one_active_registration_per_email)."""
    taken = (
        Registration.objects.filter(event_id=registration.event_id)
        .active()
        .for_email(email)
        .exclude(pk=registration.pk)
        .exists()
    )
    if taken:
        raise AddressTaken()


def _save_address_change(registration: Registration, **save_kwargs) -> None:
    """Save a changed address; another registration may have taken it since the check."""
    try:
        with transaction.atomic():
            registration.save(**save_kwargs)
    except IntegrityError as error:
        raise AddressTaken() from error


def _settle_locked(
    event: Event, now: datetime.datetime
) -> tuple[list[Registration], list[Registration]]:
    """Under the event lock: end lapsed holds, then move the waiting list up.
    Returns (expired, promoted)."""
    expired = []
    for registration in Registration.objects.filter(event=event).lapsed(now).order_by("pk"):
        held_seat = registration.status in Registration.HOLDING_STATUSES
        press_review_lapsed = registration.status == Status.AWAITING_APPROVAL
        before = _snapshot(registration)
        registration.status = Status.EXPIRED
        registration.hold_expires_at = None
        registration.save(update_fields=["status", "hold_expires_at", "updated_at"])
        _audit(
            registration, actor=Actor.system("expire-holds"), action="hold_expired", before=before
        )
        emails.hold_expired(
            registration, held_seat=held_seat, press_review_lapsed=press_review_lapsed
        )
        expired.append(registration)
    return expired, _promote_locked(event, now)


def _promote_locked(event: Event, now: datetime.datetime) -> list[Registration]:
    """Give each pool's free seats to that pool's waiting list, first come first served:
    the contingents first, then the public pool (which holds the people of released
    contingents too). Press people whose accreditation is open hold their seat until an
    organiser decides."""
    promoted = []
    uses = pools.pool_uses(event, now)
    if not any(use.free > 0 and use.waiting for use in uses.values()):
        return promoted  # the common case: nobody waits, or no seat is free
    contingents = {use.contingent.pk: use.contingent for use in uses.values() if use.contingent}
    contingents.update(
        {c.pk: c for c in Contingent.objects.filter(event=event, released_at__isnull=False)}
    )
    keys = [key for key in uses if key is not pools.PUBLIC] + [pools.PUBLIC]
    for key in keys:
        if key is pools.PUBLIC and promoted:
            uses = pools.pool_uses(event, now)  # the contingents' moves count against the event
        use = uses[key]
        if use.free <= 0 or use.waiting == 0:
            continue
        for registration in pools.waiting_in_pool(event, key, contingents)[: use.free]:
            before = _snapshot(registration)
            if registration.accreditation == Registration.Accreditation.PENDING:
                registration.status = Status.AWAITING_APPROVAL
                registration.hold_expires_at = now + press_review_duration()
                registration.save(update_fields=["status", "hold_expires_at", "updated_at"])
                emails.accreditation_pending(registration)
            else:
                registration.status = Status.CONFIRMED
                registration.confirmed_at = now
                registration.save(update_fields=["status", "confirmed_at", "updated_at"])
                reminders.announce_moved_up(registration, now=now)
            _audit(
                registration, actor=Actor.system("waiting-list"), action="promoted", before=before
            )
            promoted.append(registration)
    return promoted


# --- rate limit ----------------------------------------------------------------------------


def _count_hits(keys: list[str], now: datetime.datetime) -> list[int]:
    """Count one hit for each key in the current window and return the new counts: one
    INSERT ... ON CONFLICT DO UPDATE ... RETURNING for all keys, committed by itself."""
    window = RATE_LIMIT_WINDOW.total_seconds()
    window_start = datetime.datetime.fromtimestamp(
        now.timestamp() // window * window, tz=datetime.UTC
    )
    hashes = [hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest() for key in keys]
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    stored_start = connection.ops.adapt_datetimefield_value(window_start)
    values = ", ".join(["(%s, %s, 1)"] * len(hashes))
    params = [value for key_hash in hashes for value in (key_hash, stored_start)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key_hash, window_start, count) VALUES {values} "  # noqa: S608 (no user input in the SQL)
            f"ON CONFLICT (key_hash, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING key_hash, count",
            params,
        )
        counts = dict(cursor.fetchall())
    return [counts[key_hash] for key_hash in hashes]


def _count_hit(key: str, now: datetime.datetime) -> int:
    return _count_hits([key], now)[0]


def check_rate_limit(*, email: str, ip: str | None) -> None:
    """Count one request for the address and the IP; raise RateLimited above the limit.
    Counted in its own committed step, so rejected attempts count as well."""
    keys, limits = [f"email:{email.strip().lower()}"], [RATE_LIMIT_PER_EMAIL]
    if ip:
        keys.append(f"ip:{ip}")
        limits.append(RATE_LIMIT_PER_IP)
    counts = _count_hits(keys, timezone.now())
    if any(count > limit for count, limit in zip(counts, limits, strict=True)):
        raise RateLimited()


def check_email_change_limit(*, registration: Registration, new_email: str, ip: str | None):
    """Count one email change for the registration, the IP and the target address; raise
    RateLimited above any of the limits."""
    now = timezone.now()
    over = _count_hit(f"email:{new_email.strip().lower()}", now) > RATE_LIMIT_PER_EMAIL
    over = (
        _count_hit(f"email-change-registration:{registration.pk}", now)
        > EMAIL_CHANGES_PER_REGISTRATION
        or over
    )
    if ip:
        over = _count_hit(f"email-change-ip:{ip}", now) > EMAIL_CHANGES_PER_IP or over
    if over:
        raise RateLimited()


def purge_rate_limit_counters() -> int:
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=timezone.now() - 2 * RATE_LIMIT_WINDOW
    ).delete()
    return deleted


# --- held seats per client -------------------------------------------------------------------


def client_key(ip: str | None) -> str:
    """A keyed hash of the client's network (IPv4 address, IPv6 /64); "" when unknown.
    No address is stored, and without SECRET_KEY the hash reveals none."""
    if not ip:
        return ""
    try:
        network = client_network(ip)
    except ValueError:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:client:{network}".encode()).hexdigest()


def client_may_hold_another_seat(*, event: Event, client_key: str, now: datetime.datetime) -> bool:
    """The cap on live holds per client (REGISTRATION_HOLDS_PER_CLIENT), so one client
    cannot block the seats of everyone else with unconfirmed sign-ups. Call under the
    event lock, like every seat count."""
    if not client_key:
        return True
    held = Registration.objects.filter(event=event, client_key=client_key).live_holds(now).count()
    return held < settings.REGISTRATION_HOLDS_PER_CLIENT


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
    code = _invitation_code(event, data.get("invitation_code", ""), ip=ip)
    if code is None and data.get("category") != Registration.Category.PRESS:
        return _submit_to_public_pool(event=event, email=email, data=data, language=language, ip=ip)
    # With a code or as press: the contingent's rules (code uses, accreditation) are
    # decided in one transaction under the lock.
    with transaction.atomic():
        event = _lock_event(event.pk)
        if not RegistrationSettings.for_event(event).is_open():
            raise RegistrationClosed()
        now = timezone.now()
        _settle_locked(event, now)

        existing = Registration.objects.filter(event=event).active().for_email(email).first()
        if existing is not None:
            _send_link_again(existing)
            return SubmissionOutcome(SubmissionKind.ALREADY_REGISTERED, existing)

        if code is not None:
            _ensure_code_usable_locked(code, now)
        contingent = pools.pool_for_newcomer(
            event=event, category=data.get("category", ""), code=code
        )
        is_press = data.get("category") == Registration.Category.PRESS
        free = _free_seats(event, now)
        seat_free = _newcomer_may_take_seat(event, now, contingent.pk if contingent else None)
        key = client_key(ip)
        holds_seat = seat_free and client_may_hold_another_seat(
            event=event, client_key=key, now=now
        )
        registration = Registration(
            event=event,
            email=email,
            language=language,
            status=Status.HELD if holds_seat else Status.UNCONFIRMED,
            client_key=key if holds_seat else "",
            hold_expires_at=now
            + hold_duration(taken=event.capacity - free, capacity=event.capacity),
            privacy_consent_version=privacy_notice_version(),
            privacy_consented_at=now,
            contingent=contingent,
            invitation_code=code,
            media_outlet=data.get("media_outlet", "") if is_press else "",
            press_document=data.get("press_document") if is_press else None,
            accreditation=Registration.Accreditation.PENDING if is_press else "",
            **{field: data[field] for field in DETAIL_FIELDS if field in data},
        )
        _save_new(registration)
        _audit(
            registration,
            actor=Actor.attendee("registration"),
            action="created",
            before={field: None for field in STATE_FIELDS},
        )
        emails.confirm_address(registration, seat_on_confirmation=seat_free and not holds_seat)
        return SubmissionOutcome(SubmissionKind(registration.status), registration)


def _submit_to_public_pool(
    *, event: Event, email: str, data: dict, language: str, ip: str | None
) -> SubmissionOutcome:
    """A sign-up of the public pool (no code, not press): everything is read, written and
    rendered before the seat lock. One the snapshot gives a seat is inserted as a hold and
    only then takes the lock, to count the others; if the seat went to someone faster, it
    becomes an unconfirmed sign-up before its commit. One the snapshot gives no seat (the
    pool is full, or people wait) never locks: it takes nothing, and the snapshot was true
    when it was counted. Lapsed holds are not settled here (the expire-holds job does it;
    they count as free already); the waiting list moves up here only when a seat is free
    while people wait."""
    now = timezone.now()
    if not RegistrationSettings.for_event(event).is_open(now):
        raise RegistrationClosed()
    # No look-up of the address first: nearly every sign-up is new, and the database's
    # one_active_registration_per_email refuses the insert of one that is not (below).
    uses = pools.pool_uses(event, now)
    seat_free = uses[pools.PUBLIC].newcomer_may_take_seat
    key = client_key(ip)
    holds_seat = seat_free and client_may_hold_another_seat(event=event, client_key=key, now=now)
    registration = Registration(
        event=event,
        email=email,
        language=language,
        status=Status.HELD if holds_seat else Status.UNCONFIRMED,
        client_key=key if holds_seat else "",
        hold_expires_at=now
        + hold_duration(taken=sum(use.taken for use in uses.values()), capacity=event.capacity),
        privacy_consent_version=privacy_notice_version(event),
        privacy_consented_at=now,
        **{field: data[field] for field in DETAIL_FIELDS if field in data},
    )
    for _attempt in range(5):
        try:
            return _insert_and_take_public_seat(
                registration, seat_on_confirmation=seat_free and not holds_seat
            )
        except IntegrityError:
            # The insert is the transaction's first statement, so nothing else was lost.
            existing = _active_registration(event, email)
            if existing is not None:
                # The same address was registered a moment ago (one_active_registration_per_email).
                return _already_registered(existing)
            if not Registration.objects.filter(entry_code=registration.entry_code).exists():
                raise
            registration.entry_code = new_entry_code()  # an (astronomically rare) clash
            registration.pk = None
    raise IntegrityError("could not draw a free entry code")


def _insert_and_take_public_seat(
    registration: Registration, *, seat_on_confirmation: bool
) -> SubmissionOutcome:
    with transaction.atomic():
        registration.save(force_insert=True)
        message = emails.confirm_address(registration, seat_on_confirmation=seat_on_confirmation)
        if registration.status == Status.HELD:
            event = _lock_event(registration.event_id)
            now = timezone.now()
            public = pools.pool_uses(event, now, exclude_pk=registration.pk)[pools.PUBLIC]
            other_holds = (
                Registration.objects.filter(event=event, client_key=registration.client_key)
                .exclude(pk=registration.pk)
                .live_holds(now)
                .count()
                if registration.client_key
                else 0
            )
            if not (
                public.newcomer_may_take_seat
                and other_holds < settings.REGISTRATION_HOLDS_PER_CLIENT
            ):
                # Someone faster took the last seat (or this client's last allowed hold)
                # between the snapshot and the lock.
                registration.status = Status.UNCONFIRMED
                registration.client_key = ""
                registration.save(update_fields=["status", "client_key", "updated_at"])
                message.delete()
                emails.confirm_address(
                    registration, seat_on_confirmation=public.newcomer_may_take_seat
                )
            if public.waiting and public.free > 0:  # only possible for one demoted above
                _settle_locked(event, now)
        _audit(
            registration,
            actor=Actor.attendee("registration"),
            action="created",
            before={field: None for field in STATE_FIELDS},
        )
    return SubmissionOutcome(SubmissionKind(registration.status), registration)


def _active_registration(event: Event, email: str) -> Registration | None:
    """The event's active registration of the address, if any."""
    registration = Registration.objects.filter(event=event).active().for_email(email).first()
    if registration is not None:
        registration.event = event
    return registration


def _already_registered(existing: Registration) -> SubmissionOutcome:
    with transaction.atomic():
        _send_link_again(existing)
    return SubmissionOutcome(SubmissionKind.ALREADY_REGISTERED, existing)


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
    is released in the same step, so no seat stays blocked by a stale link). A person who
    joins the waiting list by this step gets `place_when_confirmed`, their place then."""
    registration = Registration.objects.by_token(TokenPurpose.CONFIRM, token).first()
    if registration is None:
        raise InvalidLink()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        now = timezone.now()
        _settle_locked(event, now)
        registration = Registration.objects.get(pk=registration.pk)
        registration.event = event  # locked and read already: the emails need it

        if registration.status in (Status.HELD, Status.UNCONFIRMED):
            before = _snapshot(registration)
            registration.email_confirmed_at = now
            registration.hold_expires_at = None
            registration.client_key = ""
            seat_free = (
                registration.status == Status.HELD  # a live hold is a seat already counted
                or _newcomer_may_take_seat(event, now, registration.contingent_id)
            )
            if seat_free and registration.accreditation == Registration.Accreditation.PENDING:
                registration.status = Status.AWAITING_APPROVAL
                registration.hold_expires_at = now + press_review_duration()
                registration.save()
                emails.accreditation_pending(registration)
            elif seat_free:
                registration.status = Status.CONFIRMED
                registration.confirmed_at = now
                registration.save()
                emails.confirmed(registration)
            else:
                registration.status = Status.WAITING
                registration.waitlisted_at = now
                registration.save()
                # Counted once, under the lock, for the email and the page that follows.
                registration.place_when_confirmed = registration.waiting_position()
                emails.waitlisted(registration, position=registration.place_when_confirmed)
            _audit(
                registration,
                actor=Actor.attendee("confirmation link"),
                action="email_confirmed",
                before=before,
            )
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


def cancel(
    *,
    registration: Registration,
    by: str = Registration.CancelledBy.PARTICIPANT,
    actor: Actor | None = None,
):
    """Cancel a registration (also leaves the waiting list). A freed seat goes to the
    waiting list in the same step. Cancelling twice changes nothing the second time."""
    if actor is None:
        actor = (
            Actor.attendee()
            if by == Registration.CancelledBy.PARTICIPANT
            else Actor.organiser(None)
        )
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        now = timezone.now()
        current = Registration.objects.get(pk=registration.pk)
        if current.status in (Status.CANCELLED, Status.EXPIRED):
            return current
        previous_status = current.status
        before = _snapshot(current)
        current.status = Status.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = by
        current.hold_expires_at = None
        current.checked_in_at = None
        current.checked_in_by = None
        current.save()
        _audit(current, actor=actor, action="cancelled", before=before)
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
        before = _snapshot(current, changed)
        for field in changed:
            setattr(current, field, data[field])
        current.save(update_fields=[*changed, "updated_at"])
        _audit(current, actor=Actor.attendee(), action="changed", before=before, fields=changed)
        emails.changed(current)
    return current


def request_email_change(
    *, registration: Registration, new_email: str, ip: str | None = None
) -> None:
    """Send a link to the new address; the address changes only when it is followed.
    Always answers the same, so it never reveals whether the new address is registered."""
    new_email = new_email.strip()
    check_email_change_limit(registration=registration, new_email=new_email, ip=ip)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if not current.is_active:
            raise NotPossible(_("Diese Anmeldung kann nicht mehr geändert werden."))
        if new_email.lower() == current.email.lower():
            raise NotPossible(_("Das ist bereits Ihre E-Mail-Adresse."))
        before = _snapshot(current, ["pending_email"])
        current.pending_email = new_email
        current.email_change_token_nonce = new_token_nonce()
        current.email_change_token_hash = hash_token(current.email_change_token())
        current.email_change_requested_at = timezone.now()
        current.save()
        _audit(
            current,
            actor=Actor.attendee(),
            action="email_change_requested",
            before=before,
            fields=["pending_email"],
        )
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
        ensure_address_free(registration=current, email=current.pending_email)
        current.email = current.pending_email
        _clear_email_change(current)
        _save_address_change(current)
        _audit(
            current,
            actor=Actor.attendee("email change link"),
            action="email_changed",
            before={"email": old_email, "pending_email": current.email},
            fields=["email", "pending_email"],
        )
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
        seat_on_confirmation = False
        if registration.status == Status.UNCONFIRMED:
            seats = seat_status(registration.event)
            seat_on_confirmation = seats.free > 0 and seats.waiting == 0
        emails.confirm_address(registration, again=True, seat_on_confirmation=seat_on_confirmation)
    else:
        emails.your_link(registration)


def revoke_manage_link(*, registration: Registration, actor: Actor | None = None) -> Registration:
    """A new personal link replaces the old one (which then stops working); it is sent to
    the registered address."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.rotate_manage_token()
        current.save(update_fields=["manage_token_nonce", "manage_token_hash", "updated_at"])
        audit.record(current, actor=actor or Actor.organiser(None), action="link_replaced")
        emails.your_link(current)
    return current


# --- organisers (the guest list in the admin) ------------------------------------------------
# Each function is one thing an organiser does to one registration; the admin only picks the
# registrations and reports the outcome.


def confirm_from_waiting_list_by_hand(
    *, registration: Registration, add_seat: bool = False, actor: Actor | None = None
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
        free = pools.pool_of(pools.pool_uses(event, now), current.contingent_id).free
        if free <= 0:
            if not add_seat:
                raise NoSeatFree()
            new_capacity = event.capacity - min(_free_seats(event, now), 0) + 1
            event.capacity = new_capacity
            event.save(update_fields=["capacity"])
        before = _snapshot(current)
        current.status = Status.CONFIRMED
        current.confirmed_at = now
        current.save(update_fields=["status", "confirmed_at", "updated_at"])
        _audit(
            current,
            actor=actor or Actor.organiser(None),
            action="confirmed_out_of_turn",
            before=before,
            note=_("mit einem zusätzlichen Platz") if new_capacity is not None else "",
        )
        reminders.announce_moved_up(current, now=now)
    return current, new_capacity


class ResentEmail(models.TextChoices):
    """Which email resend_confirmation sent (the value is the email's template name)."""

    CONFIRM_ADDRESS = "confirm_address", _("Link zur Bestätigung der E-Mail-Adresse")
    CONFIRMED = "confirmed", _("Anmeldebestätigung mit Einlasscode")
    WAITLISTED = "waitlisted", _("Nachricht zur Warteliste")


def resend_confirmation(*, registration: Registration, actor: Actor | None = None) -> ResentEmail:
    """Send the email that belongs to the current status again: the link to confirm the
    address, the confirmation with ticket, or the waiting-list notice."""
    with transaction.atomic():
        current = (
            Registration.objects.select_related("event").select_for_update().get(pk=registration.pk)
        )
        template = None
        if current.awaits_email_confirmation:
            emails.confirm_address(current, again=True)
            template = ResentEmail.CONFIRM_ADDRESS
        elif current.status == Status.CONFIRMED:
            emails.confirmed(current)
            template = ResentEmail.CONFIRMED
        elif current.status == Status.WAITING:
            emails.waitlisted(current)
            template = ResentEmail.WAITLISTED
        if template:
            audit.record(
                current,
                actor=actor or Actor.organiser(None),
                action="email_resent",
                note=str(template.label),
            )
            return template
    raise NotPossible(_("Die Anmeldung ist nicht mehr aktiv."))


def resend_link_by_organiser(*, registration: Registration, actor: Actor | None = None) -> None:
    """Send the personal link again (the existing one stays valid); to an unconfirmed
    address goes the link to confirm it first, as for “lost your link?”."""
    with transaction.atomic():
        current = (
            Registration.objects.select_related("event").select_for_update().get(pk=registration.pk)
        )
        if not current.is_active:
            raise NotPossible(_("Die Anmeldung ist nicht mehr aktiv."))
        _send_link_again(current)
        audit.record(
            current, actor=actor or Actor.organiser(None), action="email_resent", note="link"
        )


def change_details_by_organiser(
    *, registration: Registration, data: dict, actor: Actor | None = None
) -> list[str]:
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
        before = _snapshot(current, changed)
        old_email = current.email
        new_email = data.get("email", old_email).strip()
        email_changed = new_email.lower() != old_email.lower()
        if email_changed:
            ensure_address_free(registration=current, email=new_email)
        for field in changed:
            setattr(current, field, new_email if field == "email" else data[field])
        _save_address_change(current, update_fields=[*changed, "updated_at"])
        _audit(
            current,
            actor=actor or Actor.organiser(None),
            action="changed",
            before=before,
            fields=changed,
        )
        emails.changed(current, old_email=old_email if email_changed else None)
    return changed


# --- invitation codes, contingents and press accreditation ----------------------------------


def _invitation_code(event: Event, text: str, *, ip: str | None) -> InvitationCode | None:
    """The code a person typed, or None without one. Before the seat lock, so that a wrong
    try is counted in a committed step of its own (rate limit per client) and refused at
    once; whether the code is still usable is decided under the lock."""
    text = normalise_entry_code(text)
    if not text:
        return None
    code = (
        InvitationCode.objects.filter(code=text, contingent__event=event)
        .select_related("contingent")
        .first()
    )
    if code is None:
        key = f"invitation-code:{ip or 'unknown'}"
        if _count_hit(key, timezone.now()) > settings.INVITATION_CODE_TRIES_PER_HOUR:
            raise RateLimited()
        raise InvitationCodeRefused()
    return code


def _ensure_code_usable_locked(code: InvitationCode, now: datetime.datetime) -> None:
    if code.is_expired(now):
        raise InvitationCodeExpired()
    used = code.registrations.filter(status__in=Registration.ACTIVE_STATUSES).count()
    if used >= code.max_uses:
        raise InvitationCodeUsedUp()


def save_contingent(*, contingent: Contingent) -> list[Registration]:
    """Create, enlarge or shrink a contingent. Shrinking never takes a seat from anybody
    (pools.py); seats it frees or adds go to the waiting lists at once."""
    with transaction.atomic():
        event = _lock_event(contingent.event_id)
        contingent.save()
        _expired, promoted = _settle_locked(event, timezone.now())
        return promoted


def release_contingent(*, contingent: Contingent) -> list[Registration]:
    """Give a contingent's unused seats to the public pool; its waiting list joins the public
    one in the order of confirmation. Returns who moved up."""
    with transaction.atomic():
        event = _lock_event(contingent.event_id)
        current = Contingent.objects.get(pk=contingent.pk)
        if current.released_at is None:
            current.released_at = timezone.now()
            current.save(update_fields=["released_at"])
        contingent.released_at = current.released_at
        _expired, promoted = _settle_locked(event, timezone.now())
        return promoted


def release_due_contingents() -> int:
    """Periodic job: release the contingents whose release date has come."""
    due = list(Contingent.objects.due_for_release())
    for contingent in due:
        release_contingent(contingent=contingent)
    return len(due)


def send_invitations(*, codes) -> tuple[int, int]:
    """Queue the personal invitation of each code that has an address; returns (sent,
    skipped)."""
    sent = skipped = 0
    with transaction.atomic():
        for code in codes.select_related("contingent__event"):
            if not code.recipient_email:
                skipped += 1
                continue
            emails.invitation(code)
            code.invited_at = timezone.now()
            code.save(update_fields=["invited_at"])
            sent += 1
    return sent, skipped


class NotAwaitingApproval(NotPossible):
    default_message = _("Die Akkreditierung dieser Anmeldung wird gerade nicht geprüft.")


ACCREDITATION_FIELDS = [*STATE_FIELDS, "accreditation"]


def _awaiting_approval_locked(registration: Registration) -> tuple[Event, Registration, dict]:
    """Under the event lock: the current row, which must await its accreditation, and a
    snapshot of it for the audit trail."""
    event = _lock_event(registration.event_id)
    current = Registration.objects.get(pk=registration.pk)
    if current.status != Status.AWAITING_APPROVAL:
        raise NotAwaitingApproval()
    return event, current, _snapshot(current, fields=ACCREDITATION_FIELDS)


def approve_accreditation(
    *, registration: Registration, actor: Actor | None = None
) -> Registration:
    """An organiser confirms a press accreditation: the held seat becomes a confirmed one
    and the person gets the confirmation with the entry code."""
    with transaction.atomic():
        _event, current, before = _awaiting_approval_locked(registration)
        now = timezone.now()
        current.status = Status.CONFIRMED
        current.confirmed_at = now
        current.hold_expires_at = None
        current.accreditation = Registration.Accreditation.APPROVED
        current.save()
        _audit(
            current,
            actor=actor or Actor.organiser(None),
            action="accreditation_approved",
            before=before,
            fields=ACCREDITATION_FIELDS,
        )
        emails.accreditation_approved(current)
    return current


def decline_accreditation(
    *, registration: Registration, actor: Actor | None = None
) -> Registration:
    """An organiser declines a press accreditation: the registration ends, the press seat
    goes to the next person waiting for one."""
    with transaction.atomic():
        event, current, before = _awaiting_approval_locked(registration)
        now = timezone.now()
        current.status = Status.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = Registration.CancelledBy.ORGANISER
        current.hold_expires_at = None
        current.accreditation = Registration.Accreditation.DECLINED
        current.save()
        _audit(
            current,
            actor=actor or Actor.organiser(None),
            action="accreditation_declined",
            before=before,
            fields=ACCREDITATION_FIELDS,
        )
        emails.accreditation_declined(current)
        _settle_locked(event, now)
    return current


# --- the door ---------------------------------------------------------------------------


class NoSeatAtTheDoor(NotPossible):
    default_message = _(
        "Es ist kein Platz frei: Alle Plätze sind vergeben oder reserviert. Die Person kann "
        "nur eingelassen werden, wenn das Organisationsteam die Zahl der Plätze erhöht."
    )


def register_walk_in(*, event: Event, data: dict, by, language: str) -> Registration:
    """Door staff register a person who arrives without a registration. The seat rule is
    the one of submit_registration, under the same event lock; the window does not apply
    (the door opens when registration has long closed). The person gave their address in
    person, is confirmed and checked in at once, and gets the usual confirmation email with
    their entry code."""
    email = data["email"].strip()
    with transaction.atomic():
        event = _lock_event(event.pk)
        now = timezone.now()
        _settle_locked(event, now)
        if Registration.objects.filter(event=event).active().for_email(email).exists():
            raise NotPossible(
                _(
                    "Mit dieser E-Mail-Adresse besteht bereits eine Anmeldung. Bitte suchen "
                    "Sie die Person auf der Gästeliste."
                )
            )
        # The public pool's rule, as for an online sign-up without an invitation code.
        contingent = pools.pool_for_newcomer(
            event=event, category=data.get("category", ""), code=None
        )
        if not _newcomer_may_take_seat(event, now, contingent.pk if contingent else None):
            raise NoSeatAtTheDoor()
        registration = Registration(
            event=event,
            email=email,
            language=language,
            status=Status.CONFIRMED,
            email_confirmed_at=now,
            confirmed_at=now,
            checked_in_at=now,
            checked_in_by=by,
            privacy_consent_version=privacy_notice_version(),
            privacy_consented_at=now,
            contingent=contingent,
            **{field: data[field] for field in DETAIL_FIELDS if field in data},
        )
        _save_new(registration)
        _audit(
            registration,
            actor=Actor.organiser(by, via="check-in"),
            action="walk-in",
            before={field: None for field in STATE_FIELDS},
        )
        CheckIn.objects.create(
            registration=registration,
            action=CheckIn.Action.CHECK_IN,
            outcome=CheckIn.Outcome.CHECKED_IN,
            at=now,
            by=by,
        )
        emails.confirmed(registration)
    return registration
