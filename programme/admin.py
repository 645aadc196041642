from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from programme.models import Event, Page, Speaker
from programme.pages import PLACEHOLDER_HELP
from programme.seed_pages import has_open_placeholders


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
        (_("Anmeldung"), {"fields": ["capacity", "contact_email"]}),
    ]

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

    @admin.display(boolean=True, description=_("Platzhalter offen"))
    def open_placeholders(self, page: Page) -> bool:
        return has_open_placeholders(page.body_de) or has_open_placeholders(page.body_en)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
