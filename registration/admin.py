"""The organisers' guest list in the admin.

The admin only selects registrations and reports what happened; every change of a
registration's state (cancel, confirm from the waiting list, resend an email, edit details)
is one call into registration/services.py, so the seat rule, the waiting list and the emails
behave exactly as on the public pages. Status, entry code, time stamps and link secrets are
never edited here. See docs/registration.md, “Guest list (organisers)”.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import audit
from audit import Actor
from audit.admin import trail_html
from programme.models import Event
from registration import access, certificates, dashboard, retention, services
from registration import exports as documents_export
from registration.models import (
    ENTRY_CODE_LENGTH,
    Registration,
    RegistrationSettings,
    normalise_entry_code,
)

logger = logging.getLogger(__name__)

Status = Registration.Status


class AccessibilityNeedsFilter(admin.SimpleListFilter):
    title = gettext_lazy("Bedarf an Barrierefreiheit")
    parameter_name = "accessibility"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("angegeben")), ("no", gettext_lazy("nicht angegeben"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(accessibility_needs="")
        if self.value() == "no":
            return queryset.filter(accessibility_needs="")
        return queryset


# Shown in the change form but changed only through the services (the list's actions).
STATE_FIELDS = [
    "event",
    "status",
    "waiting_position",
    "entry_code_grouped",
    "created_at",
    "updated_at",
    "hold_expires_at",
    "email_confirmed_at",
    "waitlisted_at",
    "confirmed_at",
    "cancelled_at",
    "cancelled_by",
    "checked_in_at",
    "pending_email",
]
CONSENT_FIELDS = ["privacy_consent_version", "privacy_consented_at"]
AUDIT_FIELDS = ["audit_trail", "audit_trail_link", "personal_data_links", "anonymised_at"]


class RegistrationAdminForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = [*services.DETAIL_FIELDS, "email"]

    def clean_email(self):
        # Said in the form rather than left to the service, so the other edits survive.
        email = self.cleaned_data["email"].strip()
        try:
            services.ensure_address_free(registration=self.instance, email=email)
        except services.AddressTaken as error:
            raise forms.ValidationError(error.message, code="email_taken") from error
        return email


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = [
        "name",
        "organisation",
        "category",
        "status_with_position",
        "contingent",
        "created_at",
        "confirmed_at",
        "checked_in_at",
    ]
    list_display_links = ["name"]
    list_filter = ["status", "category", "contingent", "accreditation", AccessibilityNeedsFilter]
    search_fields = ["first_name", "last_name", "academic_title", "email", "organisation"]
    search_help_text = gettext_lazy(
        "Name, E-Mail-Adresse, Organisation oder Einlasscode (mit oder ohne Bindestrich)"
    )
    ordering = ["last_name", "first_name", "pk"]
    list_per_page = 100
    actions = [
        "cancel_registrations",
        "confirm_from_waiting_list",
        "resend_confirmation",
        "resend_link",
        "replace_link",
        "approve_accreditation",
        "decline_accreditation",
        "issue_certificates",
        "withhold_certificates",
        "export_csv",
        "export_xlsx",
        "export_entry_list",
        "export_badges_a4",
        "export_badges_a6",
        "erase_personal_data",
    ]
    fieldsets = [
        (
            gettext_lazy("Person"),
            {
                "fields": [
                    "salutation",
                    "academic_title",
                    "first_name",
                    "last_name",
                    "email",
                    "organisation",
                    "position",
                    "category",
                    "model_municipality",
                ]
            },
        ),
        (
            gettext_lazy("Teilnahme"),
            {"fields": ["accessibility_needs", "participant_list_consent", "language"]},
        ),
        (
            gettext_lazy("Kontingent und Presse"),
            {
                "fields": [
                    "contingent",
                    "invitation_code",
                    "media_outlet",
                    "press_document_link",
                    "accreditation",
                ]
            },
        ),
        (
            gettext_lazy("Status (ändert sich nur über die Aktionen der Liste)"),
            {"fields": STATE_FIELDS},
        ),
        (
            gettext_lazy("Einwilligung"),
            {"fields": CONSENT_FIELDS},
        ),
        (
            gettext_lazy("Änderungsverlauf"),
            {"fields": AUDIT_FIELDS},
        ),
    ]
    readonly_fields = [
        "language",
        "contingent",
        "invitation_code",
        "media_outlet",
        "press_document_link",
        "accreditation",
        *STATE_FIELDS,
        *CONSENT_FIELDS,
        *AUDIT_FIELDS,
    ]
    list_select_related = ["contingent"]

    # --- columns ---------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("Name"), ordering="last_name")
    def name(self, registration: Registration) -> str:
        return registration.full_name

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_with_position(self, registration: Registration) -> str:
        label = registration.get_status_display()
        position = registration.waiting_position()
        if position:
            return _("%(status)s (Platz %(position)s)") % {"status": label, "position": position}
        return label

    def get_queryset(self, request):
        # The place on the waiting list in the same query as the list (no query per row).
        return super().get_queryset(request).with_waiting_place()

    @admin.display(description=gettext_lazy("Presseausweis oder Auftragsbestätigung"))
    def press_document_link(self, registration: Registration) -> str:
        if not registration.press_document:
            return "–"
        url = reverse("admin:registration_registration_press_document", args=[registration.pk])
        return format_html('<a href="{}">{}</a>', url, _("Datei herunterladen"))

    @admin.display(description=gettext_lazy("Einlasscode"))
    def entry_code_grouped(self, registration: Registration) -> str:
        return registration.entry_code_display

    @admin.display(description=gettext_lazy("Einträge"))
    def audit_trail(self, registration: Registration) -> str:
        return trail_html(registration)

    @admin.display(description=gettext_lazy("Auskunft (Art. 15 DSGVO)"))
    def personal_data_links(self, registration: Registration) -> str:
        url = reverse("admin:registration_registration_personal_data", args=[registration.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?format=json">{}</a>',
            url,
            _("Alle gespeicherten Daten als Seite"),
            url,
            _("als JSON herunterladen"),
        )

    @admin.display(description=gettext_lazy("Filtern"))
    def audit_trail_link(self, registration: Registration) -> str:
        url = reverse("admin:audit_auditentry_changelist")
        content_type = ContentType.objects.get_for_model(Registration)
        return format_html(
            '<a href="{}?content_type__id__exact={}&amp;object_id={}">{}</a>',
            url,
            content_type.pk,
            registration.pk,
            _("Alle Einträge dieser Anmeldung filtern und durchsuchen"),
        )

    @admin.display(description=gettext_lazy("Platz auf der Warteliste"))
    def waiting_position(self, registration: Registration) -> str:
        return str(registration.waiting_position() or "–")

    # --- who may do what -------------------------------------------------------------------
    def has_add_permission(self, request):
        # People register themselves, with their consent to the privacy notice.
        return False

    def has_change_permission(self, request, obj=None):
        # Cancelled and expired registrations stay as they were (read-only record).
        if obj is not None and not obj.is_active:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting an active registration would free a seat behind the waiting list's back:
        # cancel first. Bulk deletion is switched off for the same reason (get_actions).
        if obj is not None and obj.is_active:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- search: the entry code in any form it is read out or typed ------------------------
    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        code = normalise_entry_code(search_term)
        if 4 <= len(code) <= ENTRY_CODE_LENGTH:
            results = queryset.filter(Q(pk__in=results.values("pk")) | Q(entry_code__contains=code))
        return results, may_have_duplicates

    # --- the seat summary and the downloads above the list -------------------------------
    def changelist_view(self, request, extra_context=None):
        event = Event.objects.current()
        extra_context = {
            **(extra_context or {}),
            "seat_status": services.seat_status(event) if event else None,
            "event": event,
            "can_export": self.has_view_permission(request),
            "downloads": [
                (reverse("admin:registration_registration_export_kind", args=[kind]), spec.label)
                for kind, spec in documents_export.EXPORTS.items()
            ],
        }
        return super().changelist_view(request, extra_context)

    # --- editing details goes through the service (the person is told) ---------------------
    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.change_details_by_organiser(
                registration=obj, data=data, actor=Actor.organiser(request.user)
            )
        except services.RegistrationError as error:
            # Only a race (the address taken a moment ago) gets here; the form checks first.
            self.message_user(request, error.message, messages.ERROR)

    # --- actions ---------------------------------------------------------------------------
    def _require(self, request, permission: str) -> None:
        # Django offers an action only to those with its permission; checked again here so
        # that no crafted POST reaches a service without it.
        if not getattr(self, f"has_{permission}_permission")(request):
            raise PermissionDenied

    def _report(
        self,
        request,
        done: list[Registration],
        done_text: str,
        refused: dict[str, list[str]],
        log_message: str = "",
    ):
        """One message per outcome, naming the people: organisers see who got what. What
        was done is also written to each person's history (admin log)."""
        if done:
            names = ", ".join(r.full_name for r in done)
            self.message_user(request, done_text % {"names": names}, messages.SUCCESS)
            if log_message:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=done,
                    action_flag=CHANGE,
                    change_message=log_message,
                )
        for reason, names in refused.items():
            self.message_user(
                request,
                _("Nicht möglich für %(names)s: %(reason)s")
                % {"names": ", ".join(names), "reason": reason},
                messages.WARNING,
            )

    def _confirmation_page(self, request, queryset, *, action, title, template, **context):
        return TemplateResponse(
            request,
            f"admin/registration/registration/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "queryset": queryset,
                "action": action,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    @admin.action(
        description=gettext_lazy("Ausgewählte Anmeldungen stornieren"), permissions=["change"]
    )
    def cancel_registrations(self, request, queryset):
        self._require(request, "change")
        queryset = queryset.order_by("last_name", "first_name", "pk")
        if request.POST.get("post") != "yes":
            return self._confirmation_page(
                request,
                queryset,
                action="cancel_registrations",
                title=_("Anmeldungen stornieren"),
                template="cancel_confirmation.html",
                active=[r for r in queryset if r.is_active],
                inactive=[r for r in queryset if not r.is_active],
            )
        done, refused = [], {}
        for registration in queryset:
            if not registration.is_active:
                refused.setdefault(_("nicht mehr aktiv"), []).append(registration.full_name)
                continue
            services.cancel(
                registration=registration,
                by=Registration.CancelledBy.ORGANISER,
                actor=Actor.organiser(request.user),
            )
            done.append(registration)
        self._report(
            request,
            done,
            _(
                "Storniert und per E-Mail benachrichtigt: %(names)s. Frei gewordene Plätze "
                "sind an die Warteliste gegangen."
            ),
            refused,
            log_message=_("Storniert vom Organisationsteam"),
        )
        return None

    @admin.action(
        description=gettext_lazy("Von der Warteliste bestätigen (außer der Reihe)"),
        permissions=["change"],
    )
    def confirm_from_waiting_list(self, request, queryset):
        self._require(request, "change")
        queryset = queryset.order_by("waitlisted_at", "pk")
        if request.POST.get("post") != "yes":
            event = Event.objects.current()
            return self._confirmation_page(
                request,
                queryset,
                action="confirm_from_waiting_list",
                title=_("Von der Warteliste bestätigen"),
                template="confirm_waiting_confirmation.html",
                waiting=[r for r in queryset if r.status == Status.WAITING],
                not_waiting=[r for r in queryset if r.status != Status.WAITING],
                seat_status=services.seat_status(event) if event else None,
            )
        add_seat = request.POST.get("add_seat") == "on"
        done, refused, capacity = [], {}, None
        for registration in queryset:
            try:
                confirmed, new_capacity = services.confirm_from_waiting_list_by_hand(
                    registration=registration,
                    add_seat=add_seat,
                    actor=Actor.organiser(request.user),
                )
            except services.RegistrationError as error:
                refused.setdefault(str(error.message), []).append(registration.full_name)
                continue
            capacity = new_capacity or capacity
            done.append(confirmed)
        self._report(
            request,
            done,
            _("Bestätigt und per E-Mail benachrichtigt: %(names)s."),
            refused,
            log_message=_("Von der Warteliste bestätigt (außer der Reihe)"),
        )
        if capacity is not None:
            self.message_user(
                request,
                _("Die Zahl der Plätze ist jetzt %(capacity)s.") % {"capacity": capacity},
                messages.INFO,
            )
        return None

    @admin.action(
        description=gettext_lazy("Bestätigungs-E-Mail erneut senden"), permissions=["change"]
    )
    def resend_confirmation(self, request, queryset):
        self._require(request, "change")
        sent: dict[services.ResentEmail, list[Registration]] = {}
        refused: dict[str, list[str]] = {}
        for registration in queryset.order_by("last_name", "first_name", "pk"):
            try:
                template = services.resend_confirmation(
                    registration=registration, actor=Actor.organiser(request.user)
                )
            except services.RegistrationError as error:
                refused.setdefault(str(error.message), []).append(registration.full_name)
                continue
            sent.setdefault(template, []).append(registration)
        for email, registrations in sent.items():
            self._report(
                request,
                registrations,
                _("%(email)s erneut gesendet an: %%(names)s.") % {"email": email.label},
                {},
                log_message=_("E-Mail erneut gesendet: %(email)s") % {"email": email.label},
            )
        self._report(request, [], "", refused)

    @admin.action(
        description=gettext_lazy("Link zur Selbstverwaltung erneut senden"),
        permissions=["change"],
    )
    def resend_link(self, request, queryset):
        self._require(request, "change")
        done, refused = [], {}
        for registration in queryset.order_by("last_name", "first_name", "pk"):
            try:
                services.resend_link_by_organiser(
                    registration=registration, actor=Actor.organiser(request.user)
                )
            except services.RegistrationError as error:
                refused.setdefault(str(error.message), []).append(registration.full_name)
                continue
            done.append(registration)
        self._report(
            request,
            done,
            _("Persönlicher Link erneut gesendet an: %(names)s."),
            refused,
            log_message=_("Persönlichen Link erneut gesendet"),
        )

    @admin.action(
        description=gettext_lazy("Link zur Selbstverwaltung sperren und neuen senden"),
        permissions=["change"],
    )
    def replace_link(self, request, queryset):
        self._require(request, "change")
        # For a link that reached the wrong hands: the old one stops working at once.
        done, refused = [], {}
        for registration in queryset.order_by("last_name", "first_name", "pk"):
            if not registration.is_active:
                refused.setdefault(_("nicht mehr aktiv"), []).append(registration.full_name)
                continue
            services.revoke_manage_link(
                registration=registration, actor=Actor.organiser(request.user)
            )
            done.append(registration)
        self._report(
            request,
            done,
            _("Alter Link gesperrt, neuer Link gesendet an: %(names)s."),
            refused,
            log_message=_("Persönlichen Link gesperrt und neuen gesendet"),
        )

    @admin.action(
        description=gettext_lazy("Daten löschen auf Antrag (anonymisieren, Art. 17 DSGVO)"),
        permissions=["delete"],
    )
    def erase_personal_data(self, request, queryset):
        self._require(request, "delete")
        queryset = queryset.order_by("last_name", "first_name", "pk")
        if request.POST.get("post") != "yes":
            return self._confirmation_page(
                request,
                queryset,
                action="erase_personal_data",
                title=_("Daten auf Antrag löschen"),
                template="erase_confirmation.html",
                to_erase=[r for r in queryset if r.anonymised_at is None],
                done=[r for r in queryset if r.anonymised_at is not None],
            )
        erased = []
        for registration in queryset:
            if registration.anonymised_at is None:
                erased.append(
                    retention.erase(registration=registration, actor=Actor.organiser(request.user))
                )
        if erased:
            self.message_user(
                request,
                ngettext(
                    "Die Daten von %(count)d Person sind gelöscht; ein frei gewordener Platz ist "
                    "an die Warteliste gegangen.",
                    "Die Daten von %(count)d Personen sind gelöscht; frei gewordene Plätze sind "
                    "an die Warteliste gegangen.",
                    len(erased),
                )
                % {"count": len(erased)},
                messages.SUCCESS,
            )
        return None

    @admin.action(
        description=gettext_lazy("Teilnahmebescheinigungen ausstellen (nur Eingelassene)"),
        permissions=["change"],
    )
    def issue_certificates(self, request, queryset):
        issued, skipped = certificates.issue(
            registrations=queryset, actor=Actor.organiser(request.user)
        )
        self.message_user(
            request,
            _(
                "%(issued)d Teilnahmebescheinigungen ausgestellt; %(skipped)d übersprungen "
                "(nicht eingelassen oder die Veranstaltung ist noch nicht vorbei)."
            )
            % {"issued": issued, "skipped": skipped},
            messages.SUCCESS if issued else messages.WARNING,
        )

    @admin.action(
        description=gettext_lazy("Teilnahmebescheinigungen zurückhalten"),
        permissions=["change"],
    )
    def withhold_certificates(self, request, queryset):
        withheld = certificates.withhold(
            registrations=queryset, actor=Actor.organiser(request.user)
        )
        self.message_user(
            request,
            _("%(count)d Teilnahmebescheinigungen zurückgehalten.") % {"count": withheld},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Auswahl als CSV exportieren (Excel)"), permissions=["view"]
    )
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=gettext_lazy("Auswahl als Excel-Datei (.xlsx)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    @admin.action(
        description=gettext_lazy("Einlassliste als PDF (bestätigte aus der Auswahl)"),
        permissions=["view"],
    )
    def export_entry_list(self, request, queryset):
        return self._export(request, queryset, "entry-list")

    @admin.action(
        description=gettext_lazy("Namensschilder als PDF, 8 pro A4-Bogen (bestätigte)"),
        permissions=["view"],
    )
    def export_badges_a4(self, request, queryset):
        return self._export(request, queryset, "badges-a4")

    @admin.action(
        description=gettext_lazy("Namensschilder als PDF, einzeln A6 (bestätigte)"),
        permissions=["view"],
    )
    def export_badges_a6(self, request, queryset):
        return self._export(request, queryset, "badges-a6")

    # --- export of the whole filtered list -------------------------------------------------
    def get_urls(self):
        export_view = self.admin_site.admin_view(self.export_filtered_view)
        personal_data_view = self.admin_site.admin_view(self.personal_data_view)
        dashboard_view = self.admin_site.admin_view(self.dashboard_view)
        document_view = self.admin_site.admin_view(self.press_document_view)
        return [
            path("dashboard/", dashboard_view, name="registration_dashboard"),
            path("export/", export_view, name="registration_registration_export"),
            path("export/<str:kind>/", export_view, name="registration_registration_export_kind"),
            path(
                "<int:pk>/auskunft/",
                personal_data_view,
                name="registration_registration_personal_data",
            ),
            path(
                "<int:pk>/press-document/",
                document_view,
                name="registration_registration_press_document",
            ),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        """Seats, waiting list, who registered, emails and check-ins at a glance."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = Event.objects.current()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Überblick"),
            "event": event,
            **(dashboard.figures(event) if event else {}),
        }
        return TemplateResponse(request, "admin/registration/dashboard.html", context)

    def personal_data_view(self, request, pk: int):
        """Everything stored about one person, to answer an access request (Art. 15)."""
        registration = self.get_object(request, str(pk))
        if registration is None or not self.has_view_permission(request, registration):
            raise PermissionDenied
        audit.record(
            registration,
            actor=Actor.organiser(request.user),
            action="exported",
            note=_("Auskunft nach Art. 15 DSGVO"),
        )
        if request.GET.get("format") == "json":
            return access.json_response(registration)
        return access.html_response(request, registration, json_url="?format=json")

    def press_document_view(self, request, pk: int):
        """The uploaded press card, for organisers only, always as a download (never shown
        inline, so a crafted file cannot run in the admin's origin)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        registration = get_object_or_404(Registration, pk=pk)
        if not registration.press_document:
            raise Http404
        name = f"presse-{registration.pk}{Path(registration.press_document.name).suffix}"
        response = FileResponse(
            registration.press_document.open("rb"), as_attachment=True, filename=name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # --- press accreditation ---------------------------------------------------------------
    def _decide_accreditation(self, request, queryset, service, done_text, log_message):
        self._require(request, "change")
        done, refused = [], {}
        for registration in queryset.order_by("last_name", "first_name", "pk"):
            try:
                service(registration=registration, actor=Actor.organiser(request.user))
            except services.RegistrationError as error:
                refused.setdefault(str(error.message), []).append(registration.full_name)
            else:
                done.append(registration)
        self._report(request, done, done_text, refused, log_message=log_message)

    @admin.action(
        description=gettext_lazy("Presse: Akkreditierung bestätigen"), permissions=["change"]
    )
    def approve_accreditation(self, request, queryset):
        self._decide_accreditation(
            request,
            queryset,
            services.approve_accreditation,
            _("Akkreditierung bestätigt, Einlasscode per E-Mail verschickt: %(names)s."),
            _("Akkreditierung bestätigt"),
        )

    @admin.action(
        description=gettext_lazy("Presse: Akkreditierung ablehnen"), permissions=["change"]
    )
    def decline_accreditation(self, request, queryset):
        self._decide_accreditation(
            request,
            queryset,
            services.decline_accreditation,
            _(
                "Akkreditierung abgelehnt und per E-Mail mitgeteilt: %(names)s. Die Plätze "
                "sind an die Warteliste der Presse gegangen."
            ),
            _("Akkreditierung abgelehnt"),
        )

    def export_filtered_view(self, request, kind: str = "csv"):
        """The list as currently filtered and searched (all pages), in one of the formats."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if kind not in documents_export.EXPORTS:
            raise Http404
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(
                reverse("admin:registration_registration_changelist") + "?e=1"
            )
        return self._export(request, changelist.get_queryset(request), kind)

    def _export(self, request, queryset, kind: str):
        self._require(request, "view")
        # Drop the list's annotations: the export computes waiting places in one query.
        queryset = Registration.objects.filter(pk__in=queryset.values("pk")).order_by(
            "last_name", "first_name", "pk"
        )
        spec = documents_export.EXPORTS[kind]
        # Personal data leaves the system: record who took whose data, and when.
        count = documents_export.log_export(request.user, queryset, spec.log_message())
        logger.info(
            "Guest list exported as %s by user %s: %d registrations", kind, request.user.pk, count
        )
        return documents_export.file_response(queryset, kind)


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes without a <label> of their own: each box gets an
    accessible name (“Anmeldung öffnet: Datum”), WCAG 4.1.2."""

    def __init__(self, label, attrs=None):
        self.label = label
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = (_("Datum"), _("Uhrzeit"))
        for subwidget, part in zip(context["widget"]["subwidgets"], parts, strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label}: {part}"
        return context


class RegistrationSettingsForm(forms.ModelForm):
    capacity = forms.IntegerField(
        label=gettext_lazy("Plätze"),
        min_value=0,
        help_text=gettext_lazy(
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
    list_display = ["event", "opens_at", "closes_at", "closed_manually"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Through the service, so the waiting list moves up in the same locked step.
        promoted = services.set_capacity(event=obj.event, capacity=form.cleaned_data["capacity"])
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Person ist von der Warteliste nachgerückt: %(names)s.",
                    "%(count)d Personen sind von der Warteliste nachgerückt: %(names)s.",
                    len(promoted),
                )
                % {"count": len(promoted), "names": ", ".join(r.full_name for r in promoted)},
            )


# Contingents and invitation codes have their own module; importing it registers them.
from registration import admin_contingents  # noqa: E402, F401
