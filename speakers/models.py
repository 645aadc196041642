"""The speaker side: access to the portal (invitation, participation), notes organisers
write for speakers, and slides. Speakers themselves are programme.Speaker."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from programme.models import Session, Speaker

INVITATION_DAYS = 14


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PrivateStorage(FileSystemStorage):
    """Files only views hand out after a permission check (slides before release).

    Outside MEDIA_ROOT, which a proxy may serve to anyone. The location is read from the
    settings on each use, so tests can point it elsewhere."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @cached_property
    def base_url(self):
        return None


private_storage = PrivateStorage()


class SpeakerAccess(models.Model):
    """How a speaker reaches the portal, and whether they confirmed they will appear."""

    class Participation(models.TextChoices):
        OPEN = "open", _("noch offen")
        CONFIRMED = "confirmed", _("zugesagt")
        WITHDRAWN = "withdrawn", _("abgesagt")

    speaker = models.OneToOneField(
        Speaker,
        verbose_name=_("Referierende Person"),
        on_delete=models.CASCADE,
        related_name="access",
    )
    email = models.EmailField(
        _("E-Mail-Adresse"),
        blank=True,
        help_text=_("An diese Adresse geht die Einladung zum Portal für Referierende."),
    )
    language = models.CharField(
        _("Sprache"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    invitation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True, editable=False)
    invitation_expires_at = models.DateTimeField(
        _("Einladung gültig bis"), null=True, blank=True, editable=False
    )
    invitation_used_at = models.DateTimeField(
        _("Einladung angenommen am"), null=True, blank=True, editable=False
    )
    participation = models.CharField(
        _("Teilnahme"),
        max_length=20,
        choices=Participation.choices,
        default=Participation.OPEN,
        editable=False,
    )
    participation_changed_at = models.DateTimeField(
        _("Teilnahme zuletzt geändert"), null=True, blank=True, editable=False
    )
    withdrawal_reason = models.TextField(_("Grund der Absage"), blank=True, editable=False)

    class Meta:
        verbose_name = _("Zugang für Referierende")
        verbose_name_plural = _("Zugänge für Referierende")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation_token_hash"],
                condition=~Q(invitation_token_hash=""),
                name="speaker_invitation_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.speaker)

    @property
    def invitation_is_open(self) -> bool:
        return bool(
            self.invitation_token_hash
            and self.invitation_used_at is None
            and self.invitation_expires_at
            and self.invitation_expires_at > timezone.now()
        )


def slides_upload_to(instance, filename: str) -> str:
    # The uploaded name is never used: it may carry personal data or path tricks.
    import secrets

    return f"slides/{secrets.token_hex(16)}.pdf"


class SlidesQuerySet(models.QuerySet):
    def released(self) -> SlidesQuerySet:
        return self.filter(released_at__isnull=False).select_related("speaker")


class Slides(models.Model):
    """A speaker's PDF for one of their sessions. Public once an organiser releases it."""

    speaker = models.ForeignKey(
        Speaker,
        verbose_name=_("Referierende Person"),
        on_delete=models.CASCADE,
        related_name="slides",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("Programmpunkt"), on_delete=models.CASCADE, related_name="slides"
    )
    file = models.FileField(_("PDF-Datei"), upload_to=slides_upload_to, storage=private_storage)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    pages = models.PositiveIntegerField(_("Seiten"))
    uploaded_at = models.DateTimeField(_("hochgeladen am"), default=timezone.now)
    released_at = models.DateTimeField(
        _("freigegeben am"),
        null=True,
        blank=True,
        help_text=_("Freigegebene Folien bietet die öffentliche Seite des Programmpunkts an."),
    )

    objects = SlidesQuerySet.as_manager()

    class Meta:
        verbose_name = _("Folien")
        verbose_name_plural = _("Folien")
        ordering = ["session__start", "speaker__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "session"], name="one_slides_file_per_speaker_and_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.speaker}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def download_name(self) -> str:
        return f"{self.session.slug}-{self.speaker.slug}.pdf"


class SpeakerNote(models.Model):
    """What organisers tell speakers: arrival, entry check, technical check, deadlines.

    Without a session, a note is for every speaker; with one, for that session's people."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("Programmpunkt"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="speaker_notes",
        help_text=_("Leer lassen für einen Hinweis an alle Referierenden."),
    )
    title = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(_("Text"), help_text=_("Markdown möglich."))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Hinweis für Referierende")
        verbose_name_plural = _("Hinweise für Referierende")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title
