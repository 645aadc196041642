"""Organisers invite speakers from the admin; the personal link sets a password once,
within 14 days; re-inviting voids the old link; bad links get a clear page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.models import Speaker
from speakers import services
from speakers.models import SpeakerAccess
from tests.programme.factories import SessionSpeakerFactory, SpeakerFactory
from tests.speakers.conftest import PASSWORD, outbox


@pytest.fixture
def invitee(event):
    speaker = SpeakerFactory(name="Carla Neu", slug="carla-neu")
    SessionSpeakerFactory(speaker=speaker)
    SpeakerAccess.objects.create(speaker=speaker, email="carla@example.org")
    return speaker


def invitation_link(email) -> str:
    return re.search(r"https?://\S+/konto/einladung/[^/\s]+/", email.body_text)[0]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_admin_invites_selected_speakers_in_bulk(admin_client, invitee, event):
    second = SpeakerFactory(name="Dora Zwei", slug="dora-zwei")
    SpeakerAccess.objects.create(speaker=second, email="dora@example.org", language="en")

    response = admin_client.post(
        reverse("admin:programme_speaker_changelist"),
        {"action": "invite", "_selected_action": [invitee.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    emails = outbox("speakers/invitation")
    assert sorted(e.recipient for e in emails) == ["carla@example.org", "dora@example.org"]
    english = next(e for e in emails if e.recipient == "dora@example.org")
    assert english.subject == "Your access to the speaker portal"
    assert "/en/konto/einladung/" in english.body_text and english.body_html
    german = next(e for e in emails if e.recipient == "carla@example.org")
    assert german.subject == "Ihr Zugang zum Portal für Referierende"
    assert "Carla Neu" in german.body_text


def test_admin_list_shows_invited_logged_in_and_confirmed(admin_client, invitee, event):
    services.invite(speaker=invitee)
    services.accept_invitation(
        token=_token_of(outbox("speakers/invitation")[-1]), password=PASSWORD
    )
    services.confirm_participation(speaker=Speaker.objects.get(pk=invitee.pk))

    html = admin_client.get(reverse("admin:programme_speaker_changelist")).content.decode()

    assert "Eingeladen" in html and "Zuletzt eingeloggt" in html and "Teilnahme bestätigt" in html
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Carla Neu(?:(?!</tr>).)*</tr>", html, re.S)[0]
    assert row.count(timezone.localtime().strftime("%d.%m.%Y")) >= 2
    assert "zugesagt" in row


def _token_of(email) -> str:
    return invitation_link(email).rstrip("/").rsplit("/", 1)[1]


def test_link_sets_password_links_account_and_opens_the_portal(client, invitee):
    services.invite(speaker=invitee)
    link = path_of(invitation_link(outbox("speakers/invitation")[-1]))

    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("speakers:portal")
    speaker = Speaker.objects.select_related("user").get(pk=invitee.pk)
    assert speaker.user.email == "carla@example.org"
    assert speaker.user.check_password(PASSWORD)
    assert client.get(reverse("speakers:portal")).status_code == 200
    # And the account logs in by email afterwards (the address counts as confirmed).
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "carla@example.org", "password": PASSWORD}
    )
    assert login["Location"] == reverse("speakers:portal")


def test_weak_or_mismatched_passwords_get_errors_and_change_nothing(client, invitee):
    services.invite(speaker=invitee)
    link = path_of(invitation_link(outbox("speakers/invitation")[-1]))

    response = client.post(link, {"password1": "12345678", "password2": "12345679"})

    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert Speaker.objects.get(pk=invitee.pk).user is None


def test_reused_link_gets_a_clear_page(client, invitee):
    services.invite(speaker=invitee)
    link = path_of(invitation_link(outbox("speakers/invitation")[-1]))
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "schon benutzt" in response.content.decode()
    assert reverse("speakers:new_invitation_link") in response.content.decode()


def test_expired_link_gets_a_clear_page(client, invitee):
    services.invite(speaker=invitee, now=timezone.now() - datetime.timedelta(days=15))
    link = path_of(invitation_link(outbox("speakers/invitation")[-1]))

    response = client.get(link)

    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert client.post(link, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert Speaker.objects.get(pk=invitee.pk).user is None


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t[:10]]
)
def test_tampered_link_gets_a_clear_page(client, invitee, tamper):
    services.invite(speaker=invitee)
    token = _token_of(outbox("speakers/invitation")[-1])

    response = client.get(reverse("speakers:accept_invitation", args=[tamper(token)]))

    assert response.status_code == 404
    assert "unvollständig" in response.content.decode()


def test_reinviting_voids_the_old_link(client, invitee):
    services.invite(speaker=invitee)
    old = path_of(invitation_link(outbox("speakers/invitation")[-1]))
    services.invite(speaker=invitee)
    new = path_of(invitation_link(outbox("speakers/invitation")[-1]))

    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_speaker_with_an_account_gets_a_login_link_not_a_second_account(
    speaker_with_session, django_user_model
):
    speaker, _session = speaker_with_session

    assert services.invite(speaker=speaker) == "login_link"

    [email] = outbox("speakers/")
    assert email.template == "speakers/login_link"
    assert "/konto/login/" in email.body_text
    assert django_user_model.objects.filter(email="ada@example.org").count() == 1


def test_asking_for_a_new_link_sends_one_only_to_invited_addresses(client, invitee):
    services.invite(speaker=invitee, now=timezone.now() - datetime.timedelta(days=20))
    before = len(outbox("speakers/invitation"))

    stranger = client.post(reverse("speakers:new_invitation_link"), {"email": "x@example.org"})
    invited = client.post(reverse("speakers:new_invitation_link"), {"email": "Carla@example.org"})

    assert stranger.status_code == invited.status_code == 200
    assert len(outbox("speakers/invitation")) == before + 1
    link = path_of(invitation_link(outbox("speakers/invitation")[-1]))
    assert client.get(link).status_code == 200


def test_invitation_without_address_is_refused_with_a_message(admin_client, event):
    speaker = SpeakerFactory(name="Ohne Adresse", slug="ohne-adresse")

    response = admin_client.post(
        reverse("admin:programme_speaker_changelist"),
        {"action": "invite", "_selected_action": [speaker.pk]},
        follow=True,
    )

    assert "keine E-Mail-Adresse" in response.content.decode()
    assert outbox("speakers/") == []


def test_organiser_enters_the_invitation_address_on_the_speaker_page(admin_client, event):
    speaker = SpeakerFactory(name="Eva Adresse", slug="eva-adresse")
    url = reverse("admin:programme_speaker_change", args=[speaker.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"photo_upload", "remove_photo", "user"}
    }
    data.update(
        {
            "name": "Eva Adresse",
            "slug": "eva-adresse",
            "access_email": "eva@example.org",
            "access_language": "en",
            "session_roles-TOTAL_FORMS": "0",
            "session_roles-INITIAL_FORMS": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    access = SpeakerAccess.objects.get(speaker=speaker)
    assert (access.email, access.language) == ("eva@example.org", "en")
