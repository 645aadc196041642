"""Who made a change: the person themselves, a member of staff, or the site on its own."""

from __future__ import annotations

import dataclasses

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    ATTENDEE = "attendee", _("Teilnehmende Person (Selbstverwaltung)")
    ORGANISER = "organiser", _("Organisationsteam")
    SYSTEM = "system", _("System (automatisch)")


@dataclasses.dataclass(frozen=True)
class Actor:
    """kind and, for staff, the user; `via` names the channel or job ("admin",
    "check-in", "expire-holds") so an organiser can tell where a change came from."""

    kind: str
    user: object | None = None
    via: str = ""

    @classmethod
    def attendee(cls, via: str = "self-service") -> Actor:
        return cls(ActorKind.ATTENDEE, None, via)

    @classmethod
    def organiser(cls, user, via: str = "admin") -> Actor:
        return cls(ActorKind.ORGANISER, user, via)

    @classmethod
    def system(cls, via: str) -> Actor:
        return cls(ActorKind.SYSTEM, None, via)
