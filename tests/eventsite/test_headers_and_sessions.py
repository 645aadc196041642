"""Headers on every response, the admin under a Content-Security-Policy, and sessions:
staff sessions end after a working day without a request, attendees' hold no personal data."""

import datetime
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from eventsite.middleware import STAFF_SEEN_KEY
from registration import services
from registration.models import Registration
from tests.registration.test_views import FORM


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/en/", "/anmeldung/", "/programm/", "/healthz", "/admin/login/", "/nope/"]
)
def test_every_response_has_a_permissions_policy(client, event, path):
    policy = client.get(path).headers["Permissions-Policy"]

    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert "payment=()" in policy


@pytest.mark.django_db
def test_static_files_have_a_permissions_policy_too(client, event):
    response = client.get("/static/css/site.css")
    assert "camera=()" in response.headers.get("Permissions-Policy", "")


def test_check_in_may_use_the_camera_of_its_own_origin():
    from eventsite.middleware import CHECK_IN_PERMISSIONS_POLICY, _is_check_in

    assert _is_check_in("/checkin/") and _is_check_in("/en/checkin/scan/")
    assert not _is_check_in("/anmeldung/")
    assert "camera=(self)" in CHECK_IN_PERMISSIONS_POLICY
    assert "geolocation=()" in CHECK_IN_PERMISSIONS_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/registration/registration/", "/admin/login/"])
def test_admin_runs_under_a_nonce_based_policy(admin_client, event, path):
    first = admin_client.get(path).headers["Content-Security-Policy"]
    second = admin_client.get(path).headers["Content-Security-Policy"]

    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", first)
    assert nonce, first
    assert len(nonce.group(1)) >= 22
    assert nonce.group(1) not in second  # a fresh nonce on every response
    assert "unsafe-inline" not in first and "unsafe-eval" not in first
    assert "object-src 'none'" in first and "base-uri 'self'" in first


@pytest.mark.django_db
class TestStaffSessions:
    def test_staff_session_ends_after_a_working_day_without_a_request(self, admin_client):
        admin_client.get("/admin/")
        session = Session.objects.get()

        idle = session.expire_date - timezone.now()
        assert datetime.timedelta(hours=9, minutes=59) < idle <= datetime.timedelta(hours=10)

    def test_every_request_moves_the_end_on(self, admin_client, settings):
        settings.STAFF_SESSION_IDLE_HOURS = 1
        admin_client.get("/admin/")
        before = Session.objects.get().expire_date
        # Two minutes later (the end moves on at most once a minute):
        session = SessionStore(session_key=Session.objects.get().session_key)
        session[STAFF_SEEN_KEY] -= 120
        session.save()
        admin_client.get("/admin/")

        assert Session.objects.get().expire_date > before

    def test_expired_staff_session_must_log_in_again(self, admin_client):
        admin_client.get("/admin/")
        Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

        response = admin_client.get("/admin/")

        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_speaker_session_keeps_the_normal_age(self, client, django_user_model, settings):
        user = django_user_model.objects.create_user("s@example.org", "s@example.org", "pw")
        client.force_login(user)
        client.get("/")
        idle = Session.objects.get().expire_date - timezone.now()
        assert idle > datetime.timedelta(days=13)


@pytest.mark.django_db
def test_attendee_sessions_hold_no_personal_data(event):
    """The whole self-service round: sign up, confirm, look, edit, change address, cancel."""
    client = Client()
    details = {**FORM, "first_name": "Ingeborg", "last_name": "Quastenflosser"}
    client.post("/anmeldung/", {**details, "email": "ingeborg@example.org"})
    registration = Registration.objects.get()
    client.post(f"/anmeldung/bestaetigen/{registration.confirm_token()}/")
    token = registration.manage_token()
    client.get(f"/anmeldung/verwalten/{token}/")
    client.post(f"/anmeldung/verwalten/{token}/aendern/", {**details, "organisation": "Amt Süd"})
    client.post(f"/anmeldung/verwalten/{token}/email/", {"new_email": "neu@example.org"})
    client.get(f"/anmeldung/verwalten/{token}/")
    client.post(f"/anmeldung/verwalten/{token}/stornieren/")
    client.get(f"/anmeldung/verwalten/{token}/")

    stored = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    cookies = " ".join(f"{c.key}={c.value}" for c in client.cookies.values())
    for secret in ("Ingeborg", "Quastenflosser", "ingeborg@", "neu@example.org", "Amt Süd"):
        assert secret not in stored
        assert secret not in cookies
    assert token not in stored + cookies
    assert services.seat_status(event).confirmed == 0
