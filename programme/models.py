from __future__ import annotations

import datetime
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventQuerySet(models.QuerySet):
    def current(self) -> Event | None:
        """The event this site is about. One site serves one event."""
        return self.order_by("pk").first()


class Event(models.Model):
    """The one event of this site. Visible texts exist in German and English
    (see programme/translation.py)."""

    title = models.CharField(_("Titel"), max_length=200)
    short_title = models.CharField(_("Kurztitel"), max_length=120)
    subtitle = models.CharField(_("Untertitel"), max_length=300, blank=True)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Markdown: **fett**, *kursiv*, Listen, Links.")
    )
    date = models.DateField(_("Datum"))
    start_time = models.TimeField(_("Beginn"))
    end_time = models.TimeField(_("Ende"))
    hosts = models.TextField(
        _("Veranstalter"), help_text=_("Eine Zeile je Veranstalter, in der gezeigten Reihenfolge.")
    )
    venue_name = models.CharField(_("Veranstaltungsort"), max_length=200)
    venue_street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    venue_postcode = models.CharField(_("Postleitzahl"), max_length=10)
    venue_city = models.CharField(_("Ort"), max_length=100)
    public_transport = models.TextField(_("Anreise mit Bus und Bahn"), blank=True)
    entry_note = models.TextField(
        _("Hinweis zum Einlass"),
        blank=True,
        help_text=_("Zum Beispiel: Einlasskontrolle, Lichtbildausweis mitbringen."),
    )
    venue_accessibility = models.TextField(
        _("Barrierefreiheit des Veranstaltungsorts"),
        blank=True,
        help_text=_("Nur belegte Angaben. Was nicht bekannt ist, wird nicht behauptet."),
    )
    capacity = models.PositiveIntegerField(_("Plätze"), default=200)
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="event_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))

    @property
    def host_list(self) -> list[str]:
        return [line.strip() for line in self.hosts.splitlines() if line.strip()]

    @property
    def venue_address(self) -> str:
        return f"{self.venue_street}, {self.venue_postcode} {self.venue_city}"

    @property
    def map_url(self) -> str:
        """A link to OpenStreetMap: we link to the map instead of embedding a third party."""
        query = quote(f"{self.venue_street}, {self.venue_postcode} {self.venue_city}")
        return f"https://www.openstreetmap.org/search?query={query}"


class Page(models.Model):
    """A text page organisers edit in the admin (legal notice, privacy, accessibility...)."""

    class Slug(models.TextChoices):
        DIRECTIONS = "anfahrt", _("Anfahrt")
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutz")
        ACCESSIBILITY = "barrierefreiheit", _("Barrierefreiheit")
        EASY_LANGUAGE = "leichte-sprache", _("Leichte Sprache")

    slug = models.SlugField(_("Seite"), choices=Slug.choices, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_(
            "Markdown: ## Zwischenüberschrift, **fett**, - Liste, [Linktext](https://…). "
            "HTML wird nicht übernommen."
        ),
    )
    sign_language_video = models.FileField(
        _("Video in Deutscher Gebärdensprache"),
        upload_to="videos/",
        blank=True,
        help_text=_(
            "Optional. MP4 oder WebM; wird auf der Seite selbst abgespielt, ohne Drittanbieter."
        ),
    )
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Textseite")
        verbose_name_plural = _("Textseiten")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.get_slug_display()

    def get_absolute_url(self) -> str:
        # The URL names in programme/urls.py are the English names of the slugs.
        return reverse(PAGE_URL_NAMES[self.slug])


PAGE_URL_NAMES = {
    Page.Slug.DIRECTIONS: "directions",
    Page.Slug.IMPRINT: "imprint",
    Page.Slug.PRIVACY: "privacy",
    Page.Slug.ACCESSIBILITY: "accessibility",
    Page.Slug.EASY_LANGUAGE: "easy_language",
}


class Speaker(models.Model):
    """A person on the programme. The programme issue extends this model."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=200, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker",
    )

    class Meta:
        verbose_name = _("Referent/in")
        verbose_name_plural = _("Referierende")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
