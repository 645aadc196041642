"""The whole life cycle through the public pages, with every email read from a real SMTP
server on loopback (the smtp_server fixture) after the outbox delivered it."""

import re
from urllib.parse import urlsplit

import icalendar
import pytest
from django.utils import timezone

from outbox import deliver_outbox
from registration import services
from registration.models import Registration

Status = Registration.Status

FORM = {
    "salutation": "ms",
    "academic_title": "Dr.",
    "first_name": "Jürgen",
    "last_name": "Çelik-Østergaard",
    "organisation": "Stadt Gütersloh",
    "position": "",
    "category": "model_municipality",
    "model_municipality": "guetersloh",
    "accessibility_needs": "",
    "privacy_consent": "on",
}


class Mailbox:
    def __init__(self, smtp_server):
        self.server = smtp_server
        self.read = 0

    def new(self):
        deliver_outbox()
        messages = self.server.handler.messages[self.read :]
        self.read = len(self.server.handler.messages)
        return [m["message"] for m in messages]

    def one(self, to):
        [message] = self.new()
        assert message["To"] == to
        return message


def subject(message) -> str:
    # Long encoded subjects arrive folded; what a mail client shows is the unfolded text.
    return " ".join(str(message["Subject"]).split())


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, fragment: str) -> str:
    match = re.search(r"https?://\S*" + re.escape(fragment) + r"\S*/", text_of(message))
    assert match, text_of(message)
    return urlsplit(match[0]).path


@pytest.mark.django_db
def test_life_cycle_with_emails_from_real_smtp_server(client, event, smtp_server):
    mailbox = Mailbox(smtp_server)
    services.set_capacity(event=event, capacity=1)

    # 1. Sign up (in English): a seat is held, the address must be confirmed.
    response = client.post("/en/anmeldung/", {**FORM, "email": "juergen@example.org"})
    assert response.status_code == 302
    message = mailbox.one("juergen@example.org")
    assert subject(message) == "Please confirm your registration"
    # The address is not confirmed yet: no text the requester typed in the greeting.
    assert text_of(message).startswith("Hello,")
    assert "Çelik" not in text_of(message)
    confirm = link_in(message, "/anmeldung/bestaetigen/")
    assert confirm.startswith("/en/")

    # A mail scanner following the link changes nothing; the person's click does.
    client.get(confirm)
    assert Registration.objects.get().status == Status.HELD
    assert client.post(confirm).status_code == 200

    message = mailbox.one("juergen@example.org")
    registration = Registration.objects.get()
    assert subject(message) == "Your registration is confirmed"
    body = text_of(message)
    assert registration.entry_code_display in body
    assert "photo ID" in body
    assert "Reichstagufer 14" in body
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {
        "event.ics",
        f"entry-code-{registration.entry_code_display}.png",
    }
    calendar = icalendar.Calendar.from_ical(attachments["event.ics"].get_content())
    [entry] = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == event.starts_at
    png = attachments[f"entry-code-{registration.entry_code_display}.png"].get_content()
    assert png.startswith(b"\x89PNG")
    manage = link_in(message, "/anmeldung/verwalten/")

    # 2. A second person finds the event full and joins the waiting list (in German).
    client.post("/anmeldung/", {**FORM, "email": "anna@example.org", "first_name": "Anna"})
    message = mailbox.one("anna@example.org")
    assert "Warteliste" in subject(message)
    client.post(link_in(message, "/anmeldung/bestaetigen/"))
    message = mailbox.one("anna@example.org")
    assert subject(message) == "Sie stehen auf der Warteliste (Platz 1)"
    anna_manage = link_in(message, "/anmeldung/verwalten/")
    assert "Platz 1 der Warteliste" in client.get(anna_manage).content.decode()

    # 3. The first person changes details, then their address.
    client.post(manage + "aendern/", {**FORM, "organisation": "Kreis Gütersloh"})
    assert mailbox.one("juergen@example.org")["Subject"] == "Your details have been changed"
    client.post(manage + "email/", {"new_email": "j.celik@example.org"})
    message = mailbox.one("j.celik@example.org")
    assert subject(message) == "Please confirm your new email address"
    client.post(link_in(message, "/anmeldung/email-bestaetigen/"))
    recipients = sorted(m["To"] for m in mailbox.new())
    assert recipients == ["j.celik@example.org", "juergen@example.org"]

    # 4. The first person cancels (confirmation step by POST): Anna moves up.
    assert client.post(manage + "stornieren/").status_code == 302
    messages = {m["To"]: m for m in mailbox.new()}
    assert subject(messages["j.celik@example.org"]) == "Your registration has been cancelled"
    moved_up = messages["anna@example.org"]
    assert subject(moved_up) == "Ein Platz ist frei geworden: Ihre Anmeldung ist bestätigt"
    assert len(list(moved_up.iter_attachments())) == 2
    assert "Ihr Platz ist sicher" in client.get(anna_manage).content.decode()

    # 5. Lost link: the same neutral answer, the link arrives by email.
    client.post("/anmeldung/link-vergessen/", {"email": "ANNA@example.org"})
    message = mailbox.one("anna@example.org")
    assert link_in(message, "/anmeldung/verwalten/") == anna_manage

    # 6. A third person does not confirm in time: the hold expires by the periodic job.
    services.set_capacity(event=event, capacity=2)
    client.post("/anmeldung/", {**FORM, "email": "late@example.org"})
    mailbox.new()
    Registration.objects.filter(email="late@example.org").update(hold_expires_at=timezone.now())
    assert services.expire_holds() == 1
    message = mailbox.one("late@example.org")
    assert subject(message) == "Ihre Anmeldung wurde nicht bestätigt"
    assert services.seat_status(event).free == 1
