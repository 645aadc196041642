from __future__ import annotations

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
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
    def has_taken_place(self) -> bool:
        """The event has ended (and the site is not kept as before the day by
        AFTER_THE_EVENT=false): pages say so, registration is closed."""
        return settings.AFTER_THE_EVENT and timezone.now() >= self.ends_at

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


class SpeakerQuerySet(models.QuerySet):
    def with_sessions(self) -> SpeakerQuerySet:
        """Speakers with their roles and sessions in two extra queries, however many there are."""
        return self.prefetch_related(
            models.Prefetch(
                "session_roles",
                queryset=SessionSpeaker.objects.select_related("session").order_by(
                    "session__start", "order"
                ),
            )
        )


class Speaker(models.Model):
    """A person on the programme: speaker, moderator or panellist of one or more sessions.

    Only names and roles on public record are entered; the bio stays empty unless the
    person supplied one. The photo is stored as generated variants (see programme/photos.py);
    `photo_key` names them, never the uploaded file's name."""

    name = models.CharField(_("Name"), max_length=200)
    academic_title = models.CharField(
        _("Akademischer Titel"), max_length=50, blank=True, help_text=_("Zum Beispiel: Dr.")
    )
    position = models.CharField(
        _("Funktion"), max_length=200, blank=True, help_text=_("Zum Beispiel: Staatssekretär")
    )
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    bio = models.TextField(
        _("Kurzbiografie"),
        blank=True,
        help_text=_("Nur mit Zustimmung der Person und in ihren Worten. Markdown möglich."),
    )
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=200, unique=True)
    photo_key = models.CharField(
        _("Foto"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Kennung der gespeicherten Fotogrößen; leer, wenn es kein Foto gibt."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker",
    )

    # The outbox's messages about this speaker (invitations, slot changes).
    emails = GenericRelation(
        "mail.OutgoingEmail",
        content_type_field="about_type",
        object_id_field="about_id",
        related_query_name="speaker",
    )

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Referierende Person")
        verbose_name_plural = _("Referierende")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("speaker", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        return f"{self.academic_title} {self.name}".strip()

    @property
    def affiliation(self) -> str:
        """ "Staatssekretär, Bundesministerium des Innern": what a programme prints under a name."""
        return ", ".join(part for part in (self.position, self.organisation) if part)

    @property
    def is_unnamed(self) -> bool:
        """ "N. N." (nomen nescio): a place on the programme whose person is not known yet."""
        return self.name.replace(" ", "").upper() == "N.N."

    @property
    def sort_key(self) -> tuple:
        """Lists go by surname, as German programmes do; unnamed places come last."""
        words = self.name.split()
        surname = words[-1] if words else ""
        return (self.is_unnamed, surname.casefold(), self.name.casefold(), self.organisation or "")

    @property
    def initials(self) -> str:
        """Up to two letters for the placeholder when there is no photo."""
        words = [word for word in self.name.replace("-", " ").split() if word[:1].isalpha()]
        if not words:
            return "?"
        letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
        return letters.upper()

    @property
    def photo(self):
        """The stored photo variants, or None. See programme/photos.py."""
        from programme.photos import StoredPhoto

        return StoredPhoto(self.photo_key) if self.photo_key else None


class SessionQuerySet(models.QuerySet):
    def for_timetable(self) -> SessionQuerySet:
        """Sessions in time order with their people, in two queries whatever the count."""
        return self.order_by("start", "end", "pk").prefetch_related(
            models.Prefetch(
                "session_speakers",
                queryset=SessionSpeaker.objects.select_related("speaker").order_by("order", "pk"),
            )
        )

    def overlapping(self, *, location: str, start, end) -> SessionQuerySet:
        """Sessions in the same location whose time overlaps [start, end).

        A session that ends at 10:30 and one that starts at 10:30 do not overlap."""
        return self.filter(location_de=location, start__lt=end, end__gt=start)


class Session(models.Model):
    """One item of the timetable: a talk, the panel, a break...

    Visible texts exist in German and English (programme/translation.py). A session
    in a location must not overlap another in the same location: clean() refuses it
    with a message for the admin, and on PostgreSQL an exclusion constraint
    (migration 0004) refuses it even when two organisers save at the same moment."""

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Begrüßung")
        GREETING = "greeting", _("Grußwort")
        TALK = "talk", _("Vortrag")
        PRESENTATION = "presentation", _("Präsentation")
        PANEL = "panel", _("Podiumsdiskussion")
        BREAK = "break", _("Pause")
        OUTLOOK = "outlook", _("Ausblick")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    abstract = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown möglich."))
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    time_confirmed = models.BooleanField(
        _("Uhrzeit bestätigt"),
        default=True,
        help_text=_("Nicht angehakt: Die Uhrzeit ist vorläufig; das Programm weist darauf hin."),
    )
    location = models.CharField(
        _("Ort im Haus"),
        max_length=120,
        blank=True,
        help_text=_("Raum oder Bereich, zum Beispiel: Saal, Foyer."),
    )
    location_confirmed = models.BooleanField(
        _("Ort bestätigt"),
        default=True,
        help_text=_("Nicht angehakt: Der Raum ist vorläufig; das Programm weist darauf hin."),
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        related_name="sessions",
        verbose_name=_("Referierende"),
        blank=True,
    )
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)
    sequence = models.PositiveIntegerField(
        _("Fassung von Zeit und Ort"),
        default=0,
        editable=False,
        help_text=_(
            "Zählt jede Änderung von Beginn, Ende oder Ort; abonnierte Kalender ersetzen "
            "damit den alten Eintrag."
        ),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        ordering = ["start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="session_ends_after_it_starts",
                violation_error_message=_("Ein Programmpunkt muss nach seinem Beginn enden."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("session", kwargs={"slug": self.slug})

    @property
    def is_break(self) -> bool:
        return self.kind == self.Kind.BREAK

    @property
    def duration(self) -> datetime.timedelta:
        return self.end - self.start

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(
                {"end": _("Ein Programmpunkt muss nach seinem Beginn enden.")},
                code="ends_before_start",
            )
        # The German name identifies the location; the English one is only its label.
        location = self.location_de
        if not (location and self.start and self.end):
            return
        clash = (
            Session.objects.overlapping(location=location, start=self.start, end=self.end)
            .exclude(pk=self.pk)
            .order_by("start")
            .first()
        )
        if clash is not None:
            start = timezone.localtime(clash.start)
            end = timezone.localtime(clash.end)
            raise ValidationError(
                _(
                    "Im Ort „%(location)s“ findet zu dieser Zeit schon „%(other)s“ statt "
                    "(%(start)s bis %(end)s Uhr). Bitte Zeit oder Ort ändern."
                ),
                code="overlap",
                params={
                    "location": location,
                    "other": clash.title,
                    "start": start.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                },
            )


class SessionSpeaker(models.Model):
    """Who appears in a session and in which role, in the order the programme names them."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Referierende Person")
        MODERATOR = "moderator", _("Moderation")
        PANELLIST = "panellist", _("Podiumsgast")

    session = models.ForeignKey(
        Session,
        verbose_name=_("Programmpunkt"),
        on_delete=models.CASCADE,
        related_name="session_speakers",
    )
    speaker = models.ForeignKey(
        Speaker,
        verbose_name=_("Referierende Person"),
        on_delete=models.CASCADE,
        related_name="session_roles",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Mitwirkung")
        verbose_name_plural = _("Mitwirkende")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"], name="speaker_appears_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} – {self.get_role_display()}"
