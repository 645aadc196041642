"""Delivery through a real SMTP server on loopback: arrival, retries, failures, leases."""

import smtplib
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox import Attachment, deliver_outbox
from outbox.delivery import (
    RETRY_DELAYS,
    claim_batch,
    classify,
    deliver_batch,
)
from outbox.models import DeliveryAttempt, OutgoingEmail
from programme.models import Speaker
from tests.conftest import RecordingSMTPHandler, free_port, point_email_at, start_smtp_server
from tests.outbox.conftest import queue_test_email
from tests.programme.factories import SpeakerFactory

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture
def failing_smtp_server(settings):
    """An SMTP server whose answer to DATA a test chooses (handler.reply)."""
    controller = start_smtp_server(RecordingSMTPHandler())
    point_email_at(settings, controller.port)
    yield controller
    controller.stop()


@pytest.mark.django_db
def test_message_arrives_as_multipart_alternative_with_attachments_in_english(event, smtp_server):
    email = queue_test_email(
        to="Ben Miller <ben@example.org>",
        language="en",
        attachments=[
            Attachment("event.ics", ICS, "text/calendar"),
            Attachment("ticket.png", PNG, "image/png"),
        ],
    )

    report = deliver_outbox()

    assert report.sent == 1
    [received] = smtp_server.handler.messages
    assert received["to"] == ["ben@example.org"]
    message = received["message"]
    assert message["Message-ID"] == email.message_id
    assert message["To"] == "Ben Miller <ben@example.org>"
    assert message["Subject"].strip().startswith("Test message:")
    assert message["Content-Language"] == "en"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/mixed"
    [alternative] = [part for part in message.walk() if part.is_multipart()][1:]
    assert alternative.get_content_type() == "multipart/alternative"
    text, html = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert "Hello," in text.get_content()
    assert html.get_content_type() == "text/html"
    assert '<html lang="en">' in html.get_content()
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {"event.ics", "ticket.png"}
    assert attachments["ticket.png"].get_content() == PNG
    assert attachments["event.ics"].get_content_type() == "text/calendar"
    assert "BEGIN:VCALENDAR" in attachments["event.ics"].get_content()


@pytest.mark.django_db
def test_german_message_arrives_in_german(event, smtp_server):
    queue_test_email(language="de")
    deliver_outbox()

    message = smtp_server.handler.messages[0]["message"]
    assert message["Subject"].strip().startswith("Testnachricht:")
    assert message["Content-Language"] == "de"
    assert "Guten Tag," in message.get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_header_injection_through_name_or_subject_reaches_nobody_else(event, smtp_server):
    from outbox.services import store_email

    store_email(
        recipient="Anna\r\nBcc: eve@example.org <anna@example.org>",
        subject="Hallo\r\nBcc: eve@example.org",
        body_text="Text",
    )
    deliver_outbox()

    [received] = smtp_server.handler.messages
    assert received["to"] == ["anna@example.org"]
    assert received["message"]["Bcc"] is None
    assert received["message"]["Subject"] == "Hallo Bcc: eve@example.org"


@pytest.mark.django_db
def test_mail_server_down_at_queue_time_then_delivered_exactly_once(event, settings):
    port = free_port()
    point_email_at(settings, port)  # nobody listens there yet
    with transaction.atomic():
        speaker = SpeakerFactory()  # the change that causes the message
        email = queue_test_email(about=speaker)

    report = deliver_outbox()

    assert report.retrying == 1
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()
    [attempt] = email.delivery_attempts.all()
    assert attempt.outcome == DeliveryAttempt.Outcome.TEMPORARY_FAILURE

    server = start_smtp_server(RecordingSMTPHandler(), port=port)
    try:
        assert deliver_outbox().processed == 0  # the pause after the failure is respected
        later = timezone.now() + timedelta(minutes=2)
        assert deliver_outbox(now=later).sent == 1
        assert deliver_outbox(now=later + timedelta(hours=1)).processed == 0
        assert server.handler.message_ids == [email.message_id]
    finally:
        server.stop()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.about == speaker
    assert list(email.delivery_attempts.values_list("outcome", flat=True)) == [
        "temporary",
        "sent",
    ]


@pytest.mark.django_db
def test_temporary_rejections_are_retried_with_growing_pauses(event, failing_smtp_server):
    failing_smtp_server.handler.reply = "451 4.3.0 Please try again later"
    email = queue_test_email()
    now = timezone.now()
    pauses = []
    for _ in range(4):
        deliver_outbox(now=now)
        email.refresh_from_db()
        pauses.append(email.next_attempt_at - now)
        now = email.next_attempt_at

    assert pauses == RETRY_DELAYS[:4]
    assert pauses == sorted(pauses)
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 4
    assert "451" in email.last_error

    failing_smtp_server.handler.reply = None
    deliver_outbox(now=now)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.delivery_attempts.count() == 5


@pytest.mark.django_db
def test_retrying_stops_after_the_retry_window(event, failing_smtp_server, settings):
    failing_smtp_server.handler.reply = "421 4.7.0 Service not available"
    email = queue_test_email()

    deliver_outbox(now=email.created_at + timedelta(hours=settings.EMAIL_RETRY_HOURS, seconds=-30))

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "Gave up" in email.last_error


@pytest.mark.django_db
def test_permanent_rejection_fails_at_once_and_is_not_retried(event, failing_smtp_server):
    failing_smtp_server.handler.reply = "550 5.1.1 Mailbox does not exist"
    email = queue_test_email()

    report = deliver_outbox()
    deliver_outbox(now=timezone.now() + timedelta(days=1))

    assert report.failed == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 1
    assert "550" in email.last_error
    assert email.delivery_attempts.get().outcome == DeliveryAttempt.Outcome.PERMANENT_FAILURE


@pytest.mark.django_db
def test_one_rejected_message_does_not_hold_up_the_others(event, smtp_server):
    good = [queue_test_email(to=f"guest{number}@example.org") for number in range(3)]
    queue_test_email(to="bad@example.org")

    original = smtp_server.handler.handle_DATA

    async def reject_bad(server, session, envelope):
        if envelope.rcpt_tos == ["bad@example.org"]:
            return "554 5.6.0 Message rejected"
        return await original(server, session, envelope)

    smtp_server.handler.handle_DATA = reject_bad
    report = deliver_outbox()

    assert (report.sent, report.failed) == (3, 1)
    assert sorted(smtp_server.handler.message_ids) == sorted(email.message_id for email in good)


def test_errors_are_sorted_into_temporary_and_permanent():
    refused_for_good = smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")})
    refused_for_now = smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"mailbox full")})

    assert classify(refused_for_good).permanent
    assert not classify(refused_for_now).permanent
    assert classify(smtplib.SMTPDataError(552, b"too big")).permanent
    assert not classify(smtplib.SMTPDataError(451, b"later")).permanent
    assert not classify(ConnectionRefusedError()).permanent
    assert classify(ConnectionRefusedError()).connection_broken
    assert not classify(TimeoutError()).permanent
    assert not classify(smtplib.SMTPServerDisconnected()).permanent
    assert not classify(smtplib.SMTPAuthenticationError(535, b"bad login")).permanent
    assert not classify(smtplib.SMTPSenderRefused(550, b"not ours", "x@example.org")).permanent
    assert classify(ValueError("Invalid address")).permanent


@pytest.mark.django_db
def test_message_of_a_worker_that_died_is_taken_over_after_its_lease(event, settings):
    email = queue_test_email()
    now = timezone.now()
    # A worker claims the message and dies before reporting back.
    claim_batch(batch_size=10, now=now, token=uuid.uuid4())

    assert deliver_outbox(now=now).processed == 0  # the lease still protects it
    assert mail.outbox == []

    after_lease = now + timedelta(seconds=settings.EMAIL_LEASE_SECONDS + 1)
    assert deliver_outbox(now=after_lease).sent == 1

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert list(email.delivery_attempts.values_list("outcome", flat=True)) == [
        "interrupted",
        "sent",
    ]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sent_message_is_never_claimed_again(event, settings):
    email = queue_test_email()
    deliver_outbox()

    far_future = timezone.now() + timedelta(days=30)
    assert deliver_outbox(now=far_future).processed == 0
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_stopping_worker_finishes_the_message_in_hand_and_gives_back_the_rest(event):
    emails = [queue_test_email(to=f"guest{number}@example.org") for number in range(5)]
    sent_so_far = []

    def stop_after_two():
        sent_so_far.append(None)
        return len(sent_so_far) > 2

    report = deliver_batch(batch_size=10, should_stop=stop_after_two)

    assert (report.sent, report.released) == (2, 3)
    statuses = [OutgoingEmail.objects.get(pk=email.pk).status for email in emails]
    assert statuses == ["sent", "sent", "queued", "queued", "queued"]
    assert deliver_outbox().sent == 3
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_messages_go_out_oldest_first(event):
    first = queue_test_email(to="first@example.org")
    second = queue_test_email(to="second@example.org")
    deliver_outbox()

    assert [message.to for message in mail.outbox] == [[first.recipient], [second.recipient]]


@pytest.mark.django_db
def test_database_error_after_sending_gives_back_the_untried_rest(event, monkeypatch):
    from outbox import delivery

    emails = [queue_test_email(to=f"guest{number}@example.org") for number in range(3)]

    def database_gone(*args, **kwargs):
        raise RuntimeError("database connection lost")

    monkeypatch.setattr(delivery, "_record_sent", database_gone)
    with pytest.raises(RuntimeError):
        deliver_batch(batch_size=10)

    statuses = [OutgoingEmail.objects.get(pk=email.pk).status for email in emails]
    # The first went out but could not be recorded: it waits for its lease (and may be sent
    # twice, the one case SMTP leaves open). The others were never tried: back in the queue.
    assert statuses == ["sending", "queued", "queued"]
