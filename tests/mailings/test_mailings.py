"""Mailings: recipients, placeholders in both languages, preview, test send, send once
(also on a double click), failures visible, and 1,000 recipients through the worker to a
loopback SMTP server."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from mailings import services
from mailings.models import Mailing, MailingRecipient
from outbox.models import OutgoingEmail
from registration import services as registration_services
from registration.models import Registration
from tests.registration.test_dashboard import bulk_registrations

Status = Registration.Status
CHANGELIST = reverse("admin:registration_registration_changelist")
DASHBOARD = reverse("admin:registration_dashboard")

BODY_DE = (
    "{anrede},\n\nIhr Einlasscode: {einlasscode}\nIhr Link: {link}\n"
    "{veranstaltung} am {datum}, {ort}."
)
BODY_EN = (
    "{anrede},\n\nYour entry code: {einlasscode}\nYour link: {link}\n"
    "{veranstaltung} on {datum}, {ort}."
)


def new_mailing(event, audience=Mailing.Audience.CONFIRMED, **fields):
    return Mailing.objects.create(
        event=event,
        audience=audience,
        subject_de=fields.get("subject_de", "Hinweise für {name}"),
        body_de=fields.get("body_de", BODY_DE),
        subject_en=fields.get("subject_en", "Notes for {name}"),
        body_en=fields.get("body_en", BODY_EN),
    )


@pytest.fixture
def guests(event, register, confirmed_registration):
    registration_services.set_capacity(event=event, capacity=2)
    anna = confirmed_registration(
        "anna@example.org", salutation="ms", academic_title="Dr.", last_name="Adler"
    )
    john = confirmed_registration(
        "john@example.org", language="en", salutation="mr", first_name="John", last_name="Smith"
    )
    waiting = confirmed_registration("wait@example.org", last_name="Warte")
    registration_services.set_capacity(event=event, capacity=4)  # waiting moves up
    waiting2 = confirmed_registration("wait2@example.org", last_name="Zweite")
    held = register("held@example.org", last_name="Halter")
    registration_services.set_capacity(event=event, capacity=4)
    return {"anna": anna, "john": john, "held": held, "moved": waiting, "w2": waiting2}


def test_recipient_choices(event, guests, confirmed_registration):
    people = lambda audience: {r.email for r in services.recipients(new_mailing(event, audience))}  # noqa: E731
    assert people(Mailing.Audience.CONFIRMED) == {
        "anna@example.org",
        "john@example.org",
        "wait@example.org",
        "wait2@example.org",
    }
    assert people(Mailing.Audience.UNCONFIRMED) == {"held@example.org"}
    assert people(Mailing.Audience.WAITING) == set()
    late = confirmed_registration("late@example.org")
    assert late.status == Status.WAITING
    assert people(Mailing.Audience.WAITING) == {"late@example.org"}


def test_placeholders_in_each_language(event, guests):
    mailing = new_mailing(event)
    subject, body = services.render_for(mailing, guests["anna"])
    assert subject == "Hinweise für Dr. Erika Adler"
    assert body.startswith("Sehr geehrte Frau Dr. Adler,")
    assert f"Ihr Einlasscode: {guests['anna'].entry_code_display}" in body
    assert "/anmeldung/verwalten/" in body and guests["anna"].manage_token() in body
    assert "am 22. September 2016" in body
    subject, body = services.render_for(mailing, guests["john"])
    assert subject == "Notes for John Smith"
    assert body.startswith("Dear Mr Smith,")
    assert "/en/" in body


def test_preview_for_a_real_recipient_in_each_language_shows_no_live_link(
    admin_client, event, guests
):
    mailing = new_mailing(event)
    html = admin_client.get(reverse("admin:mailings_mailing_change", args=[mailing.pk])).content
    html = html.decode()
    assert "Sehr geehrte Frau Dr. Adler" in html
    assert "Dear Mr Smith" in html
    assert guests["anna"].manage_token() not in html
    assert "[persönlicher Link]" in html


def test_test_send_goes_to_the_organiser_in_both_languages(admin_client, admin_user, event, guests):
    mailing = new_mailing(event)
    url = reverse("admin:mailings_mailing_test", args=[mailing.pk])
    admin_client.post(url)

    sent = list(OutgoingEmail.objects.filter(recipient__contains=admin_user.email))
    assert sorted(e.language for e in sent) == ["de", "en"]
    assert all(e.subject.startswith("[Test]") for e in sent)
    assert not MailingRecipient.objects.exists()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_send_once_even_on_a_double_click(admin_client, event, guests):
    mailing = new_mailing(event)
    url = reverse("admin:mailings_mailing_send", args=[mailing.pk])
    before = OutgoingEmail.objects.count()

    admin_client.post(url)
    second = admin_client.post(url, follow=True)

    assert OutgoingEmail.objects.count() == before + 4
    assert MailingRecipient.objects.filter(mailing=mailing).count() == 4
    assert any("bereits gesendet" in str(m) for m in second.context["messages"])
    # Each registration records the mailings it got.
    assert list(guests["anna"].mailings_received.values_list("mailing", flat=True)) == [mailing.pk]
    entry = AuditEntry.objects.about(guests["anna"]).get(action="mailing_sent")
    assert entry.actor_kind == "organiser"


def test_selection_from_the_filtered_guest_list(admin_client, event, guests):
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "new_mailing_for_selection",
            "_selected_action": [guests["anna"].pk, guests["held"].pk],
        },
    )
    mailing = Mailing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:mailings_mailing_change", args=[mailing.pk])
    assert mailing.audience == Mailing.Audience.SELECTION
    assert {r.email for r in services.recipients(mailing)} == {
        "anna@example.org",
        "held@example.org",
    }


def test_unknown_placeholder_is_refused(admin_client, event):
    response = admin_client.post(
        reverse("admin:mailings_mailing_add"),
        {
            "audience": "confirmed",
            "subject_de": "Hallo",
            "body_de": "{vorname}",
            "subject_en": "Hello",
            "body_en": "Hi",
        },
    )
    assert response.status_code == 200
    assert "Unbekannter Platzhalter: {vorname}" in response.content.decode()


def test_failures_visible_on_the_mailing_and_the_dashboard(admin_client, event, guests):
    mailing = new_mailing(event)
    services.send(mailing=mailing, user=None)
    failed = mailing.recipients.first().email
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status=OutgoingEmail.Status.FAILED, last_error="550 5.1.1 Mailbox does not exist"
    )

    page = admin_client.get(reverse("admin:mailings_mailing_change", args=[mailing.pk]))
    html = page.content.decode()
    assert "1 fehlgeschlagen" in html
    assert "550 5.1.1 Mailbox does not exist" in html
    dashboard = admin_client.get(DASHBOARD).content.decode()
    assert "1 E-Mail aus Rundschreiben ist fehlgeschlagen." in dashboard


def test_thousand_recipients_through_the_worker_each_once_in_their_language(
    event, smtp_server, settings
):
    bulk_registrations(event, 500)
    bulk_registrations(event, 500)
    registrations = list(Registration.objects.order_by("pk"))
    english = {r.pk for r in registrations[::3]}
    Registration.objects.filter(pk__in=english).update(language="en")
    # A name trying header injection, and one with umlauts.
    evil = registrations[1]
    Registration.objects.filter(pk=evil.pk).update(
        first_name="Eve\r\nBcc: victim@example.org", last_name="Böse\nX-Evil: 1"
    )
    OutgoingEmail.objects.all().delete()
    mailing = new_mailing(event)

    assert services.send(mailing=mailing, user=None) == 1000
    for _round in range(40):
        call_command("worker", "--once", "--no-jobs", "--batch-size", "100")
        if not OutgoingEmail.objects.filter(status__in=["queued", "sending"]).exists():
            break

    messages = smtp_server.handler.messages
    recipients = [m["to"] for m in messages]
    assert len(messages) == 1000
    assert sorted(r[0] for r in recipients) == sorted(r.email for r in registrations)
    assert all(len(r) == 1 for r in recipients)
    by_address = {m["to"][0]: m["message"] for m in messages}
    for registration in Registration.objects.all():
        message = by_address[registration.email]
        subject = " ".join(str(message["Subject"]).split())
        body = message.get_body(("plain",)).get_content()
        assert message["Bcc"] is None and message["X-Evil"] is None
        if registration.language == "en":
            assert subject.startswith("Notes for ")
            assert f"Your entry code: {registration.entry_code_display}" in body
        else:
            assert subject.startswith("Hinweise für ")
            assert f"Ihr Einlasscode: {registration.entry_code_display}" in body
        assert "{" not in body
    evil_subject = " ".join(str(by_address[evil.email]["Subject"]).split())
    assert evil_subject == "Notes for Eve Bcc: victim@example.org Böse X-Evil: 1" or (
        evil_subject == "Hinweise für Eve Bcc: victim@example.org Böse X-Evil: 1"
    )
    assert "victim@example.org" not in [r[0] for r in recipients]
    assert OutgoingEmail.objects.filter(status="sent").count() == 1000


def test_people_who_join_later_get_a_sent_mailing_once(
    admin_client, event, guests, confirmed_registration
):
    mailing = new_mailing(event)
    services.send(mailing=mailing, user=None)
    page = reverse("admin:mailings_mailing_change", args=[mailing.pk])
    newcomers_url = reverse("admin:mailings_mailing_newcomers", args=[mailing.pk])
    assert newcomers_url not in admin_client.get(page).content.decode()

    # Since the mailing went out: one more seat, a newcomer confirms, and someone who was
    # on the waiting list when it was sent moves up.
    late = confirmed_registration("late@example.org", last_name="Spaet")
    assert late.status == Status.WAITING
    registration_services.set_capacity(event=event, capacity=6)
    newcomer = confirmed_registration("new@example.org", language="en", last_name="Neu")
    late.refresh_from_db()
    assert (late.status, newcomer.status) == (Status.CONFIRMED, Status.CONFIRMED)

    listing = admin_client.get(reverse("admin:mailings_mailing_changelist")).content.decode()
    assert '<td class="field-newcomer_count">2</td>' in listing
    html = admin_client.get(page).content.decode()
    assert "Seit dem Versand sind 2 Personen hinzugekommen." in html
    assert newcomers_url in html
    question = admin_client.get(newcomers_url).content.decode()
    assert "Seit dem Versand gehören 2 Personen zu den Empfängern" in question
    before = OutgoingEmail.objects.count()

    response = admin_client.post(newcomers_url, follow=True)

    assert any("für 2 weitere Personen eingereiht" in str(m) for m in response.context["messages"])
    new_emails = OutgoingEmail.objects.order_by("pk")[before:]
    assert sorted(e.recipient for e in new_emails) == ["late@example.org", "new@example.org"]
    english = next(e for e in new_emails if e.recipient == "new@example.org")
    assert english.language == "en" and english.subject == "Notes for Erika Neu"
    assert MailingRecipient.objects.filter(mailing=mailing).count() == 6
    entry = AuditEntry.objects.about(late).get(action="mailing_sent")
    assert (entry.actor_kind, entry.via) == ("organiser", "mailing_newcomers")

    # A second click, or nobody new: nothing is sent again.
    again = admin_client.post(newcomers_url, follow=True)
    assert any("niemand hinzugekommen" in str(m) for m in again.context["messages"])
    assert OutgoingEmail.objects.count() == before + 2
    assert newcomers_url not in admin_client.get(page).content.decode()
    # Opened again from an old tab: nothing to ask, the mailing's page says why.
    reopened = admin_client.get(newcomers_url, follow=True)
    assert any("niemand hinzugekommen" in str(m) for m in reopened.context["messages"])


def test_a_draft_is_not_sent_to_newcomers(admin_client, event, guests):
    mailing = new_mailing(event)
    url = reverse("admin:mailings_mailing_newcomers", args=[mailing.pk])
    before = OutgoingEmail.objects.count()

    asked = admin_client.get(url, follow=True)
    response = admin_client.post(url, follow=True)

    assert asked.redirect_chain[-1][0].endswith(f"/{mailing.pk}/change/")
    assert any("zuerst an alle Empfänger" in str(m) for m in asked.context["messages"])
    assert any("zuerst an alle Empfänger" in str(m) for m in response.context["messages"])
    assert OutgoingEmail.objects.count() == before
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT and not mailing.recipients.exists()


def test_a_cancelled_recipient_is_no_newcomer_and_a_new_registration_of_the_address_is(
    event, guests, confirmed_registration
):
    mailing = new_mailing(event)
    services.send(mailing=mailing, user=None)
    registration_services.cancel(registration=guests["anna"])
    assert not services.newcomers(mailing).exists()

    again = confirmed_registration("anna@example.org", last_name="Adler")

    assert list(services.newcomers(mailing)) == [again]
