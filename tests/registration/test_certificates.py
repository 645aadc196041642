"""Attendance certificates: only for guests checked in at the door, after the event,
issued or withheld by the organisers in bulk, downloaded from the self-service page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEntry
from outbox.models import OutgoingEmail
from registration import certificates, checkin
from registration.models import Registration


@pytest.fixture
def door_staff(db):
    return get_user_model().objects.create_user(
        "door", "door@example.org", "a-long-password-1", is_staff=True, is_superuser=True
    )


@pytest.fixture
def attended(event, confirmed_registration, door_staff):
    """A guest checked in through the door's check-in service (the event of 2016 is over)."""

    def make(email, **details):
        registration = confirmed_registration(email, **details)
        checkin.check_in(event=event, registration_id=registration.pk, by=door_staff)
        registration.refresh_from_db()
        assert registration.checked_in_at is not None
        return registration

    return make


def certificate_path(registration):
    return reverse("registration:certificate", kwargs={"token": registration.manage_token()})


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_issue_only_for_checked_in_guests_and_email_the_link_once(attended, confirmed_registration):
    guest = attended("guest@example.org")
    absent = confirmed_registration("absent@example.org")

    issued, skipped = certificates.issue(registrations=Registration.objects.all())
    certificates.issue(registrations=Registration.objects.all())

    assert (issued, skipped) == (1, 1)
    guest.refresh_from_db(), absent.refresh_from_db()
    assert certificates.available(guest) and not certificates.available(absent)
    links = OutgoingEmail.objects.filter(template="registration/certificate_ready")
    assert list(links.values_list("recipient", flat=True)) == ["guest@example.org"]
    assert certificate_path(guest) in links.get().body_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,expected",
    [
        ("de", ["Teilnahmebescheinigung", "Donnerstag, 22. September 2016", "6 Zeitstunden"]),
        ("en", ["Certificate of attendance", "Thursday, 22 September 2016", "6 hours"]),
    ],
)
def test_guest_downloads_the_certificate_from_self_service(client, attended, language, expected):
    guest = attended("guest@example.org", language=language, academic_title="Dr.")
    certificates.issue(registrations=Registration.objects.filter(pk=guest.pk))
    prefix = "/en" if language == "en" else ""

    page = client.get(f"{prefix}/anmeldung/verwalten/{guest.manage_token()}/").content.decode()
    assert certificate_path(guest).removeprefix("/en") in page.replace("/en/", "/")
    response = client.get(prefix + certificate_path(guest).removeprefix("/en"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = "teilnahmebescheinigung.pdf" if language == "de" else "certificate-of-attendance.pdf"
    assert name in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    for phrase in [*expected, "Dr. Erika Mustermann", "Modellkommune E-Government", "10:00"]:
        assert phrase in text
    assert "Bundesministerium des Innern" in text or "Federal Ministry of the Interior" in text


@pytest.mark.django_db
def test_withheld_or_never_issued_certificate_is_not_there(client, attended):
    guest = attended("guest@example.org")

    assert client.get(certificate_path(guest)).status_code == 404
    certificates.issue(registrations=Registration.objects.all())
    assert client.get(certificate_path(guest)).status_code == 200
    certificates.withhold(registrations=Registration.objects.all())

    assert client.get(certificate_path(guest)).status_code == 404
    page = client.get(f"/anmeldung/verwalten/{guest.manage_token()}/").content.decode()
    assert "teilnahmebescheinigung.pdf" not in page


@pytest.mark.django_db
def test_organisers_issue_and_withhold_in_bulk_from_the_guest_list(client, attended, door_staff):
    first, second = attended("a@example.org"), attended("b@example.org")
    client.force_login(door_staff)
    changelist = reverse("admin:registration_registration_changelist")

    client.post(
        changelist,
        {"action": "issue_certificates", "_selected_action": [first.pk, second.pk]},
    )
    assert set(Registration.objects.values_list("certificate", flat=True)) == {"issued"}
    client.post(changelist, {"action": "withhold_certificates", "_selected_action": [second.pk]})

    first.refresh_from_db(), second.refresh_from_db()
    assert first.certificate == "issued" and second.certificate == "withheld"
    # Each guest's history says who issued or withheld their certificate; issuing again
    # what is issued already records nothing new.
    client.post(changelist, {"action": "issue_certificates", "_selected_action": [first.pk]})
    trail = lambda guest: list(  # noqa: E731
        AuditEntry.objects.about(guest)
        .filter(action__startswith="certificate_")
        .order_by("pk")
        .values_list("action", "actor_name", "changes")
    )
    issued = ("certificate_issued", "door", {"certificate": {"old": "", "new": "issued"}})
    assert trail(first) == [issued]
    withheld = (
        "certificate_withheld",
        "door",
        {"certificate": {"old": "issued", "new": "withheld"}},
    )
    assert trail(second) == [issued, withheld]
    history = client.get(reverse("admin:registration_registration_change", args=[second.pk]))
    assert "Teilnahmebescheinigung zurückgehalten" in history.content.decode()


@pytest.mark.django_db
def test_certificate_renders_to_an_image(client, attended, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdftoppm"):
        pytest.skip("needs pdftoppm (poppler-utils; CI installs it)")
    guest = attended("guest@example.org")
    certificates.issue(registrations=Registration.objects.all())
    (tmp_path / "certificate.pdf").write_bytes(client.get(certificate_path(guest)).content)

    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )

    from PIL import Image

    with Image.open(tmp_path / "page.png") as image:
        assert image.width < image.height  # one A4 page, portrait
        low, high = image.convert("L").getextrema()
        assert low < 100 < high  # dark text on a light page, not a blank one
