import pytest
from allauth.account.models import EmailAddress

from programme.models import SessionSpeaker
from speakers.models import SpeakerAccess
from tests.programme.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory

PASSWORD = "ein-langes-passwort-2016"


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    """Rate limits live in the shared cache (a database table, so a plain test's entries
    roll back with it); every test starts with none used."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # reverse() follows the language of the last request; tests name German paths.
    translation.activate("de")


def make_user(django_user_model, email: str, *, staff: bool = False):
    user = django_user_model.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def staff(django_user_model):
    user = make_user(django_user_model, "orga@example.org", staff=True)
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def speaker_with_session(db, django_user_model):
    """Ada, linked to an account, speaking in a session with a moderator."""
    session = SessionFactory(title_de="Digitale Verwaltung", title_en="Digital administration")
    speaker = SpeakerFactory(name="Ada Beispiel", slug="ada-beispiel")
    speaker.user = make_user(django_user_model, "ada@example.org")
    speaker.save()
    SessionSpeakerFactory(session=session, speaker=speaker, role=SessionSpeaker.Role.SPEAKER)
    moderator = SpeakerFactory(name="Max Moderator", slug="max-moderator")
    SessionSpeakerFactory(session=session, speaker=moderator, role=SessionSpeaker.Role.MODERATOR)
    SpeakerAccess.objects.create(speaker=speaker, email="ada@example.org")
    return speaker, session


@pytest.fixture
def other_speaker(db, django_user_model):
    """Bea, another speaker with a session and an account of her own."""
    session = SessionFactory(title_de="Andere Sitzung", slug="andere-sitzung")
    speaker = SpeakerFactory(name="Bea Andere", slug="bea-andere")
    speaker.user = make_user(django_user_model, "bea@example.org")
    speaker.save()
    SessionSpeakerFactory(session=session, speaker=speaker)
    return speaker, session


@pytest.fixture
def speaker_client(client, speaker_with_session):
    speaker, _session = speaker_with_session
    client.force_login(speaker.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def outbox(template_prefix: str = ""):
    from outbox.models import OutgoingEmail

    return list(OutgoingEmail.objects.filter(template__startswith=template_prefix).order_by("pk"))
