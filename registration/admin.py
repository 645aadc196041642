"""Minimal admin registrations. The organisers' guest list (summary, actions, CSV export)
is built on top of this in a separate step."""

from django.contrib import admin

from registration.models import Registration, RegistrationSettings


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "category", "status", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["last_name", "first_name", "email", "organisation", "entry_code"]
    readonly_fields = ["entry_code", "created_at", "updated_at"]


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "opens_at", "closes_at", "closed_manually"]
