"""The speaker side's emails, one function per message, queued through the outbox in the
caller's transaction. Templates: templates/emails/speakers/<name>.subject.txt/.txt/.html,
in the speaker's language (organisers get German)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outbox import queue_email


def _queue_email(**kwargs):
    # One indirection, so tests can see what was queued.
    return queue_email(**kwargs)


def absolute_url(name: str, *, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _to_speaker(speaker, name: str, context: dict, *, to: str, language: str):
    return _queue_email(
        to=to,
        template=f"speakers/{name}",
        context={
            "speaker": speaker,
            "portal_url": absolute_url("speakers:portal", language=language),
            **context,
        },
        language=language,
        about=speaker,
    )


def invitation(*, speaker, access, token: str):
    language = access.language
    return _to_speaker(
        speaker,
        "invitation",
        {
            "invitation_url": absolute_url(
                "speakers:accept_invitation", language=language, token=token
            ),
            "expires_at": access.invitation_expires_at,
            "sessions": speaker.sessions.order_by("start"),
        },
        to=access.email,
        language=language,
    )


def login_link(*, speaker, access):
    from speakers.services import speaker_email

    language = access.language
    return _to_speaker(
        speaker,
        "login_link",
        {
            "login_url": absolute_url("account_login", language=language),
            "reset_url": absolute_url("account_reset_password", language=language),
            "email": speaker_email(speaker),
        },
        to=speaker_email(speaker),
        language=language,
    )


def participation_changed(*, speaker, access):
    return _queue_email(
        to=settings.ORGANISER_EMAIL,
        template="speakers/participation_changed",
        context={
            "speaker": speaker,
            "access": access,
            "confirmed": access.participation == access.Participation.CONFIRMED,
            "admin_url": settings.SITE_URL
            + reverse("admin:programme_speaker_change", args=[speaker.pk]),
            "sessions": speaker.sessions.order_by("start"),
        },
        language=settings.LANGUAGE_CODE,
        about=speaker,
    )


def slot_changed(*, speaker, session, before, after, fields):
    from speakers.services import speaker_email

    access = getattr(speaker, "access", None)
    language = access.language if access is not None else settings.LANGUAGE_CODE
    location_field = "location_en" if language == "en" else "location_de"
    return _to_speaker(
        speaker,
        "slot_changed",
        {
            "session": session,
            "before": before,
            "after": after,
            "fields": fields,
            "old_location": getattr(before, location_field) or before.location_de,
            "new_location": getattr(after, location_field) or after.location_de,
            "removed": speaker.pk not in after.speaker_ids,
        },
        to=speaker_email(speaker),
        language=language,
    )
