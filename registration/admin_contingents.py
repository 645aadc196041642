"""Contingents and invitation codes in the admin (imported by registration/admin.py).

As in the guest list, the admin only collects what organisers decide; seats move in
registration/services.py under the event lock, so the waiting lists follow at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from registration import pools, services
from registration.admin import LabelledSplitDateTime
from registration.models import Contingent, InvitationCode, Registration


class LabelledDateTimesMixin:
    """Each date and time box gets an accessible name (see LabelledSplitDateTime)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ContingentForm(forms.ModelForm):
    class Meta:
        model = Contingent
        fields = ["event", "name", "seats", "is_press", "release_at"]

    def clean(self):
        cleaned = super().clean()
        event, seats = cleaned.get("event"), cleaned.get("seats")
        if event is None or seats is None:
            return cleaned
        others = (
            Contingent.objects.filter(event=event)
            .unreleased()
            .exclude(pk=self.instance.pk)
            .values_list("seats", flat=True)
        )
        reserved = sum(others) + seats
        if reserved > event.capacity:
            self.add_error(
                "seats",
                forms.ValidationError(
                    _(
                        "Alle Kontingente zusammen hätten %(reserved)s Plätze, die Veranstaltung "
                        "hat aber nur %(capacity)s."
                    )
                    % {"reserved": reserved, "capacity": event.capacity},
                    code="over_capacity",
                ),
            )
        return cleaned


@admin.register(Contingent)
class ContingentAdmin(LabelledDateTimesMixin, admin.ModelAdmin):
    form = ContingentForm
    list_display = [
        "name",
        "seats",
        "taken",
        "free",
        "waiting",
        "is_press",
        "release_at",
        "released_at",
    ]
    list_filter = ["event", "is_press"]
    readonly_fields = ["released_at"]
    actions = ["release_now"]

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                taken_seats=Count(
                    "registrations", filter=pools.taken_filter(now, prefix="registrations__")
                ),
                waiting_count=Count(
                    "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
                ),
            )
        )

    @admin.display(description=gettext_lazy("belegt"), ordering="taken_seats")
    def taken(self, contingent):
        return contingent.taken_seats

    @admin.display(description=gettext_lazy("frei"))
    def free(self, contingent):
        if contingent.is_released:
            return "–"
        return max(contingent.seats - contingent.taken_seats, 0)

    @admin.display(description=gettext_lazy("Warteliste"), ordering="waiting_count")
    def waiting(self, contingent):
        return contingent.waiting_count

    def save_model(self, request, obj, form, change):
        # Through the service: the seat lock is taken and the waiting lists move up at once.
        services.save_contingent(contingent=obj)

    @admin.action(
        description=gettext_lazy("Freie Plätze in den allgemeinen Pool freigeben"),
        permissions=["change"],
    )
    def release_now(self, request, queryset):
        promoted = 0
        released = 0
        for contingent in queryset.unreleased():
            promoted += len(services.release_contingent(contingent=contingent))
            released += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s Kontingent freigegeben.",
                "%(count)s Kontingente freigegeben.",
                released,
            )
            % {"count": released}
            + " "
            + ngettext(
                "%(count)s Person ist von der Warteliste nachgerückt.",
                "%(count)s Personen sind von der Warteliste nachgerückt.",
                promoted,
            )
            % {"count": promoted},
            messages.SUCCESS,
        )


class InvitationCodeForm(forms.ModelForm):
    class Meta:
        model = InvitationCode
        fields = [
            "contingent",
            "max_uses",
            "expires_at",
            "recipient_name",
            "recipient_email",
            "language",
        ]


@admin.register(InvitationCode)
class InvitationCodeAdmin(LabelledDateTimesMixin, admin.ModelAdmin):
    form = InvitationCodeForm
    list_display = [
        "code_display",
        "contingent",
        "recipient_name",
        "recipient_email",
        "used",
        "max_uses",
        "expires_at",
        "invited_at",
    ]
    list_filter = ["contingent", "language"]
    search_fields = ["code", "recipient_name", "recipient_email"]
    readonly_fields = ["code_display", "invited_at", "created_at"]
    list_select_related = ["contingent"]
    actions = ["send_invitations"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_uses=Count(
                    "registrations",
                    filter=Q(registrations__status__in=Registration.ACTIVE_STATUSES),
                )
            )
        )

    @admin.display(description=gettext_lazy("Code"), ordering="code")
    def code_display(self, code):
        return code.code_display

    @admin.display(description=gettext_lazy("genutzt"), ordering="active_uses")
    def used(self, code):
        return code.active_uses

    @admin.action(
        description=gettext_lazy("Persönliche Einladung per E-Mail senden"),
        permissions=["change"],
    )
    def send_invitations(self, request, queryset):
        sent, skipped = services.send_invitations(codes=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s Einladung wird verschickt.",
                "%(count)s Einladungen werden verschickt.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s Code hat keine E-Mail-Adresse und wurde übersprungen.",
                    "%(count)s Codes haben keine E-Mail-Adresse und wurden übersprungen.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
