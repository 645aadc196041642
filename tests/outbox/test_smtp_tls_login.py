"""Real delivery with STARTTLS and login, against a loopback server with its own certificate."""

import shutil
import ssl
import subprocess

import pytest

from outbox import deliver_outbox
from outbox.models import OutgoingEmail
from tests.conftest import RecordingSMTPHandler, free_port, point_email_at
from tests.outbox.conftest import queue_test_email

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl command to make a certificate"
)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_smtp_server(certificate, settings, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login,
            auth_data.password,
        ) == (b"orga", b"geheim")
        logins.append((mechanism, ok))
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(
        RecordingSMTPHandler(),
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    controller.logins = logins
    # The client trusts our self-made certificate like a real one from a public CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    point_email_at(settings, port)
    settings.EMAIL_USE_TLS = True
    settings.EMAIL_HOST_USER = "orga"
    settings.EMAIL_HOST_PASSWORD = "geheim"
    yield controller
    controller.stop()


@pytest.mark.django_db
def test_delivery_with_starttls_and_login(event, tls_smtp_server):
    email = queue_test_email()

    assert deliver_outbox().sent == 1

    assert tls_smtp_server.handler.message_ids == [email.message_id]
    assert [ok for _mechanism, ok in tls_smtp_server.logins] == [True]


@pytest.mark.django_db
def test_wrong_password_is_a_temporary_failure_not_a_lost_message(event, tls_smtp_server, settings):
    settings.EMAIL_HOST_PASSWORD = "falsch"
    settings.EMAIL_TIMEOUT = 2
    email = queue_test_email()

    report = deliver_outbox()

    assert report.retrying == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.last_error  # how the refusal shows depends on the server; it is recorded
    assert [ok for _mechanism, ok in tls_smtp_server.logins][:1] == [False]
    assert tls_smtp_server.handler.messages == []
