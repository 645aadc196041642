"""An organiser's edit of a session's time, place or people reaches each of its speakers
in one email per save, with old and new values, in the speaker's language."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from programme.models import SessionSpeaker
from speakers import services
from speakers.models import SpeakerAccess
from tests.programme.factories import SpeakerFactory
from tests.speakers.conftest import outbox


def admin_form(session, **changes):
    links = list(session.session_speakers.order_by("order", "pk"))
    data = {
        "title_de": session.title_de,
        "title_en": session.title_en or "",
        "slug": session.slug,
        "kind": session.kind,
        "abstract_de": "",
        "abstract_en": "",
        "start": timezone.localtime(session.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(session.end).strftime("%Y-%m-%dT%H:%M"),
        "time_confirmed": "on" if session.time_confirmed else "",
        "location_de": session.location_de or "",
        "location_en": session.location_en or "",
        "session_speakers-TOTAL_FORMS": str(len(links)),
        "session_speakers-INITIAL_FORMS": str(len(links)),
        "session_speakers-MIN_NUM_FORMS": "0",
        "session_speakers-MAX_NUM_FORMS": "1000",
        "speaker_notes-TOTAL_FORMS": "0",
        "speaker_notes-INITIAL_FORMS": "0",
        "speaker_notes-MIN_NUM_FORMS": "0",
        "speaker_notes-MAX_NUM_FORMS": "1000",
    }
    for index, link in enumerate(links):
        data.update(
            {
                f"session_speakers-{index}-id": str(link.pk),
                f"session_speakers-{index}-session": str(session.pk),
                f"session_speakers-{index}-speaker": str(link.speaker_id),
                f"session_speakers-{index}-role": link.role,
                f"session_speakers-{index}-order": str(link.order),
            }
        )
    data = {key: value for key, value in data.items() if value != ""}
    data.update(changes)
    return data


def test_one_email_per_speaker_for_time_and_place_changed_together(
    admin_client, speaker_with_session, django_capture_on_commit_callbacks
):
    speaker, session = speaker_with_session
    old_start = timezone.localtime(session.start)
    new_start = old_start + datetime.timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:programme_session_change", args=[session.pk]),
            admin_form(
                session,
                start=new_start.strftime("%Y-%m-%dT%H:%M"),
                end=(new_start + datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
                location_de="Großer Saal",
            ),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    [email] = outbox("speakers/slot_changed")
    assert email.recipient == "ada@example.org"
    assert email.subject == "Änderung Ihres Programmpunkts: Digitale Verwaltung"
    text = email.body_text
    assert f"bisher: 22. September 2016, {old_start:%H:%M}" in text
    assert f"neu: 22. September 2016, {new_start:%H:%M}" in text
    assert "Großer Saal" in text and session.location_de in text
    assert email.body_html


def test_unchanged_save_sends_nothing(
    admin_client, speaker_with_session, django_capture_on_commit_callbacks
):
    _speaker, session = speaker_with_session

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:programme_session_change", args=[session.pk]),
            admin_form(session, abstract_de="Nur die Beschreibung ist neu."),
        )

    assert outbox("speakers/slot_changed") == []


def test_co_speaker_change_reaches_the_speaker_in_english(
    speaker_with_session, django_capture_on_commit_callbacks
):
    speaker, session = speaker_with_session
    SpeakerAccess.objects.filter(speaker=speaker).update(language="en")
    before = services.SlotState.of(session)
    newcomer = SpeakerFactory(name="Neue Kollegin", slug="neue-kollegin")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        SessionSpeaker.objects.create(session=session, speaker=newcomer, role="panellist")
        services.notify_slot_change(session=session, before=before)

    [email] = outbox("speakers/slot_changed")
    assert email.subject == "Change to your session: Digital administration"
    assert "before: Ada Beispiel (Speaker), Max Moderator (Moderator)" in email.body_text
    assert "Neue Kollegin (Panellist)" in email.body_text


def test_removed_speaker_is_told_too(speaker_with_session, django_capture_on_commit_callbacks):
    speaker, session = speaker_with_session
    before = services.SlotState.of(session)

    with django_capture_on_commit_callbacks(execute=True):
        SessionSpeaker.objects.filter(session=session, speaker=speaker).delete()
        services.notify_slot_change(session=session, before=before)

    [email] = outbox("speakers/slot_changed")
    assert "nicht mehr eingetragen" in email.body_text


def test_nothing_is_queued_when_the_change_rolls_back(
    speaker_with_session, django_capture_on_commit_callbacks
):
    _speaker, session = speaker_with_session
    before = services.SlotState.of(session)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session.location_de = "Foyer"
        session.save()
        services.notify_slot_change(session=session, before=before)

    assert any("notify_slot_change" in callback.__qualname__ for callback in callbacks)
    assert outbox("speakers/slot_changed") == []
