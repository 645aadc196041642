"""Shared fixtures. Browser and PostgreSQL tests skip with a reason where those are absent."""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Tests run without collectstatic: plain storage instead of the hashed manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    # Django's send_mail goes straight to mail.outbox in tests; the outbox delivers
    # there too (deliver_outbox()), unless a test points it at the smtp_server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _before_the_day(settings):
    """The seeded event is of 2016: most tests register for it as if it were still ahead.
    Tests of the pages after the event switch AFTER_THE_EVENT on (tests/documentation/)."""
    settings.AFTER_THE_EVENT = False


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to an /en/ page leaves English active in the thread (LocaleMiddleware
    does not switch back); the next test would otherwise start in English."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _factory_sequences_from_zero():
    """factory_boy's sequences count across the whole run, and they feed more than names:
    SessionFactory puts its n-th session 10·n minutes after 08:00, so from the 97th session
    of a run on, "22 September" turns into the 23rd. Each test starts every sequence at 0,
    so what a test sees does not depend on how many tests ran before it."""
    import factory

    pending = [factory.django.DjangoModelFactory]
    while pending:
        current = pending.pop()
        pending.extend(current.__subclasses__())
        if not current._meta.abstract and current._meta.counter_reference is current._meta:
            current.reset_sequence()


@pytest.fixture
def event(db):
    from programme.seed import load_event

    event, _created = load_event()
    return event


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


requires_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
)

requires_chromium = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) or shutil.which("chromium")),
    reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium; CI installs it)",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class RecordingSMTPHandler:
    """Keeps every message the loopback SMTP server accepts.

    `delay` (seconds) makes each DATA slow, to catch a worker in the middle of a batch;
    `reply` replaces the "250" answer (e.g. "451 try later", "550 no such user")."""

    def __init__(self, delay: float = 0.0, reply: str | None = None):
        self.messages = []
        self.delay = delay
        self.reply = reply

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        import asyncio
        import email
        import email.policy

        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply:
            return self.reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(
            {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": message}
        )
        return "250 Message accepted for delivery"

    @property
    def message_ids(self) -> list[str]:
        return [item["message"]["Message-ID"] for item in self.messages]


def free_port() -> int:
    """A TCP port nobody listens on right now (aiosmtpd's Controller cannot use port 0:
    it connects to its own port to check that it started)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp_server(handler, port: int | None = None):
    """Start a loopback SMTP server; returns the started aiosmtpd Controller."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller


def point_email_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend (both EMAIL_BACKEND and the
    outbox's EMAIL_DELIVERY_BACKEND) is pointed at it.

    Yields the controller; `smtp_server.handler.messages` holds what arrived."""
    controller = start_smtp_server(RecordingSMTPHandler())
    point_email_at(settings, controller.port)
    try:
        yield controller
    finally:
        controller.stop()


def verified_superuser(django_user_model, email: str, password: str):
    """An organiser as `make organiser` creates one, with the address already confirmed
    (the account login asks for a confirmed address; see docs/speakers.md)."""
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_superuser(
        username=email.split("@")[0], email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
