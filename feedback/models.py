"""Anonymous feedback from the guests who attended.

Two tables that share no key: `FeedbackInvitation` knows who was asked and whether their
one answer is used up, `FeedbackAnswer` holds the answers without any reference to a
person or an invitation. An answer's primary key is random (no sequence that follows the
order of submission) and it keeps only the day it came in, so neither its key nor its
time leads back to an invitation.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedbackInvitation(models.Model):
    """One per guest: the invitation email went out, and whether the answer was given.

    `used` is a flag, not a time: a time could be matched with the day of an answer."""

    registration = models.OneToOneField(
        "registration.Registration",
        verbose_name=_("Anmeldung"),
        on_delete=models.CASCADE,
        related_name="feedback_invitation",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    used = models.BooleanField(_("beantwortet"), default=False)

    class Meta:
        verbose_name = _("Einladung zur Rückmeldung")
        verbose_name_plural = _("Einladungen zur Rückmeldung")

    def __str__(self) -> str:
        return str(self.registration)


class FeedbackAnswer(models.Model):
    """One guest's anonymous answers. Ratings are 1 (not at all satisfied) to 5 (very
    satisfied), empty where the guest gave none."""

    QUESTIONS = ("overall", "content", "organisation", "venue")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="feedback_answers",
    )
    submitted_on = models.DateField(_("eingegangen am (Tag)"))
    overall = models.PositiveSmallIntegerField(_("Gesamteindruck"), null=True, blank=True)
    content = models.PositiveSmallIntegerField(_("Nutzen der Inhalte"), null=True, blank=True)
    organisation = models.PositiveSmallIntegerField(
        _("Organisation und Ablauf"), null=True, blank=True
    )
    venue = models.PositiveSmallIntegerField(_("Veranstaltungsort"), null=True, blank=True)
    comment = models.TextField(_("Freitext"), blank=True)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["submitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": (1, 5)})),
                name=f"feedback_{name}_rating_1_to_5",
            )
            for name in ("overall", "content", "organisation", "venue")
        ]

    def __str__(self) -> str:
        return str(self.submitted_on)
