"""The door: finding guests, checking them in, undoing a check-in, the door's snapshot.

Check-in takes no seat, so it does not lock the event. It is one conditional UPDATE
("... WHERE status = 'confirmed' AND checked_in_at IS NULL"): when two devices check in one
guest at the same moment, PostgreSQL lets the second UPDATE wait for the first and then
re-checks the condition, so exactly one of them wins and the other is told "already checked
in, at ... by ...". Cancelling (services.cancel) clears the check-in under the same
condition on the row, so a cancelled guest is never left checked in.

Devices that were offline send their check-ins later with the time the guest came in and a
client-made id. The id makes a repeated send harmless (the stored answer is returned), and
when two devices checked in the same guest the earlier time is kept: an UPDATE with
"checked_in_at > this time" moves the time back, and both devices are told of the conflict.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.models import Event
from registration.models import (
    ENTRY_CODE_LENGTH,
    CheckIn,
    Registration,
    normalise_entry_code,
)
from registration.services import RegistrationError

Status = Registration.Status
Outcome = CheckIn.Outcome

CHECK_IN_PERMISSION = "registration.check_in"
# A device's clock may be wrong; a check-in older than this is taken as happening now.
OLDEST_ACCEPTED_CHECK_IN = datetime.timedelta(hours=24)
SEARCH_RESULTS = 20

REFUSAL_REASONS = {
    Status.CANCELLED: gettext_lazy("Die Anmeldung ist storniert."),
    Status.EXPIRED: gettext_lazy(
        "Die Anmeldung ist abgelaufen: Die E-Mail-Adresse wurde nicht rechtzeitig bestätigt."
    ),
    Status.HELD: gettext_lazy("Die Anmeldung ist unbestätigt: Die E-Mail-Adresse fehlt noch."),
    Status.UNCONFIRMED: gettext_lazy(
        "Die Anmeldung ist unbestätigt: Die E-Mail-Adresse fehlt noch."
    ),
    Status.WAITING: gettext_lazy("Die Person steht auf der Warteliste und hat keinen Platz."),
}


class GuestNotFound(RegistrationError):
    default_message = gettext_lazy("Diese Anmeldung gibt es nicht.")


def refusal_reason(registration: Registration) -> str:
    """Why this guest may not enter; empty when they may."""
    reason = REFUSAL_REASONS.get(registration.status)
    return str(reason) if reason else ""


def staff_name(user) -> str:
    if user is None:
        return _("unbekannt")
    return user.get_full_name() or user.get_username()


@dataclasses.dataclass(frozen=True)
class CheckInResult:
    outcome: str
    registration: Registration
    # For a conflict: the time the other device reported.
    other_time: datetime.datetime | None = None

    @property
    def admitted(self) -> bool:
        return self.outcome in (Outcome.CHECKED_IN, Outcome.EARLIER_KEPT)

    @property
    def message(self) -> str:
        registration = self.registration
        when = _time(registration.checked_in_at)
        who = staff_name(registration.checked_in_by)
        if self.outcome == Outcome.CHECKED_IN:
            return _("Eingelassen um %(time)s.") % {"time": when}
        if self.outcome == Outcome.EARLIER_KEPT:
            return _(
                "Eingelassen. Ein anderes Gerät hatte diese Person später (um %(other)s) "
                "eingelassen; die frühere Zeit %(time)s gilt."
            ) % {"other": _time(self.other_time), "time": when}
        if self.outcome == Outcome.ALREADY_CHECKED_IN:
            return _("Bereits eingelassen um %(time)s von %(who)s.") % {"time": when, "who": who}
        if self.outcome == Outcome.REFUSED:
            return _("Kein Einlass. %(reason)s") % {"reason": refusal_reason(registration)}
        if self.outcome == Outcome.UNDONE:
            return _("Einlass rückgängig gemacht.")
        return _("Diese Person war nicht eingelassen.")

    def as_dict(self) -> dict:
        return {"outcome": self.outcome, "message": self.message, **guest_dict(self.registration)}


def _time(moment) -> str:
    if moment is None:
        return "–"
    return formats.time_format(timezone.localtime(moment), "H:i")


# --- reads ---------------------------------------------------------------------------------


def door_counts(event: Event) -> dict[str, int]:
    """How many are in, of how many expected (confirmed registrations)."""
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    return {
        "checked_in": confirmed.filter(checked_in_at__isnull=False).count(),
        "expected": confirmed.count(),
    }


def find_guests(event: Event, query: str) -> list[Registration]:
    """Guests whose name or organisation contains every word typed, or whose entry code
    starts with what was typed (with or without the hyphen), any status: refused guests
    are found too, with the reason."""
    words = query.split()
    if not words:
        return []
    matches = Q()
    for word in words:
        matches &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(academic_title__icontains=word)
            | Q(organisation__icontains=word)
        )
    code = normalise_entry_code(query)
    if 4 <= len(code) <= ENTRY_CODE_LENGTH:
        matches |= Q(entry_code__startswith=code)
    guests = list(
        Registration.objects.filter(event=event)
        .filter(matches)
        .select_related("checked_in_by")
        .order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS]
    )
    for guest in guests:
        guest.refusal = refusal_reason(guest)
        guest.checked_in_by_name = staff_name(guest.checked_in_by)
    return guests


def guest_dict(registration: Registration) -> dict:
    """What the door needs of a guest, and nothing more (no email address, no notes)."""
    return {
        "id": registration.pk,
        "name": registration.full_name,
        "last_name": registration.last_name,
        "organisation": registration.organisation,
        "code": registration.entry_code,
        "refusal": refusal_reason(registration),
        "checked_in_at": registration.checked_in_at.isoformat()
        if registration.checked_in_at
        else None,
        "checked_in_by": staff_name(registration.checked_in_by)
        if registration.checked_in_at
        else None,
    }


def door_snapshot(event: Event) -> dict:
    """The guest list as a door device keeps it for working offline."""
    registrations = (
        Registration.objects.filter(event=event)
        .exclude(status__in=[Status.EXPIRED])
        .select_related("checked_in_by")
        .order_by("last_name", "first_name", "pk")
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "counts": door_counts(event),
        "guests": [guest_dict(r) for r in registrations.iterator(chunk_size=2000)],
    }


# --- writes --------------------------------------------------------------------------------


def _guest(event: Event, registration_id: int) -> Registration:
    registration = (
        Registration.objects.filter(event=event, pk=registration_id)
        .select_related("checked_in_by")
        .first()
    )
    if registration is None:
        raise GuestNotFound()
    return registration


def _accepted_time(at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    if at is None or at > now or at < now - OLDEST_ACCEPTED_CHECK_IN:
        return now
    return at


def check_in(
    *,
    event: Event,
    registration_id: int,
    by,
    at: datetime.datetime | None = None,
    client_id: uuid.UUID | None = None,
) -> CheckInResult:
    """Check a guest in (at: when the device saw them; default now). Sending the same
    client_id again returns the first answer and changes nothing."""
    now = timezone.now()
    at = _accepted_time(at, now)
    guest = _guest(event, registration_id)
    with transaction.atomic():
        record = None
        if client_id is not None:
            try:
                with transaction.atomic():
                    record = CheckIn.objects.create(
                        registration=guest,
                        client_id=client_id,
                        action=CheckIn.Action.CHECK_IN,
                        outcome=Outcome.CHECKED_IN,
                        at=at,
                        by=by,
                    )
            except IntegrityError:
                return _replay(client_id)

        rows = Registration.objects.filter(pk=guest.pk)
        other_time = None
        if rows.filter(status=Status.CONFIRMED, checked_in_at__isnull=True).update(
            checked_in_at=at, checked_in_by=by, updated_at=now
        ):
            outcome = Outcome.CHECKED_IN
        else:
            current = rows.select_for_update().get()
            if current.status != Status.CONFIRMED:
                outcome = Outcome.REFUSED
            elif current.checked_in_at > at and client_id is not None:
                # Two devices, one guest, both offline: the earlier time is the truth.
                other_time = current.checked_in_at
                rows.update(checked_in_at=at, checked_in_by=by, updated_at=now)
                outcome = Outcome.EARLIER_KEPT
            else:
                outcome = Outcome.ALREADY_CHECKED_IN
        if record is None:
            record = CheckIn(
                registration=guest, action=CheckIn.Action.CHECK_IN, at=at, by=by, outcome=outcome
            )
        record.outcome = outcome
        record.save()
    guest = _guest(event, registration_id)
    return CheckInResult(outcome, guest, other_time=other_time)


def _replay(client_id: uuid.UUID) -> CheckInResult:
    record = CheckIn.objects.select_related("registration__checked_in_by").get(client_id=client_id)
    return CheckInResult(record.outcome, record.registration)


def undo_check_in(*, event: Event, registration_id: int, by) -> CheckInResult:
    """Take back a check-in made by mistake (the wrong row tapped)."""
    guest = _guest(event, registration_id)
    with transaction.atomic():
        undone = Registration.objects.filter(pk=guest.pk, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None, updated_at=timezone.now()
        )
        outcome = Outcome.UNDONE if undone else Outcome.NOT_CHECKED_IN
        CheckIn.objects.create(
            registration=guest,
            action=CheckIn.Action.UNDO,
            outcome=outcome,
            at=timezone.now(),
            by=by,
        )
    return CheckInResult(outcome, _guest(event, registration_id))
