"""The organisers' dashboard: the figures in a fixed number of queries, whatever the size
of the guest list (pinned in tests/registration/test_dashboard.py)."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from outbox.models import DeliveryAttempt, OutgoingEmail
from programme.models import Event
from registration.models import Registration, RegistrationSettings

Status = Registration.Status

# The outbox template of the organisers' mailings (mailings/services.py): their failures
# are counted apart, so a bulk mail never fails unnoticed.
MAILING_TEMPLATE = "mailings/mailing"
CHART_WIDTH = 640
CHART_HEIGHT = 160


@dataclasses.dataclass(frozen=True)
class Bar:
    day: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


def _status_counts(event: Event, now: datetime.datetime) -> dict[str, int]:
    registrations = Registration.objects.filter(event=event)
    return registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        held=Count("pk", filter=Q(status=Status.HELD, hold_expires_at__gt=now)),
        unconfirmed=Count(
            "pk", filter=Q(status__in=[Status.HELD, Status.UNCONFIRMED], hold_expires_at__gt=now)
        ),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        expired=Count("pk", filter=Q(status=Status.EXPIRED)),
        checked_in=Count("pk", filter=Q(status=Status.CONFIRMED, checked_in_at__isnull=False)),
        total=Count("pk"),
    )


def _breakdown(event: Event, field: str, choices) -> list[dict]:
    """Confirmed and waiting per value of `field`, in the order of the choices."""
    rows = {
        row[field]: row
        for row in Registration.objects.filter(
            event=event, status__in=[Status.CONFIRMED, Status.WAITING]
        )
        .values(field)
        .annotate(
            confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Status.WAITING)),
        )
        .order_by()
    }
    return [
        {
            "value": value,
            "label": label,
            "confirmed": rows.get(value, {}).get("confirmed", 0),
            "waiting": rows.get(value, {}).get("waiting", 0),
        }
        for value, label in choices
        if value in rows or value  # the empty choice only when it occurs
    ]


def _per_day(event: Event) -> list[tuple[datetime.date, int]]:
    rows = (
        Registration.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    counts = {row["day"]: row["count"] for row in rows}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    days = (last - first).days + 1
    return [
        (first + datetime.timedelta(days=i), counts.get(first + datetime.timedelta(days=i), 0))
        for i in range(days)
    ]


def chart_bars(per_day: list[tuple[datetime.date, int]]) -> list[Bar]:
    """Bars of the registrations-per-day chart, in SVG user units."""
    if not per_day:
        return []
    highest = max(count for _day, count in per_day) or 1
    slot = CHART_WIDTH / len(per_day)
    gap = min(2.0, slot / 4)
    bars = []
    for i, (day, count) in enumerate(per_day):
        height = round(CHART_HEIGHT * count / highest, 2)
        bars.append(
            Bar(
                day=day,
                count=count,
                x=round(i * slot + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=height,
            )
        )
    return bars


def _email_counts() -> dict[str, int]:
    refused = DeliveryAttempt.objects.filter(
        email=OuterRef("pk"), outcome=DeliveryAttempt.Outcome.PERMANENT_FAILURE
    )
    Email = OutgoingEmail.Status
    return OutgoingEmail.objects.annotate(refused=Exists(refused)).aggregate(
        queued=Count("pk", filter=Q(status__in=[Email.QUEUED, Email.SENDING])),
        sent=Count("pk", filter=Q(status=Email.SENT)),
        failed=Count("pk", filter=Q(status=Email.FAILED)),
        bounced=Count("pk", filter=Q(status=Email.FAILED, refused=True)),
        mailing_failed=Count("pk", filter=Q(status=Email.FAILED, template=MAILING_TEMPLATE)),
    )


def capacity_segments(capacity: int, confirmed: int, held: int) -> list[dict]:
    """The capacity bar: confirmed, held and free as shares of the seats (0..100). Over
    capacity (the organisers lowered it) the bar is scaled to what is taken."""
    free = max(capacity - confirmed - held, 0)
    whole = max(capacity, confirmed + held) or 1
    segments, start = [], 0.0
    for key, value in (("confirmed", confirmed), ("held", held), ("free", free)):
        width = round(100 * value / whole, 3)
        segments.append({"key": key, "value": value, "x": start, "width": width})
        start = round(start + width, 3)
    return segments


def figures(event: Event) -> dict:
    """Everything the dashboard shows, in seven queries."""
    now = timezone.now()
    counts = _status_counts(event, now)
    per_day = _per_day(event)
    window = RegistrationSettings.for_event(event).state(now)
    return {
        "event": event,
        "window": window,
        "capacity": event.capacity,
        "counts": counts,
        "free": max(event.capacity - counts["confirmed"] - counts["held"], 0),
        "segments": capacity_segments(event.capacity, counts["confirmed"], counts["held"]),
        "by_category": _breakdown(event, "category", Registration.Category.choices),
        "by_municipality": _breakdown(
            event, "model_municipality", Registration.ModelMunicipality.choices[1:]
        ),
        "per_day": per_day,
        "bars": chart_bars(per_day),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "chart_max": max((count for _day, count in per_day), default=0),
        "emails": _email_counts(),
    }
