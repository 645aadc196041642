from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from programme.models import Event, Page, Speaker


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
    list_display = ["__str__", "title", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
