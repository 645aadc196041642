from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models, transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from programme import services
from programme.forms import SpeakerAdminForm
from programme.models import Event, Page, Session, SessionSpeaker, Speaker
from programme.pages import PLACEHOLDER_HELP, has_open_placeholders
from programme.photos import remove_speaker_photo, set_speaker_photo


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ["short_title", "date", "start_time", "end_time", "venue_name", "capacity"]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "subtitle", "description", "hosts"]}),
        (_("Datum und Zeit"), {"fields": ["date", "start_time", "end_time"]}),
        (
            _("Ort"),
            {
                "fields": [
                    "venue_name",
                    "venue_street",
                    "venue_postcode",
                    "venue_city",
                    "public_transport",
                    "entry_note",
                    "venue_accessibility",
                ]
            },
        ),
        (
            _("Anmeldung"),
            {
                "fields": ["capacity", "contact_email"],
                "description": _(
                    "Die Zahl der Plätze ändern Sie beim Anmeldezeitraum (Anmeldung › "
                    "Anmeldezeiträume): Dort rückt die Warteliste sofort nach."
                ),
            },
        ),
    ]
    # Seats are the registration's business: edited with the registration window, where the
    # waiting list moves up in the same step.
    readonly_fields = ["capacity"]

    def has_add_permission(self, request):
        # One site, one event.
        return not Event.objects.exists() and super().has_add_permission(request)


@admin.register(Page)
class PageAdmin(TranslationAdmin):
    list_display = ["__str__", "title", "open_placeholders", "sign_language_video", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["slug", "title", "body"],
                "description": format_html(
                    "{}<ul>{}</ul>{}",
                    _(
                        "Diese Angaben werden beim Anzeigen eingesetzt, wenn sie im Text in "
                        "geschweiften Klammern stehen:"
                    ),
                    format_html_join(
                        "", "<li><code>{{{}}}</code>: {}</li>", PLACEHOLDER_HELP.items()
                    ),
                    _(
                        "Angaben in eckigen Klammern mit „bitte eintragen“ sind Platzhalter: "
                        "Ersetzen Sie sie vor der Veröffentlichung."
                    ),
                ),
            },
        ),
        (_("Gebärdensprache"), {"fields": ["sign_language_video"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    def has_add_permission(self, request):
        # Every page has its fixed address; load_event creates them all.
        return False

    def has_delete_permission(self, request, obj=None):
        # The legal pages must exist; organisers change their text instead.
        return False

    @admin.display(boolean=True, description=_("Platzhalter offen"))
    def open_placeholders(self, page: Page) -> bool:
        return has_open_placeholders(page.body_de) or has_open_placeholders(page.body_en)


class NamedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete with a visible placeholder: select2 names its combobox after
    the shown text, and an empty one leaves screen readers with no name (WCAG 4.1.2)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = _("Person suchen …")
        return attrs


class SessionSpeakerInline(admin.StackedInline):
    # Stacked, not tabular: every field gets its own <label>; table headers do not
    # label inputs for screen readers.
    # No empty row up front: select2 gives an empty autocomplete box no accessible name
    # (an upstream fault); organisers add a row with "Weitere … hinzufügen".
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = [("speaker", "role", "order")]
    ordering = ["order", "pk"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SessionInline(admin.TabularInline):
    """On a speaker's page: the sessions they appear in (read-only overview)."""

    model = SessionSpeaker
    extra = 0
    fields = ["session", "role", "order"]
    readonly_fields = ["session", "role", "order"]
    can_delete = False
    verbose_name = _("Auftritt im Programm")
    verbose_name_plural = _("Auftritte im Programm")

    def has_add_permission(self, request, obj=None):
        return False


class DateTimeLocalInput(forms.DateTimeInput):
    """One native date-and-time input with its own label, instead of the admin's split
    date and time boxes, whose second box has no label (WCAG 4.1.2) and needs JavaScript."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 300, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


@admin.register(Session)
class SessionAdmin(TranslationAdmin):
    formfield_overrides = {
        models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeLocalInput},
    }
    list_display = ["start", "end", "title", "kind", "location", "time_confirmed", "people"]
    list_display_links = ["title"]
    list_filter = ["kind", "time_confirmed", "location"]
    search_fields = ["title_de", "title_en", "abstract_de", "session_speakers__speaker__name"]
    ordering = ["start", "end", "pk"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title_de"]}
    inlines = [SessionSpeakerInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "abstract"]}),
        (_("Zeit und Ort"), {"fields": ["start", "end", "time_confirmed", "location"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("session_speakers__speaker")

    def save_model(self, request, obj, form, change):
        services.save_session(session=obj)

    @admin.display(description=_("Mitwirkende"))
    def people(self, session: Session) -> str:
        return ", ".join(link.speaker.full_name for link in session.session_speakers.all())


class HasPhotoFilter(admin.SimpleListFilter):
    title = _("Foto")
    parameter_name = "photo"

    def lookups(self, request, model_admin):
        return [("yes", _("mit Foto")), ("no", _("ohne Foto"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(photo_key="")
        if self.value() == "no":
            return queryset.filter(photo_key="")
        return queryset


@admin.register(Speaker)
class SpeakerAdmin(TranslationAdmin):
    form = SpeakerAdminForm
    list_display = ["thumbnail", "name", "academic_title", "position", "organisation"]
    # Only the name links: the thumbnail has no text (initials are aria-hidden, the photo's
    # alt is empty), so as a link it had no accessible name (WCAG 2.4.4, found by axe).
    list_display_links = ["name"]
    search_fields = ["name", "organisation_de", "organisation_en", "position_de", "slug"]
    list_filter = [HasPhotoFilter, "session_roles__role", "session_roles__session__kind"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview"]
    inlines = [SessionInline]
    fieldsets = [
        (None, {"fields": ["academic_title", "name", "slug", "position", "organisation", "bio"]}),
        (_("Foto"), {"fields": ["photo_preview", "photo_upload", "remove_photo"]}),
        (_("Zugang"), {"fields": ["user"]}),
    ]

    @admin.display(description=_("Foto"))
    def thumbnail(self, speaker: Speaker) -> str:
        if not speaker.photo:
            return format_html('<span aria-hidden="true">{}</span>', speaker.initials)
        return format_html('<img src="{}" width="48" height="48" alt="">', speaker.photo.small_jpeg)

    @admin.display(description=_("Aktuelles Foto"))
    def photo_preview(self, speaker: Speaker) -> str:
        if not speaker.photo:
            return _("Kein Foto. Öffentlich werden die Initialen gezeigt.")
        return format_html(
            '<img src="{}" width="200" height="200" alt="{}">',
            speaker.photo.small_jpeg,
            _("Aktuelles Foto von %(name)s") % {"name": speaker.full_name},
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if form.prepared_photo is not None:
                set_speaker_photo(speaker=obj, photo=form.prepared_photo)
            elif form.cleaned_data.get("remove_photo"):
                remove_speaker_photo(speaker=obj)
