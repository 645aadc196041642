"""The organisers' dashboard: its figures against a seeded database of known counts, and a
constant number of queries at 10 and at 10,000 registrations."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.models import DeliveryAttempt, OutgoingEmail
from registration import dashboard, services
from registration.models import Registration

Status = Registration.Status
DASHBOARD = reverse("admin:registration_dashboard")


def figures_on(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'<dd data-figure="(\w+)">([^<]*)</dd>', html))


def bulk_registrations(event, count, **fields):
    """count registrations in one INSERT (the tokens are fake: no link is followed)."""
    now = timezone.now()
    start = Registration.objects.count()
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                first_name=f"P{start + i}",
                last_name="Bulk",
                email=f"bulk{start + i}@example.org",
                organisation="Org",
                category=fields.get("category", "federal"),
                model_municipality=fields.get("model_municipality", ""),
                status=fields.get("status", Status.CONFIRMED),
                confirmed_at=now,
                email_confirmed_at=now,
                privacy_consent_version="v",
                privacy_consented_at=now,
                entry_code=f"B{start + i:07d}",
                manage_token_hash=f"m{start + i}",
                confirm_token_hash=f"c{start + i}",
            )
            for i in range(count)
        ],
        batch_size=500,
    )


@pytest.fixture
def known_house(event, register, confirmed_registration):
    """Capacity 5: 3 confirmed (2 checked in), 1 live hold, 1 lapsed-but-unsettled hold
    does not count, 2 on the waiting list, 1 cancelled; registered over three days."""
    services.set_capacity(event=event, capacity=5)
    confirmed = [
        confirmed_registration("a@example.org", category="federal"),
        confirmed_registration(
            "b@example.org", category="model_municipality", model_municipality="dueren"
        ),
        confirmed_registration(
            "c@example.org", category="model_municipality", model_municipality="dueren"
        ),
    ]
    register("held@example.org", category="science")
    cancelled = confirmed_registration("x@example.org", category="business")
    services.cancel(registration=cancelled)
    confirmed_registration("w0@example.org", category="business")  # takes the 5th seat
    services.set_capacity(event=event, capacity=5)
    waiting = [
        confirmed_registration("w1@example.org", category="science"),
        confirmed_registration(
            "w2@example.org", category="model_municipality", model_municipality="halle"
        ),
    ]
    assert [w.status for w in waiting] == [Status.WAITING, Status.WAITING]
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in confirmed[:2]]).update(checked_in_at=now)
    days_ago = {0: confirmed[0], 1: confirmed[1], 2: confirmed[2]}
    for ago, registration in days_ago.items():
        Registration.objects.filter(pk=registration.pk).update(
            created_at=now - datetime.timedelta(days=2 + ago)
        )
    # Emails: one queued, two failed of which one refused by the server.
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT, sent_at=now)
    first, second, third = OutgoingEmail.objects.order_by("pk")[:3]
    OutgoingEmail.objects.filter(pk=first.pk).update(status=OutgoingEmail.Status.QUEUED)
    OutgoingEmail.objects.filter(pk__in=[second.pk, third.pk]).update(
        status=OutgoingEmail.Status.FAILED
    )
    DeliveryAttempt.objects.create(
        email=second,
        started_at=now,
        finished_at=now,
        outcome=DeliveryAttempt.Outcome.PERMANENT_FAILURE,
        error="550 no such user",
    )
    return {"now": now}


def test_figures_match_the_seeded_database(admin_client, event, known_house):
    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    sent = OutgoingEmail.objects.filter(status="sent").count()
    assert figures_on(response) == {
        "confirmed": "4",
        "held": "1",
        "free": "0",
        "waiting": "2",
        "unconfirmed": "1",
        "checked_in": "2",
        "cancelled": "1",
        "expired": "0",
        "emails_queued": "1",
        "emails_sent": str(sent),
        "emails_failed": "2",
        "emails_bounced": "1",
    }
    html = response.content.decode()
    assert re.search(r'data-category="model_municipality">2<', html)
    assert re.search(r'data-category="business">1<', html)  # the cancelled one does not count
    assert re.search(r'data-municipality="dueren">2<', html)
    # Per day: the three back-dated registrations, then the rest today.
    today = timezone.localdate()
    per_day = dict(re.findall(r'<td data-day="([\d-]+)">(\d+)</td>', html))
    assert per_day[(today - datetime.timedelta(days=4)).isoformat()] == "1"
    assert per_day[(today - datetime.timedelta(days=3)).isoformat()] == "1"
    assert per_day[(today - datetime.timedelta(days=2)).isoformat()] == "1"
    assert per_day[(today - datetime.timedelta(days=1)).isoformat()] == "0"
    assert per_day[today.isoformat()] == "5"
    assert html.count('class="day-bar"') == 5
    assert 'class="segment-confirmed" x="0.0" y="0" width="80.0"' in html


def test_capacity_bar_shares():
    assert dashboard.capacity_segments(200, 150, 10) == [
        {"key": "confirmed", "value": 150, "x": 0.0, "width": 75.0},
        {"key": "held", "value": 10, "x": 75.0, "width": 5.0},
        {"key": "free", "value": 40, "x": 80.0, "width": 20.0},
    ]
    # Over capacity after the organisers lowered it: scaled to what is taken.
    assert [s["width"] for s in dashboard.capacity_segments(10, 12, 0)] == [100.0, 0.0, 0.0]


def test_reached_from_the_admin_index(admin_client, event):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert DASHBOARD in html


def test_needs_permission(client, event, django_user_model):
    user = django_user_model.objects.create_user("helper", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    assert client.get(DASHBOARD).status_code == 403


def test_english(admin_client, event, known_house):
    html = admin_client.get("/en" + DASHBOARD).content.decode()
    assert "Registrations per day" in html


def _queries(admin_client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(DASHBOARD)
    assert response.status_code == 200
    return len(captured)


def test_query_count_is_the_same_at_10_and_10000_registrations(admin_client, event):
    admin_client.get(DASHBOARD)  # sessions, content types and the like warmed up
    bulk_registrations(event, 10)
    at_ten = _queries(admin_client)
    bulk_registrations(event, 5_000)
    bulk_registrations(event, 4_990, category="model_municipality", model_municipality="halle")
    assert Registration.objects.count() == 10_000
    at_ten_thousand = _queries(admin_client)

    assert at_ten == at_ten_thousand
    assert at_ten_thousand <= 14
    html = admin_client.get(DASHBOARD).content.decode()
    assert '<dd data-figure="confirmed">10000</dd>' in html
