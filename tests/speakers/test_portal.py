"""The portal: a speaker's sessions with their facts, notes, participation, .ics, profile
with photo preview, slides; and nothing of anybody else's (404)."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from PIL import Image
from pypdf import PdfWriter

from programme import photos
from programme.models import Speaker
from speakers import services
from speakers.models import Slides, SpeakerAccess, SpeakerNote
from tests.speakers.conftest import outbox


def pdf_bytes(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes(size=(400, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_portal_shows_each_session_with_its_facts_and_people(
    speaker_client, speaker_with_session, event
):
    speaker, session = speaker_with_session
    session.time_confirmed = False
    session.save()
    SpeakerNote.objects.create(title_de="Einlass", body_de="Bitte Lichtbildausweis mitbringen.")
    SpeakerNote.objects.create(
        session=session, title_de="Technik", body_de="Technikprobe um 8 Uhr."
    )

    html = speaker_client.get(reverse("speakers:portal")).content.decode()

    assert "Digitale Verwaltung" in html
    assert "10 Minuten" in html
    assert session.location_de in html
    assert "Max Moderator" in html and "Moderation" in html
    assert "Referierende Person" in html
    assert "vorläufig" in html
    assert "Lichtbildausweis" in html and "Technikprobe" in html
    assert event.venue_address in html


def test_portal_in_english_at_my_sessions(speaker_client, event):
    response = speaker_client.get("/en/my-sessions/")

    assert response.status_code == 200
    assert "My sessions" in response.content.decode()


def test_portal_needs_login(client, db):
    response = client.get(reverse("speakers:portal"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_account_without_speaker_gets_a_clear_refusal(client, staff, event):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("speakers:portal"))

    assert response.status_code == 403
    assert "Kein Auftritt" in response.content.decode()


def test_confirming_participation_is_recorded_and_emails_organisers(
    speaker_client, speaker_with_session, settings
):
    speaker, _session = speaker_with_session

    speaker_client.post(reverse("speakers:participation"), {"action": "confirm"})

    access = SpeakerAccess.objects.get(speaker=speaker)
    assert access.participation == SpeakerAccess.Participation.CONFIRMED
    assert access.participation_changed_at is not None
    [email] = outbox("speakers/participation_changed")
    assert email.recipient == settings.ORGANISER_EMAIL
    assert email.subject == "Zusage: Ada Beispiel"


def test_withdrawing_needs_a_reason_and_tells_organisers_why(speaker_client, speaker_with_session):
    speaker, _session = speaker_with_session

    speaker_client.post(reverse("speakers:participation"), {"action": "withdraw", "reason": ""})
    assert SpeakerAccess.objects.get(speaker=speaker).participation == "open"

    speaker_client.post(
        reverse("speakers:participation"), {"action": "withdraw", "reason": "Terminkonflikt"}
    )
    access = SpeakerAccess.objects.get(speaker=speaker)
    assert access.participation == SpeakerAccess.Participation.WITHDRAWN
    [email] = outbox("speakers/participation_changed")
    assert "Terminkonflikt" in email.body_text


def test_ics_holds_only_the_speakers_own_sessions(speaker_client, other_speaker, event):
    response = speaker_client.get(reverse("speakers:ics"))

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1
    assert "Digitale Verwaltung" in body and "Andere Sitzung" not in body


# --- profile -------------------------------------------------------------------------------


def profile_data(**changes):
    data = {
        "position_de": "Referatsleiterin",
        "position_en": "Head of unit",
        "organisation_de": "Stadt Beispiel",
        "organisation_en": "",
        "bio_de": "Arbeitet seit 2010 an digitalen Diensten.",
        "bio_en": "",
        "preview": "1",
    }
    return {**data, **changes}


def test_profile_edit_previews_then_saves_and_shows_publicly(
    speaker_client, speaker_with_session, event
):
    speaker, _session = speaker_with_session
    photo = SimpleUploadedFile("ich.jpg", jpeg_bytes(), content_type="image/jpeg")

    preview = speaker_client.post(
        reverse("speakers:profile"), {**profile_data(), "photo_upload": photo}
    )

    assert preview.status_code == 200
    assert "Vorschau" in preview.content.decode() and "Referatsleiterin" in preview.content.decode()
    unchanged = Speaker.objects.get(pk=speaker.pk)
    assert unchanged.position_de == "Referentin" and unchanged.photo_key == ""

    saved = speaker_client.post(reverse("speakers:profile"), {"save": "1"})

    assert saved.status_code == 302
    speaker = Speaker.objects.get(pk=speaker.pk)
    assert speaker.position_de == "Referatsleiterin"
    assert speaker.photo_key
    public = speaker_client.get(speaker.get_absolute_url()).content.decode()
    assert "Referatsleiterin" in public and speaker.photo.large_jpeg in public


def _stored_photo_files() -> list[str]:
    try:
        return sorted(default_storage.listdir(photos.FOLDER)[1])
    except FileNotFoundError:
        return []


def test_a_photo_previewed_and_left_behind_is_deleted_a_day_later(
    speaker_client, speaker_with_session
):
    """Privacy: a speaker who uploads a photo, sees the preview and closes the tab leaves
    a face on the server that nobody uses; the periodic job deletes it, and only it."""
    speaker, _session = speaker_with_session
    photos.set_speaker_photo(speaker=speaker, photo=photos.prepare_photo(_jpeg_upload()))
    own_photo = _stored_photo_files()
    speaker_client.post(
        reverse("speakers:profile"), {**profile_data(), "photo_upload": _jpeg_upload()}
    )
    left_behind = sorted(set(_stored_photo_files()) - set(own_photo))
    assert left_behind  # stored for the preview, not in use

    job = import_string(
        next(job["run"] for job in settings.PERIODIC_JOBS if job["name"] == "delete-unused-photos")
    )
    assert job() == 0  # the speaker may still save it
    in_a_day = timezone.now() + datetime.timedelta(hours=24, minutes=1)
    assert job(now=in_a_day) == len(left_behind)

    assert _stored_photo_files() == own_photo
    assert Speaker.objects.get(pk=speaker.pk).photo.large_jpeg


def test_a_preview_saved_too_late_is_refused_before_its_photo_is_gone(
    speaker_client, speaker_with_session, monkeypatch
):
    speaker, _session = speaker_with_session
    speaker_client.post(
        reverse("speakers:profile"), {**profile_data(), "photo_upload": _jpeg_upload()}
    )
    assert _stored_photo_files()
    later = timezone.now() + datetime.timedelta(hours=12, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = speaker_client.post(reverse("speakers:profile"), {"save": "1"}, follow=True)

    assert "Die Vorschau ist abgelaufen" in response.content.decode()
    speaker = Speaker.objects.get(pk=speaker.pk)
    assert speaker.photo_key == "" and speaker.position_de == "Referentin"
    assert _stored_photo_files() == []  # deleted with the preview, not a day later


def _jpeg_upload():
    return SimpleUploadedFile("ich.jpg", jpeg_bytes(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"), "kein Foto"),
        (SimpleUploadedFile("x.jpg", jpeg_bytes()[:200], "image/jpeg"), "beschädigt"),
    ],
)
def test_bad_photo_gets_an_error_and_changes_nothing(
    speaker_client, speaker_with_session, upload, message
):
    speaker, _session = speaker_with_session

    response = speaker_client.post(
        reverse("speakers:profile"), {**profile_data(), "photo_upload": upload}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Speaker.objects.get(pk=speaker.pk).position_de == "Referentin"


def test_over_long_bio_gets_an_error(speaker_client, speaker_with_session):
    response = speaker_client.post(reverse("speakers:profile"), profile_data(bio_de="x" * 2001))

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


# --- slides --------------------------------------------------------------------------------


def upload(client, session, content: bytes, name="folien.pdf"):
    return client.post(
        reverse("speakers:slides", args=[session.slug]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_slides_upload_release_and_public_download(
    speaker_client, speaker_with_session, client, event
):
    speaker, session = speaker_with_session

    assert upload(speaker_client, session, pdf_bytes(3)).status_code == 302
    slides = Slides.objects.get(speaker=speaker, session=session)
    assert slides.pages == 3
    public_url = reverse("speakers:public_slides", args=[session.slug, speaker.slug])
    assert client.get(public_url).status_code == 404
    assert public_url not in client.get(session.get_absolute_url()).content.decode()

    services.release_slides(slides=slides, released=True)

    assert public_url in client.get(session.get_absolute_url()).content.decode()
    response = client.get(public_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 but nothing else", "keine lesbare PDF-Datei"),
        (jpeg_bytes(), "keine lesbare PDF-Datei"),
    ],
)
def test_not_a_pdf_is_refused_whatever_its_name(
    speaker_client, speaker_with_session, content, message
):
    speaker, session = speaker_with_session

    response = upload(speaker_client, session, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Slides.objects.filter(speaker=speaker).exists()


def test_slides_over_20_mb_are_refused(speaker_client, speaker_with_session, monkeypatch):
    speaker, session = speaker_with_session
    monkeypatch.setattr(services, "MAX_SLIDES_BYTES", 1000)

    response = upload(speaker_client, session, pdf_bytes(1) + b"%" * 2000)

    assert "größer als 20 MB" in response.content.decode()
    assert not Slides.objects.exists()


# --- permissions: another speaker's identifiers are 404 ----------------------------------


def test_another_speakers_session_slides_page_is_404(speaker_client, other_speaker):
    _bea, bea_session = other_speaker

    assert (
        speaker_client.get(reverse("speakers:slides", args=[bea_session.slug])).status_code == 404
    )
    assert upload(speaker_client, bea_session, pdf_bytes()).status_code == 404
    assert not Slides.objects.exists()


def test_another_speakers_slides_file_is_404(speaker_client, other_speaker):
    bea, bea_session = other_speaker
    slides = services.upload_slides(
        speaker=bea, session=bea_session, upload=SimpleUploadedFile("b.pdf", pdf_bytes())
    )

    response = speaker_client.get(reverse("speakers:slides_download", args=[slides.pk]))

    assert response.status_code == 404


def test_own_slides_download_works(speaker_client, speaker_with_session):
    speaker, session = speaker_with_session
    slides = services.upload_slides(
        speaker=speaker, session=session, upload=SimpleUploadedFile("a.pdf", pdf_bytes())
    )

    response = speaker_client.get(reverse("speakers:slides_download", args=[slides.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'filename="{slides.download_name}"')
    response.close()


def test_profile_form_edits_only_the_logged_in_speaker(
    speaker_client, speaker_with_session, other_speaker
):
    bea, _session = other_speaker

    speaker_client.post(
        reverse("speakers:profile"), {**profile_data(), "speaker": bea.pk, "pk": bea.pk}
    )
    speaker_client.post(reverse("speakers:profile"), {"save": "1"})

    assert Speaker.objects.get(pk=bea.pk).position_de == "Referentin"


def test_staff_only_pages_refuse_speakers(speaker_client, speaker_with_session):
    speaker, session = speaker_with_session
    slides = services.upload_slides(
        speaker=speaker, session=session, upload=SimpleUploadedFile("a.pdf", pdf_bytes())
    )

    assert speaker_client.get(reverse("speakers:admin_slides", args=[slides.pk])).status_code == 302
    admin = speaker_client.get(reverse("admin:programme_speaker_changelist"), follow=True)
    assert admin.status_code == 403


def test_organisers_download_unreleased_slides(admin_client, speaker_with_session):
    speaker, session = speaker_with_session
    slides = services.upload_slides(
        speaker=speaker, session=session, upload=SimpleUploadedFile("a.pdf", pdf_bytes())
    )

    response = admin_client.get(reverse("speakers:admin_slides", args=[slides.pk]))
    assert response.status_code == 200
    response.close()


def test_participation_and_slides_are_recorded_in_the_audit_trail(
    speaker_client, speaker_with_session
):
    from audit.models import AuditEntry

    speaker, session = speaker_with_session
    speaker_client.post(reverse("speakers:participation"), {"action": "confirm"})
    upload(speaker_client, session, pdf_bytes())

    actions = list(
        AuditEntry.objects.filter(content_type__model="speaker", object_id=speaker.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["participation_confirmed", "slides_uploaded"]


def test_profile_edit_is_recorded_in_the_audit_trail_with_old_and_new_values(
    speaker_client, speaker_with_session
):
    from audit.models import AuditEntry

    speaker, _session = speaker_with_session
    entries = AuditEntry.objects.filter(content_type__model="speaker", object_id=speaker.pk)
    photo = SimpleUploadedFile("ich.jpg", jpeg_bytes(), content_type="image/jpeg")
    speaker_client.post(reverse("speakers:profile"), {**profile_data(), "photo_upload": photo})
    assert not entries.exists()  # the preview changes nothing

    speaker_client.post(reverse("speakers:profile"), {"save": "1"})

    [entry] = entries
    saved = Speaker.objects.get(pk=speaker.pk)
    assert (entry.action, entry.actor_kind, entry.via) == (
        "profile_changed",
        "attendee",
        "speaker-portal",
    )
    assert entry.changes["position_de"] == {"old": "Referentin", "new": "Referatsleiterin"}
    assert entry.changes["position_en"]["new"] == "Head of unit"
    assert entry.changes["organisation_de"] == {"old": "Beispielstadt", "new": "Stadt Beispiel"}
    assert entry.changes["bio_de"]["new"] == "Arbeitet seit 2010 an digitalen Diensten."
    assert entry.changes["photo_key"] == {"old": "", "new": saved.photo_key}
    assert "organisation_en" not in entry.changes and "bio_en" not in entry.changes


def test_saving_an_unchanged_profile_records_nothing(speaker_client, speaker_with_session):
    from audit.models import AuditEntry

    speaker, _session = speaker_with_session
    unchanged = profile_data(
        position_de=speaker.position_de,
        position_en="",
        organisation_de=speaker.organisation_de,
        bio_de=speaker.bio_de or "",
    )
    speaker_client.post(reverse("speakers:profile"), unchanged)

    response = speaker_client.post(reverse("speakers:profile"), {"save": "1"})

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(content_type__model="speaker", object_id=speaker.pk)


def test_organisers_see_the_profile_edit_on_the_speaker_page(
    speaker_client, speaker_with_session, admin_client
):
    speaker, _session = speaker_with_session
    speaker_client.post(reverse("speakers:profile"), profile_data())
    speaker_client.post(reverse("speakers:profile"), {"save": "1"})

    page = admin_client.get(reverse("admin:programme_speaker_change", args=[speaker.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Profil geändert" in html
    assert "Referentin → Referatsleiterin" in html
