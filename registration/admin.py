from django.contrib import admin

from registration.models import Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["last_name", "first_name", "email"]
