"""Minimal admin registrations. The organisers' guest list (summary, actions, CSV export)
is built on top of this in a separate step."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from registration import services
from registration.models import Registration, RegistrationSettings

# One labelled native date-and-time input instead of the admin's split pair of unlabelled
# text inputs (which fail WCAG 1.3.1 / 4.1.2).
DATE_AND_TIME = {
    "form_class": forms.DateTimeField,
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.DateTimeField: DATE_AND_TIME}
    list_display = ["last_name", "first_name", "organisation", "category", "status", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["last_name", "first_name", "email", "organisation", "entry_code"]
    readonly_fields = ["entry_code", "created_at", "updated_at"]


class RegistrationSettingsForm(forms.ModelForm):
    capacity = forms.IntegerField(
        label=_("Plätze"),
        min_value=0,
        help_text=_(
            "Mehr Plätze: Die Warteliste rückt sofort nach. Weniger Plätze: Niemand verliert "
            "seinen Platz; neue Bestätigungen gibt es erst wieder unterhalb der Grenze."
        ),
    )

    class Meta:
        model = RegistrationSettings
        fields = ["event", "opens_at", "closes_at", "closed_manually"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["capacity"].initial = self.instance.event.capacity


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    form = RegistrationSettingsForm
    formfield_overrides = {models.DateTimeField: DATE_AND_TIME}
    list_display = ["event", "opens_at", "closes_at", "closed_manually"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Through the service, so the waiting list moves up in the same locked step.
        promoted = services.set_capacity(event=obj.event, capacity=form.cleaned_data["capacity"])
        if promoted:
            self.message_user(
                request,
                _("%(count)d Person(en) von der Warteliste sind nachgerückt.")
                % {"count": len(promoted)},
            )
