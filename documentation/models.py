"""The documentation after the event: slides, the project report, the guide ("Kochbuch")
and other material, as a PDF file or a link, for one session or for the whole event.

A document is public once it is published (`published_at`). Files live in private
storage and are handed out by a view that checks publication, so an unpublished file is
not reachable by guessing its path. Each publishing step that announces new documents is
a `Publication`; `PublicationNotice` holds one row per guest and publication, so nobody
gets the same announcement twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from speakers.models import private_storage


def document_upload_to(instance, filename: str) -> str:
    # A random name: the original name could carry personal data and is not needed.
    return f"documentation/{secrets.token_hex(16)}.pdf"


class DocumentQuerySet(models.QuerySet):
    def published(self) -> DocumentQuerySet:
        return self.filter(published_at__isnull=False)

    def for_event_page(self, event) -> DocumentQuerySet:
        return (
            self.published()
            .filter(event=event)
            .select_related("session")
            .order_by("session__start", "session__pk", "order", "pk")
        )


class Document(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Folien")
        REPORT = "report", _("Projektbericht")
        GUIDE = "guide", _("Leitfaden („Kochbuch“)")
        RECORDING = "recording", _("Aufzeichnung")
        OTHER = "other", _("Weiteres Material")

    event = models.ForeignKey(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    session = models.ForeignKey(
        "programme.Session",
        verbose_name=_("Programmpunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text=_("Leer lassen für Material zur ganzen Veranstaltung."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    file = models.FileField(
        _("PDF-Datei"),
        upload_to=document_upload_to,
        storage=private_storage,
        blank=True,
    )
    size = models.PositiveIntegerField(_("Größe in Bytes"), null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("Seiten"), null=True, blank=True, editable=False)
    url = models.URLField(
        _("oder Link"),
        blank=True,
        help_text=_("Statt einer Datei: eine Adresse im Netz, z. B. der Bericht beim Ministerium."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    published_at = models.DateTimeField(
        _("veröffentlicht am"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Nur veröffentlichtes Material ist öffentlich zu sehen."),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumentation")
        ordering = ["session__start", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="document_is_a_file_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def download_name(self) -> str:
        return f"{slugify(self.title)[:80] or 'dokument'}.pdf"


class Publication(models.Model):
    """One publishing step that told the guests about new documentation."""

    event = models.ForeignKey(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("veröffentlicht von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    documents = models.ManyToManyField(Document, verbose_name=_("Dokumente"), related_name="+")

    class Meta:
        verbose_name = _("Veröffentlichung")
        verbose_name_plural = _("Veröffentlichungen")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return str(self.published_at)


class PublicationNotice(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="notices")
    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="+"
    )
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "registration"], name="one_notice_per_guest_and_publication"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} – {self.registration_id}"
