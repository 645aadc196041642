"""The reminder N days before the event, the one-click way to free the seat, and the last
call for people who move up from the waiting list close to the day."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from audit.models import AuditEntry
from outbox import deliver_outbox
from outbox.models import OutgoingEmail
from registration import reminders, services
from registration.models import Registration
from tests.emails.checks import markdown_syntax_in, markup_errors
from tests.registration.test_readable_emails import parts

Status = Registration.Status


@pytest.fixture
def soon(event):
    """The event two days from now (the reminder window of 3 days is open)."""
    event.date = timezone.localdate() + datetime.timedelta(days=2)
    event.save()
    return event


def reminders_sent():
    return OutgoingEmail.objects.filter(template="registration/reminder")


@pytest.mark.django_db
def test_no_reminder_before_the_window_opens(event, confirmed_registration, settings):
    event.date = timezone.localdate() + datetime.timedelta(days=5)
    event.save()
    confirmed_registration("a@example.org")

    assert reminders.send_reminders() == 0
    settings.REMINDER_DAYS_BEFORE = 6
    assert reminders.send_reminders() == 1


@pytest.mark.django_db
def test_every_confirmed_guest_is_reminded_once(soon, confirmed_registration):
    first = confirmed_registration("a@example.org")
    second = confirmed_registration("b@example.org", language="en")
    cancelled = confirmed_registration("c@example.org")
    services.cancel(registration=cancelled)
    services.set_capacity(event=soon, capacity=2)
    confirmed_registration("waiting@example.org")

    assert reminders.send_reminders() == 2
    assert reminders.send_reminders() == 0
    assert sorted(reminders_sent().values_list("recipient", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]
    first.refresh_from_db(), second.refresh_from_db()
    assert first.reminded_at is not None and second.reminded_at is not None
    # The organisers see in each guest's history that the reminder went out, and by whom.
    for guest in (first, second):
        [entry] = AuditEntry.objects.about(guest).filter(action="reminder_sent")
        assert (entry.actor_kind, entry.via) == ("system", "reminders")
    assert not AuditEntry.objects.about(cancelled).filter(action="reminder_sent").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_reminder_carries_code_qr_id_rule_travel_and_cancel_link(
    soon, confirmed_registration, language
):
    registration = confirmed_registration("a@example.org", language=language)
    deliver_outbox()
    mail.outbox.clear()
    reminders.send_reminders()
    deliver_outbox()

    [message] = mail.outbox
    text, html = parts(message)
    expected = {
        "de": ("Erinnerung: Wir sehen uns am", "in 2 Tagen", "Lichtbildausweis", "Platz freigeben"),
        "en": ("Reminder: see you on", "in 2 days", "photo ID", "Free my seat"),
    }[language]
    assert message.subject.startswith(expected[0])
    for part in (text, html):
        assert registration.entry_code_display in part
        for phrase in expected[1:]:
            assert phrase in part
        assert "Friedrichstraße" in part  # the travel information
    cancel_url = services_cancel_url(registration, language)
    assert cancel_url in text and cancel_url in html
    assert markdown_syntax_in(text) == [] and markup_errors(html) == []
    names = [attachment[0] for attachment in message.attachments]
    assert any(name.endswith(".png") for name in names)
    assert any(name.endswith(".ics") for name in names)


def services_cancel_url(registration, language):
    with translation.override(language):
        from django.urls import reverse

        return settings.SITE_URL + reverse(
            "registration:cancel", kwargs={"token": registration.manage_token()}
        )


@pytest.mark.django_db
def test_cancel_link_asks_once_then_frees_the_seat_for_the_waiting_list(
    client, soon, confirmed_registration
):
    services.set_capacity(event=soon, capacity=1)
    guest = confirmed_registration("guest@example.org")
    waiting = confirmed_registration("waiting@example.org", language="en")
    assert waiting.status == Status.WAITING
    reminders.send_reminders()
    path = urlsplit(services_cancel_url(guest, "de")).path

    page = client.get(path)  # the click in the email changes nothing yet
    assert page.status_code == 200
    guest.refresh_from_db()
    assert guest.status == Status.CONFIRMED
    assert f'action="{path}"' in page.content.decode() or 'method="post"' in page.content.decode()

    client.post(path)  # the one button on that page

    guest.refresh_from_db(), waiting.refresh_from_db()
    assert guest.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    last_call = OutgoingEmail.objects.get(
        recipient="waiting@example.org", template="registration/last_call"
    )
    assert last_call.language == "en"
    assert waiting.reminded_at is not None
    assert reminders.send_reminders() == 0  # the last call was their reminder
    assert AuditEntry.objects.about(waiting).filter(action="last_call_sent").count() == 1
    assert not AuditEntry.objects.about(waiting).filter(action="reminder_sent").exists()
    assert not OutgoingEmail.objects.filter(
        recipient="waiting@example.org", template="registration/moved_up"
    ).exists()


@pytest.mark.django_db
def test_moving_up_long_before_the_day_is_no_last_call(event, confirmed_registration):
    event.date = timezone.localdate() + datetime.timedelta(days=30)
    event.save()
    services.set_capacity(event=event, capacity=1)
    guest = confirmed_registration("guest@example.org")
    confirmed_registration("waiting@example.org")

    services.cancel(registration=guest)

    moved = Registration.objects.get(email="waiting@example.org")
    assert moved.status == Status.CONFIRMED and moved.reminded_at is None
    templates = set(
        OutgoingEmail.objects.filter(recipient="waiting@example.org").values_list(
            "template", flat=True
        )
    )
    assert "registration/moved_up" in templates and "registration/last_call" not in templates


def test_reminders_are_a_periodic_job():
    [job] = [job for job in settings.PERIODIC_JOBS if job["name"] == "send-reminders"]
    assert import_string(job["run"]) is reminders.send_reminders
    assert job["every"] <= datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_reminder_arrives_over_smtp(soon, confirmed_registration, smtp_server):
    confirmed_registration("a@example.org", language="en")
    reminders.send_reminders()

    deliver_outbox()

    [received] = [
        item
        for item in smtp_server.handler.messages
        if item["message"]["Subject"].startswith("Reminder")
    ]
    assert received["to"] == ["a@example.org"]
