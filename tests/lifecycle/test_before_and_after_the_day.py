"""Before and after the day, scripted: register, confirm, the reminder, the one-click
cancel that gives the seat to the waiting list (a last call), check-in at the door, the
certificate, the documentation (its email and the pages saying the event has taken
place), the invitation to give anonymous feedback and the answer. Every email is
read from a real SMTP server on loopback, once each, in the reader's language, without
Markdown syntax."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader

from documentation import services as documentation
from documentation.models import Document
from feedback import services as feedback
from feedback.models import FeedbackAnswer, FeedbackInvitation
from registration import certificates, checkin, reminders, services
from registration.models import Registration
from tests.emails.checks import markdown_syntax_in, markup_errors
from tests.registration.test_lifecycle import FORM, Mailbox, subject, text_of

Status = Registration.Status


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(message, fragment: str) -> str:
    match = re.search(r"https?://\S*" + re.escape(fragment) + r"\S*", text_of(message))
    assert match, text_of(message)
    return urlsplit(match[0]).path


def readable(message) -> None:
    assert markdown_syntax_in(text_of(message)) == []
    assert markup_errors(html_of(message)) == []


def register(client, mailbox, email, language):
    prefix = "/en" if language == "en" else ""
    assert client.post(f"{prefix}/anmeldung/", {**FORM, "email": email}).status_code == 302
    confirm = link(mailbox.one(email), "/anmeldung/bestaetigen/")
    assert client.post(confirm).status_code == 200
    return mailbox.one(email)


@pytest.mark.django_db
def test_before_and_after_the_day(client, event, smtp_server, settings):
    mailbox = Mailbox(smtp_server)
    event.date = timezone.localdate() + datetime.timedelta(days=10)
    event.save()
    services.set_capacity(event=event, capacity=1)

    # A guest (English) takes the one seat; a second person (German) waits.
    confirmed = register(client, mailbox, "guest@example.org", "en")
    assert subject(confirmed) == "Your registration is confirmed"
    waiting = register(client, mailbox, "wartend@example.org", "de")
    assert subject(waiting).startswith("Sie stehen auf der Warteliste")
    readable(confirmed), readable(waiting)

    # Too early for reminders.
    assert reminders.send_reminders() == 0
    assert mailbox.new() == []

    # Two days before: one reminder, in English, with code, ID rule, travel, cancel link.
    # (The window opens REMINDER_DAYS_BEFORE = 3 days before the start *time*: with the
    # date three days ahead, a run before 10:00 local time was still outside it.)
    event.date = timezone.localdate() + datetime.timedelta(days=2)
    event.save()
    assert reminders.send_reminders() == 1
    assert reminders.send_reminders() == 0
    reminder = mailbox.one("guest@example.org")
    assert subject(reminder).startswith("Reminder: see you on")
    guest = Registration.objects.get(email="guest@example.org")
    body = text_of(reminder)
    for phrase in (guest.entry_code_display, "photo ID", "Friedrichstraße", "Free my seat"):
        assert phrase in body
    readable(reminder)
    assert mailbox.new() == []  # nobody else heard anything

    # The guest cannot come: the link asks once, the button frees the seat.
    cancel = link(reminder, "/stornieren/")
    assert client.get(cancel).status_code == 200
    assert mailbox.new() == []
    client.post(cancel)
    arrived = {message["To"]: message for message in mailbox.new()}
    assert set(arrived) == {"guest@example.org", "wartend@example.org"}
    assert subject(arrived["guest@example.org"]) == "Your registration has been cancelled"
    last_call = arrived["wartend@example.org"]
    assert subject(last_call) == "Ein Platz ist frei geworden: Sie sind dabei"
    readable(last_call)
    assert reminders.send_reminders() == 0  # the last call was the reminder

    # The day: the door checks the new guest in.
    new_guest = Registration.objects.get(email="wartend@example.org")
    door = get_user_model().objects.create_user("door", password="a-long-password-1")
    checkin.check_in(event=event, registration_id=new_guest.pk, by=door)

    # After the event: the organisers issue certificates; the guest gets one link.
    event.date = timezone.localdate() - datetime.timedelta(days=1)
    event.save()
    assert certificates.issue(registrations=Registration.objects.all()) == (1, 1)
    certificates.issue(registrations=Registration.objects.all())
    certificate_mail = mailbox.one("wartend@example.org")
    assert subject(certificate_mail) == "Ihre Teilnahmebescheinigung"
    readable(certificate_mail)
    assert mailbox.new() == []

    response = client.get(link(certificate_mail, "teilnahmebescheinigung.pdf"))
    assert response.status_code == 200
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    assert "Teilnahmebescheinigung" in text and "Jürgen Çelik-Østergaard" in text
    assert "Zeitstunden" in text

    # The documentation: published with an email, once; the pages say the event is over.
    settings.AFTER_THE_EVENT = True
    Document.objects.create(
        event=event,
        kind=Document.Kind.REPORT,
        title_de="Abschlussbericht Modellkommune E-Government",
        title_en="Final report",
        url="https://www.example.org/abschlussbericht",
    )
    assert documentation.publish(documents=Document.objects.all(), notify=True).notified == 1
    assert documentation.publish(documents=Document.objects.all(), notify=True).notified == 0
    announcement = mailbox.one("wartend@example.org")
    assert subject(announcement) == "Die Dokumentation der Veranstaltung ist online"
    assert "Abschlussbericht Modellkommune E-Government" in text_of(announcement)
    readable(announcement)
    assert mailbox.new() == []
    documentation_page = client.get(link(announcement, "/dokumentation/")).content.decode()
    assert "https://www.example.org/abschlussbericht" in documentation_page
    home = client.get("/").content.decode()
    assert "stattgefunden" in home and 'href="/dokumentation/"' in home

    # Feedback: the organisers ask the guests who attended; one email, one answer.
    assert feedback.invite(event=event) == 1
    assert feedback.invite(event=event) == 0
    invitation = mailbox.one("wartend@example.org")
    assert subject(invitation) == "Wie war es? Ihre Rückmeldung in zwei Minuten"
    readable(invitation)
    assert mailbox.new() == []
    form = link(invitation, "/rueckmeldung/")
    page = client.get(form)
    assert page.status_code == 200 and "Ihre Rückmeldung" in page.content.decode()
    answer = {"overall": "5", "content": "4", "organisation": "5", "venue": "3"}
    assert client.post(form, {**answer, "comment": "Sehr hilfreich."}).status_code == 200
    assert client.post(form, answer).status_code == 409
    stored = FeedbackAnswer.objects.get()
    assert (stored.overall, stored.venue, stored.comment) == (5, 3, "Sehr hilfreich.")
    assert FeedbackInvitation.objects.get().used
    assert mailbox.new() == []
