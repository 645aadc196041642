"""The speaker portal's emails in the email gallery (outbox.gallery), with invented sample
data; nothing is written."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.gallery import register
from programme.email_samples import sample_event
from programme.models import Session, Speaker
from speakers.emails import absolute_url

SPEAKERS = _("Referierende")
ORGANISERS = _("Organisationsteam")


def _speaker() -> Speaker:
    return Speaker(name="Erika Mustermann", academic_title="Dr.", slug="erika-mustermann")


def _start() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2016, 9, 22, 10, 0))


def _session(**fields) -> Session:
    start = fields.pop("start", _start())
    values = {
        "title": "Offene Daten in der Kommune",
        "start": start,
        "end": start + datetime.timedelta(minutes=45),
        "location_de": "Saal",
        "location_en": "Hall",
        "time_confirmed": True,
        **fields,
    }
    return Session(**values)


def _base(language: str) -> dict:
    return {
        "speaker": _speaker(),
        "event": sample_event(),
        "portal_url": absolute_url("speakers:portal", language=language),
        "organiser_email": "veranstaltung@example.org",
    }


def _invitation(language: str) -> dict:
    return {
        **_base(language),
        "invitation_url": absolute_url(
            "speakers:accept_invitation", language=language, token="beispiel-link"
        ),
        "expires_at": timezone.now() + datetime.timedelta(days=14),
        "sessions": [_session()],
    }


def _login_link(language: str) -> dict:
    return {
        **_base(language),
        "login_url": absolute_url("account_login", language=language),
        "reset_url": absolute_url("account_reset_password", language=language),
        "email": "erika.mustermann@example.org",
    }


def _participation(language: str, *, confirmed: bool) -> dict:
    access = SimpleNamespace(
        withdrawal_reason="" if confirmed else "Terminüberschneidung mit einer Dienstreise."
    )
    return {
        **_base(language),
        "access": access,
        "confirmed": confirmed,
        "admin_url": settings.SITE_URL + "/admin/programme/speaker/",
        "sessions": [_session()],
    }


def _snapshot(session: Session, people: list[str]) -> SimpleNamespace:
    return SimpleNamespace(
        start=session.start,
        end=session.end,
        time_confirmed=session.time_confirmed,
        location_de=session.location_de,
        location_en=session.location_en,
        people_lines=people,
    )


def _slot_changed(language: str) -> dict:
    before = _session()
    after = _session(
        start=_start() + datetime.timedelta(hours=4), location_de="Foyer", location_en="Foyer"
    )
    location = "location_en" if language == "en" else "location_de"
    return {
        **_base(language),
        "session": after,
        "before": _snapshot(before, ["Dr. Erika Mustermann"]),
        "after": _snapshot(after, ["Dr. Erika Mustermann", "Max Mustermann"]),
        "fields": ["time", "location", "people"],
        "old_location": getattr(before, location),
        "new_location": getattr(after, location),
        "removed": False,
    }


register(
    "speakers-invitation",
    title=_("Einladung ins Portal für Referierende"),
    audience=SPEAKERS,
    template="speakers/invitation",
    sample=_invitation,
)
register(
    "speakers-login-link",
    title=_("Portal für Referierende: Konto besteht bereits"),
    audience=SPEAKERS,
    template="speakers/login_link",
    sample=_login_link,
)
register(
    "speakers-slot-changed",
    title=_("Programmpunkt geändert (Zeit, Ort, Mitwirkende)"),
    audience=SPEAKERS,
    template="speakers/slot_changed",
    sample=_slot_changed,
)
register(
    "speakers-participation-confirmed",
    title=_("Referierende Person hat zugesagt"),
    audience=ORGANISERS,
    template="speakers/participation_changed",
    sample=lambda language: _participation(language, confirmed=True),
)
register(
    "speakers-participation-withdrawn",
    title=_("Referierende Person hat abgesagt"),
    audience=ORGANISERS,
    template="speakers/participation_changed",
    sample=lambda language: _participation(language, confirmed=False),
)
