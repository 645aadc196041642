"""Seat pools: the public pool and the contingents reserved for named groups.

The rule that every pool obeys on top of the event's seat rule:
- an unreleased contingent reserves max(its seats, the seats its people hold): shrinking it
  never takes a seat from anybody, and its unused seats are kept for its group;
- the public pool is the capacity less what the unreleased contingents reserve; people of a
  released contingent count in the public pool and wait on its list;
- no pool ever gives out more than the event has left, whatever organisers configure.

`pool_uses` reads all of it in two statements (contingents, and one grouped count of the
registrations). Callers that take seats call it under the event lock (services.py).

The grouped count is written in SQL (`_seat_counts`): every sign-up runs it, and building
the same query with the ORM (a conditional Count per column, values, annotate) costs
several times the CPU that the database needs to answer it.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import connection
from django.db.models import Q

from registration.models import Contingent, InvitationCode, Registration

Status = Registration.Status

PUBLIC = None  # the key of the public pool


@dataclasses.dataclass(frozen=True)
class PoolUse:
    contingent: Contingent | None  # None: the public pool
    seats: int  # what the pool may give out in all
    taken: int  # confirmed and live holds
    waiting: int
    free: int

    @property
    def name(self) -> str:
        from django.utils.translation import gettext

        return self.contingent.name if self.contingent else gettext("Allgemeiner Pool")

    @property
    def newcomer_may_take_seat(self) -> bool:
        """A seat is free in this pool and nobody of the pool waits for one."""
        return self.free > 0 and self.waiting == 0


def taken_filter(now: datetime.datetime, *, prefix: str = "") -> Q:
    """Registrations that occupy a seat: confirmed, or holding one whose time has not run out."""
    return Q(**{f"{prefix}status": Status.CONFIRMED}) | Q(
        **{
            f"{prefix}status__in": Registration.HOLDING_STATUSES,
            f"{prefix}hold_expires_at__gt": now,
        }
    )


def pool_key(registration: Registration, contingents: dict[int, Contingent]) -> int | None:
    contingent = contingents.get(registration.contingent_id)
    if contingent is None or contingent.is_released:
        return PUBLIC
    return contingent.pk


def _seat_counts(
    event_id: int, now: datetime.datetime, *, exclude_pk: int | None
) -> dict[int | None, dict[str, int]]:
    """Taken seats (taken_filter's rule: confirmed, or a hold that has not run out) and
    waiting people per contingent id (None: no contingent), in one grouped statement."""
    holding = Registration.HOLDING_STATUSES
    counted = [Status.CONFIRMED, *holding, Status.WAITING]
    sql = (
        "SELECT contingent_id,"
        f" SUM(CASE WHEN status = %s OR (status IN ({', '.join(['%s'] * len(holding))})"
        " AND hold_expires_at > %s) THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)"
        f" FROM {Registration._meta.db_table}"
        f" WHERE event_id = %s AND status IN ({', '.join(['%s'] * len(counted))})"
    )
    params = [
        Status.CONFIRMED,
        *holding,
        connection.ops.adapt_datetimefield_value(now),
        Status.WAITING,
        event_id,
        *counted,
    ]
    if exclude_pk is not None:
        sql += " AND id <> %s"
        params.append(exclude_pk)
    sql += " GROUP BY contingent_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            contingent_id: {"taken": int(taken or 0), "waiting": int(waiting or 0)}
            for contingent_id, taken, waiting in cursor.fetchall()
        }


def pool_uses(
    event, now: datetime.datetime, *, exclude_pk: int | None = None
) -> dict[int | None, PoolUse]:
    """Every pool of the event by key (a contingent's pk, PUBLIC for the public pool).
    `exclude_pk`: as if that registration did not exist (a sign-up counting the others)."""
    contingents = {c.pk: c for c in Contingent.objects.filter(event=event)}
    counts = _seat_counts(event.pk, now, exclude_pk=exclude_pk)

    def count(key, name):
        return counts.get(key, {}).get(name, 0)

    total_taken = sum(row["taken"] for row in counts.values())
    event_free = max(event.capacity - total_taken, 0)

    uses: dict[int | None, PoolUse] = {}
    reserved = 0
    public_taken = count(None, "taken")
    public_waiting = count(None, "waiting")
    for key, contingent in contingents.items():
        taken, waiting = count(key, "taken"), count(key, "waiting")
        if contingent.is_released:
            public_taken += taken
            public_waiting += waiting
            continue
        reserved += max(contingent.seats, taken)
        uses[key] = PoolUse(
            contingent=contingent,
            seats=contingent.seats,
            taken=taken,
            waiting=waiting,
            free=min(max(contingent.seats - taken, 0), event_free),
        )
    public_seats = max(event.capacity - reserved, 0)
    uses[PUBLIC] = PoolUse(
        contingent=None,
        seats=public_seats,
        taken=public_taken,
        waiting=public_waiting,
        free=min(max(public_seats - public_taken, 0), event_free),
    )
    return uses


def pool_of(uses: dict[int | None, PoolUse], contingent_id: int | None) -> PoolUse:
    """The pool a person of that contingent draws from (released contingents: public)."""
    return uses.get(contingent_id, uses[PUBLIC])


def public_pool(event, now: datetime.datetime) -> PoolUse:
    return pool_uses(event, now)[PUBLIC]


def pool_for_newcomer(*, event, category: str, code: InvitationCode | None) -> Contingent | None:
    """The contingent a new registration belongs to: the code's, else the press contingent
    for the press, else none (the public pool). A released contingent still records where
    a person came from; its seats are public."""
    if code is not None:
        return code.contingent
    if category == Registration.Category.PRESS:
        return Contingent.objects.filter(event=event, is_press=True).first()
    return None


def waiting_in_pool(event, key: int | None, contingents: dict[int, Contingent]):
    """The waiting list of one pool, first come first served."""
    waiting = Registration.objects.filter(event=event).waiting_list()
    if key is PUBLIC:
        released = [pk for pk, c in contingents.items() if c.is_released]
        return waiting.filter(Q(contingent__isnull=True) | Q(contingent_id__in=released))
    return waiting.filter(contingent_id=key)
