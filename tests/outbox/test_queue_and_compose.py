"""Composing and queueing: what a recipient gets, and that nothing leaves without a commit."""

import pytest
from django.core import mail
from django.db import transaction

from outbox import Attachment, deliver_outbox, queue_email
from outbox.models import OutgoingEmail
from outbox.services import InvalidRecipient, store_email

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def queue_test_email(to="anna@example.org", language="de", **kwargs):
    return queue_email(
        to=to,
        template="mail/test",
        context={"recipient": to},
        language=language,
        **kwargs,
    )


@pytest.mark.django_db
def test_queued_email_waits_in_the_outbox_until_delivered(event):
    email = queue_test_email()

    assert email.status == OutgoingEmail.Status.QUEUED
    assert mail.outbox == []

    report = deliver_outbox()

    assert report.sent == 1
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert list(email.delivery_attempts.values_list("outcome", flat=True)) == ["sent"]


@pytest.mark.django_db
def test_delivering_again_sends_nothing_twice(event):
    queue_test_email()
    deliver_outbox()
    report = deliver_outbox()

    assert report.processed == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_rollback_of_the_causing_change_sends_nothing(event):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_test_email()
        raise RuntimeError("the registration failed after the email was queued")

    assert OutgoingEmail.objects.count() == 0
    assert deliver_outbox().processed == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_message_has_display_name_reply_to_message_id_and_auto_submitted(event, settings):
    settings.DEFAULT_FROM_EMAIL = "Modellkommunen Abschluss <veranstaltung@example.org>"
    settings.EMAIL_REPLY_TO = "orga@example.org"
    email = queue_test_email()
    deliver_outbox()

    message = mail.outbox[0].message()
    assert message["From"] == "Modellkommunen Abschluss <veranstaltung@example.org>"
    assert message["Reply-To"] == "orga@example.org"
    assert message["Message-ID"] == email.message_id
    assert email.message_id.endswith("@example.org>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "de"


@pytest.mark.django_db
def test_reply_to_falls_back_to_the_events_contact_address(event, settings):
    settings.EMAIL_REPLY_TO = ""
    event.contact_email = "kontakt@example.org"
    event.save()

    assert queue_test_email().reply_to == "kontakt@example.org"


@pytest.mark.django_db
def test_german_and_english_versions_are_rendered_in_the_recipients_language(event):
    german = queue_test_email(language="de")
    english = queue_test_email(to="ben@example.org", language="en")

    assert german.subject.startswith("Testnachricht")
    assert "Guten Tag" in german.body_text
    assert "Guten Tag" in german.body_html
    assert english.subject.startswith("Test message")
    assert "Hello" in english.body_text
    assert "Hello" in english.body_html
    assert event.title in german.body_text  # the footer names the event


@pytest.mark.django_db
def test_plain_text_part_is_not_html_escaped(event):
    email = queue_test_email(to='"Müller & Söhne" <ms@example.org>')

    assert "ms@example.org" in email.body_text
    assert "&amp;" not in email.body_text
    assert "&amp;" not in email.subject


@pytest.mark.django_db
def test_attachments_are_stored_and_sent(event):
    queue_test_email(
        attachments=[
            Attachment("termin.ics", ICS, "text/calendar"),
            Attachment("ticket.png", PNG, "image/png"),
        ]
    )
    deliver_outbox()

    sent = mail.outbox[0]
    filenames = [attachment[0] for attachment in sent.attachments]
    assert filenames == ["termin.ics", "ticket.png"]
    assert sent.attachments[1][1] == PNG


@pytest.mark.django_db
def test_subject_with_line_breaks_cannot_add_headers(event):
    store_email(
        recipient="anna@example.org",
        subject="Hallo\r\nBcc: eve@example.org\nX-Evil: 1",
        body_text="Text",
        headers={"X-Note": "a\r\nBcc: eve@example.org", "Bcc": "eve@example.org"},
    )
    deliver_outbox()

    message = mail.outbox[0].message()
    assert message["Subject"] == "Hallo Bcc: eve@example.org X-Evil: 1"
    assert message["X-Note"] == "a Bcc: eve@example.org"
    assert message["Bcc"] is None
    assert message["X-Evil"] is None
    assert mail.outbox[0].recipients() == ["anna@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "recipient",
    [
        "anna@example.org\r\nBcc: eve@example.org",
        "anna@example.org, eve@example.org",
        "keine Adresse",
        "",
    ],
)
def test_invalid_or_multiple_recipients_are_refused(event, recipient):
    with pytest.raises(InvalidRecipient):
        queue_test_email(to=recipient)
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_display_name_with_line_break_stays_in_the_to_header(event):
    email = queue_test_email(to="Anna\r\nBcc: eve@example.org <anna@example.org>")
    deliver_outbox()

    message = mail.outbox[0]
    assert email.recipient == '"Anna Bcc: eve@example.org" <anna@example.org>'
    assert message.recipients() == ['"Anna Bcc: eve@example.org" <anna@example.org>']
    rendered = message.message()
    assert rendered["Bcc"] is None
    assert rendered.get_all("To") == ['"Anna Bcc: eve@example.org" <anna@example.org>']
