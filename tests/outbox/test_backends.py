"""Django's send_mail lands in the outbox; without SMTP settings mail becomes .eml files."""

import email
import email.policy
import runpy
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction

from outbox import deliver_outbox
from outbox.models import OutgoingEmail
from tests.outbox.conftest import queue_test_email

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "eventsite" / "settings.py"


@pytest.fixture
def outbox_backend(settings):
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"


@pytest.mark.django_db
def test_send_mail_is_queued_not_sent(event, outbox_backend):
    send_mail("Passwort zurücksetzen", "Link: …", None, ["anna@example.org"])

    assert mail.outbox == []
    queued = OutgoingEmail.objects.get()
    assert queued.recipient == "anna@example.org"
    assert queued.subject == "Passwort zurücksetzen"
    assert queued.headers["Auto-Submitted"] == "auto-generated"

    deliver_outbox()
    assert [message.subject for message in mail.outbox] == ["Passwort zurücksetzen"]


@pytest.mark.django_db
def test_django_message_with_html_attachment_and_two_recipients_is_queued_per_recipient(
    event, outbox_backend
):
    message = EmailMultiAlternatives(
        "Hinweis",
        "Text",
        "Orga <orga@example.org>",
        ["anna@example.org"],
        cc=["ben@example.org"],
        reply_to=["antwort@example.org"],
    )
    message.attach_alternative("<p>Text</p>", "text/html")
    message.attach("liste.csv", "a;b\n", "text/csv")
    message.send()

    queued = OutgoingEmail.objects.order_by("recipient")
    assert [item.recipient for item in queued] == ["anna@example.org", "ben@example.org"]
    for item in queued:
        assert item.body_html == "<p>Text</p>"
        assert item.from_email == "Orga <orga@example.org>"
        assert item.reply_to == "antwort@example.org"
        assert [(a.filename, bytes(a.content)) for a in item.attachments.all()] == [
            ("liste.csv", b"a;b\n")
        ]


@pytest.mark.django_db(transaction=True)
def test_send_mail_inside_a_rolled_back_transaction_sends_nothing(event, outbox_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Bestätigung", "Text", None, ["anna@example.org"])
        raise RuntimeError

    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_outbox_refuses_to_deliver_into_itself(event, settings):
    settings.EMAIL_DELIVERY_BACKEND = "outbox.backends.OutboxBackend"
    queue_test_email()

    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        deliver_outbox()


@pytest.mark.django_db
def test_without_smtp_each_message_is_a_readable_eml_file_sorted_by_time(event, settings, tmp_path):
    settings.EMAIL_DELIVERY_BACKEND = "outbox.backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    first = queue_test_email(to="erste@example.org")
    deliver_outbox()
    second = queue_test_email(to="zweite@example.org", language="en")
    deliver_outbox()

    files = sorted((tmp_path / "mail").iterdir())
    assert [path.suffix for path in files] == [".eml", ".eml"]
    raw = files[0].read_text(encoding="utf-8")
    assert "Guten Tag," in raw  # plain UTF-8, readable in any editor
    parsed = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files
    ]
    assert [message["Message-ID"] for message in parsed] == [first.message_id, second.message_id]
    assert parsed[1].get_body(("plain",)).get_content().startswith("Hello,")


def load_settings(monkeypatch, tmp_path, **environment):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.delenv("EMAIL_DELIVERY_BACKEND", raising=False)
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_default_without_email_host_writes_files_under_var_mail(monkeypatch, tmp_path):
    loaded = load_settings(monkeypatch, tmp_path)

    assert loaded["EMAIL_BACKEND"] == "outbox.backends.OutboxBackend"
    assert loaded["EMAIL_DELIVERY_BACKEND"] == "outbox.backends.EmlFileBackend"
    assert loaded["EMAIL_FILE_PATH"] == tmp_path / "mail"


def test_email_host_switches_delivery_to_smtp(monkeypatch, tmp_path):
    loaded = load_settings(
        monkeypatch, tmp_path, EMAIL_HOST="smtp.example.org", EMAIL_USE_TLS="true"
    )

    assert loaded["EMAIL_BACKEND"] == "outbox.backends.OutboxBackend"
    assert loaded["EMAIL_DELIVERY_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["EMAIL_USE_TLS"] is True
