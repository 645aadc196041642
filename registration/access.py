"""Access requests (GDPR Art. 15): everything stored about one registration, for the
person themselves (self-service download) and for organisers answering a request."""

from __future__ import annotations

import json

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.models import AuditEntry
from audit.services import action_label
from registration.models import Registration

# The fields shown, in the order of the registration form, then the state.
FIELDS = (
    "salutation",
    "academic_title",
    "first_name",
    "last_name",
    "email",
    "pending_email",
    "organisation",
    "position",
    "category",
    "model_municipality",
    "accessibility_needs",
    "participant_list_consent",
    "language",
    "status",
    "entry_code",
    "created_at",
    "updated_at",
    "hold_expires_at",
    "email_confirmed_at",
    "waitlisted_at",
    "confirmed_at",
    "cancelled_at",
    "cancelled_by",
    "checked_in_at",
    "privacy_consent_version",
    "privacy_consented_at",
    "anonymised_at",
)


def _plain(value):
    if hasattr(value, "isoformat"):
        return (
            timezone.localtime(value).isoformat() if hasattr(value, "tzinfo") else value.isoformat()
        )
    return value


def _label(name: str) -> str:
    try:
        return str(Registration._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field recorded once and since removed
        return name


def _without_link_secrets(text: str, registration: Registration) -> str:
    """Stored bodies may still carry the personal links; an export never does."""
    for token in (registration.manage_token(), registration.confirm_token()):
        text = text.replace(token, "[…]")
    if registration.email_change_token_nonce:
        text = text.replace(registration.email_change_token(), "[…]")
    return text


def personal_data(registration: Registration) -> dict:
    """Everything about the registration as plain JSON-able data, with readable labels."""
    fields = []
    for name in FIELDS:
        field = Registration._meta.get_field(name)
        value = getattr(registration, name)
        display = getattr(registration, f"get_{name}_display", None)
        fields.append(
            {
                "field": name,
                "label": str(field.verbose_name),
                "value": _plain(value),
                "display": str(display()) if display and value else None,
            }
        )
    history = [
        {
            "at": _plain(entry.at),
            "action": entry.action,
            "action_label": action_label(entry.action),
            "actor": entry.actor_kind,
            "actor_label": str(entry.get_actor_kind_display()),
            "changes": [
                {"field": field, "label": _label(field), "old": change["old"], "new": change["new"]}
                for field, change in entry.changes.items()
            ],
        }
        for entry in AuditEntry.objects.about(registration).order_by("at", "pk")
    ]
    emails = [
        {
            "created_at": _plain(email.created_at),
            "sent_at": _plain(email.sent_at),
            "status": email.status,
            "status_label": str(email.get_status_display()),
            "recipient": email.recipient,
            "subject": email.subject,
            "text": _without_link_secrets(email.body_text, registration),
        }
        for email in registration.emails.order_by("created_at", "pk")
    ]
    return {
        "title": _("Ihre bei uns gespeicherten Daten"),
        "created": _plain(timezone.now()),
        "event": str(registration.event),
        "registration": fields,
        "history": history,
        "emails": emails,
    }


def as_json(registration: Registration) -> bytes:
    return json.dumps(personal_data(registration), ensure_ascii=False, indent=2).encode()


def filename(extension: str) -> str:
    """In the reader's language: meine-daten-2026-12-01.json / my-data-2026-12-01.json."""
    stem = pgettext("file name", "meine-daten")
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def html_response(request, registration: Registration, *, json_url: str | None = None):
    from django.shortcuts import render

    data = personal_data(registration)
    return render(
        request,
        "registration/personal_data.html",
        {"data": data, "created": timezone.now(), "json_url": json_url},
    )


def json_response(registration: Registration):
    from django.http import HttpResponse

    response = HttpResponse(as_json(registration), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("json")}"'
    response["Cache-Control"] = "no-store"
    return response
