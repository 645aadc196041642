"""Writing and scrubbing audit entries.

Callers record explicitly, in the same transaction as the change: model signals would miss
the conditional UPDATEs that take seats and change states (queryset.update() sends none),
and only the caller knows who acted and why.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.actors import Actor, ActorKind
from audit.models import AuditEntry

# The vocabulary of actions. Another app may record an action not listed here; the admin
# then shows its code.
ACTION_LABELS = {
    "created": _("angelegt"),
    "changed": _("Angaben geändert"),
    "email_confirmed": _("E-Mail-Adresse bestätigt"),
    "confirmed": _("Teilnahme bestätigt"),
    "waitlisted": _("auf die Warteliste gesetzt"),
    "hold_expired": _("Reservierung abgelaufen"),
    "promoted": _("von der Warteliste nachgerückt"),
    "confirmed_out_of_turn": _("von der Warteliste bestätigt (außer der Reihe)"),
    "cancelled": _("storniert"),
    "email_change_requested": _("neue E-Mail-Adresse angefragt"),
    "email_changed": _("E-Mail-Adresse geändert"),
    "link_replaced": _("persönlicher Link ersetzt"),
    "email_resent": _("E-Mail erneut gesendet"),
    "checked_in": _("eingelassen"),
    "check_in_undone": _("Einlass zurückgenommen"),
    "exported": _("Daten exportiert"),
    "mailing_sent": _("Rundschreiben gesendet"),
    "reminder_sent": _("Erinnerung vor der Veranstaltung gesendet"),
    "last_call_sent": _("Nachgerückt kurz vor der Veranstaltung: letzter Aufruf gesendet"),
    "certificate_issued": _("Teilnahmebescheinigung ausgestellt"),
    "certificate_withheld": _("Teilnahmebescheinigung zurückgehalten"),
    "anonymised": _("anonymisiert"),
    # Speakers (speakers/services.py).
    "invited": _("zum Portal für Referierende eingeladen"),
    "login_link_sent": _("Login-Link zum Portal geschickt"),
    "invitation_accepted": _("Einladung angenommen, Passwort festgelegt"),
    "participation_confirmed": _("Mitwirkung zugesagt"),
    "participation_withdrawn": _("Mitwirkung abgesagt"),
    "profile_changed": _("Profil geändert"),
    "slides_uploaded": _("Folien hochgeladen"),
    "slides_released": _("Folien freigegeben"),
    "slides_release_withdrawn": _("Freigabe der Folien zurückgenommen"),
}

# Replaces a scrubbed value; says that something was there without saying what.
SCRUBBED = "[…]"


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _json_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def changes_between(before, after, fields: Iterable[str]) -> dict[str, tuple]:
    """{field: (old, new)} for the fields whose value differs; before/after are model
    instances or dicts."""

    def value(source, field):
        return source.get(field) if isinstance(source, dict) else getattr(source, field)

    return {
        field: (value(before, field), value(after, field))
        for field in fields
        if value(before, field) != value(after, field)
    }


def record(
    obj,
    *,
    actor: Actor,
    action: str,
    changes: dict[str, tuple] | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> AuditEntry:
    """One entry about obj: `changes` maps field names to (old, new). `note` is a fixed
    text of the caller, never free text with personal data (retention scrubs `changes`,
    not notes)."""
    user = actor.user if actor.kind == ActorKind.ORGANISER else None
    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        actor_kind=actor.kind,
        actor_user=user if getattr(user, "pk", None) else None,
        actor_name=user.get_username() if getattr(user, "pk", None) else "",
        via=actor.via[:50],
        action=action,
        changes={
            field: {"old": _json_value(old), "new": _json_value(new)}
            for field, (old, new) in (changes or {}).items()
        },
        note=str(note)[:500],
    )
    if at is not None:
        entry.at = at
    entry.save()
    return entry


def scrub(obj, *, fields: Iterable[str]) -> int:
    """Replace the old and new values of `fields` in every entry about obj (the field
    names and the times stay, so the history still shows that something changed).
    Returns the number of entries rewritten."""
    return scrub_entries(AuditEntry.objects.about(obj), fields=fields)


def scrub_entries(entries, *, fields: Iterable[str]) -> int:
    fields = set(fields)

    def scrubbed(change):
        return {
            key: SCRUBBED if value not in (None, "", False) else value
            for key, value in change.items()
        }

    rewritten = 0
    for entry in entries.only("pk", "changes"):
        changes = {
            field: scrubbed(change) if field in fields else change
            for field, change in entry.changes.items()
        }
        if changes != entry.changes:
            AuditEntry.objects.filter(pk=entry.pk).update(changes=changes)
            rewritten += 1
    return rewritten
