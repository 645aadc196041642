"""Mailings in the admin: write (German and English), choose the recipients, preview for a
real recipient in each language, send a test to yourself, send once, and later send the
same message to those who joined the recipients since."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mailings import services
from mailings.models import Mailing, MailingRecipient
from programme.models import Event
from registration.admin import RegistrationAdmin
from registration.models import Registration

PLACEHOLDER_TEXT = gettext_lazy(
    "Platzhalter: {anrede}, {name}, {einlasscode}, {link}, {veranstaltung}, {datum}, {ort}"
)


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ["audience", "subject_de", "body_de", "subject_en", "body_en"]
        help_texts = {"body_de": PLACEHOLDER_TEXT, "body_en": PLACEHOLDER_TEXT}

    def clean(self):
        cleaned = super().clean()
        for field in ("subject_de", "body_de", "subject_en", "body_en"):
            text = cleaned.get(field) or ""
            unknown = sorted(
                set(services.PLACEHOLDER_PATTERN.findall(text)) - services.PLACEHOLDER_HELP.keys()
            )
            if unknown:
                self.add_error(
                    field,
                    forms.ValidationError(
                        _("Unbekannter Platzhalter: %(names)s")
                        % {"names": ", ".join("{" + name + "}" for name in unknown)},
                        code="unknown_placeholder",
                    ),
                )
        return cleaned


class RecipientInline(admin.TabularInline):
    model = MailingRecipient
    extra = 0
    can_delete = False
    fields = ["registration", "language", "delivery", "queued_at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Empfangende und Zustellung")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("registration", "email")

    @admin.display(description=gettext_lazy("Zustellung"))
    def delivery(self, recipient):
        if recipient.email is None:
            return _("E-Mail nicht mehr gespeichert")
        if recipient.email.status == recipient.email.Status.FAILED:
            return format_html(
                "<strong>{}</strong>: {}",
                recipient.email.get_status_display(),
                recipient.email.last_error[:200],
            )
        return recipient.email.get_status_display()


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    form = MailingForm
    list_display = ["subject_de", "audience", "status", "sent_at", "failures", "newcomer_count"]
    list_filter = ["status", "audience"]
    inlines = [RecipientInline]
    readonly_fields = [
        "status",
        "sent_at",
        "sent_by",
        "recipient_count",
        "delivery_state",
        "preview_de",
        "preview_en",
        "next_steps",
    ]

    def get_fieldsets(self, request, obj=None):
        text = (
            gettext_lazy("Nachricht"),
            {"fields": ["audience", "subject_de", "body_de", "subject_en", "body_en"]},
        )
        if obj is None:
            return [text]
        return [
            (
                gettext_lazy("Versand"),
                {
                    "fields": [
                        "next_steps",
                        "status",
                        "sent_at",
                        "sent_by",
                        "recipient_count",
                        "delivery_state",
                    ]
                },
            ),
            text,
            (
                gettext_lazy("Vorschau für echte Empfänger"),
                {"fields": ["preview_de", "preview_en"]},
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status == Mailing.Status.SENT:
            fields += ["audience", "subject_de", "body_de", "subject_en", "body_en"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.event = obj.event if obj.event_id else Event.objects.current()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Mailing.Status.DRAFT

    # --- read-only parts -------------------------------------------------------------
    @admin.display(description=gettext_lazy("Fehlgeschlagen"))
    def failures(self, mailing):
        return services.delivery_counts(mailing)["failed"] if mailing.status == "sent" else "–"

    @admin.display(description=gettext_lazy("Hinzugekommen"))
    def newcomer_count(self, mailing):
        # One count per sent mailing: an event has a handful of them.
        sent = mailing.status == Mailing.Status.SENT
        return services.newcomers(mailing).count() if sent else "–"

    @admin.display(description=gettext_lazy("Empfangende"))
    def recipient_count(self, mailing):
        if mailing.status == Mailing.Status.SENT:
            return mailing.recipients.count()
        count = services.recipients(mailing).count()
        return ngettext(
            "%(count)d Person, wenn Sie jetzt senden",
            "%(count)d Personen, wenn Sie jetzt senden",
            count,
        ) % {"count": count}

    @admin.display(description=gettext_lazy("Zustellung"))
    def delivery_state(self, mailing):
        if mailing.status != Mailing.Status.SENT:
            return "–"
        counts = services.delivery_counts(mailing)
        text = (
            _("%(sent)d gesendet, %(queued)d warten auf Versand, %(failed)d fehlgeschlagen")
            % counts
        )
        if counts["failed"]:
            return format_html('<strong class="mailing-failures">{}</strong>', text)
        return text

    def _preview(self, mailing, language):
        shown = services.preview(mailing, language)
        if shown is None:
            return _("Kein Empfänger in dieser Sprache.")
        return format_html(
            '<div class="mailing-preview" lang="{}"><p>{}: {}</p><p><strong>{}</strong></p>'
            "<pre>{}</pre></div>",
            language,
            _("Für"),
            shown["registration"].full_name,
            shown["subject"],
            shown["body"],
        )

    @admin.display(description=gettext_lazy("Deutsch"))
    def preview_de(self, mailing):
        return self._preview(mailing, "de")

    @admin.display(description=gettext_lazy("Englisch"))
    def preview_en(self, mailing):
        return self._preview(mailing, "en")

    @admin.display(description=gettext_lazy("Nächste Schritte"))
    def next_steps(self, mailing):
        if mailing.status == Mailing.Status.SENT:
            sent = _("Gesendet. Die Zustellung sehen Sie unten bei den Empfangenden.")
            count = services.newcomers(mailing).count()
            if not count:
                return sent
            return format_html(
                '<p>{} {}</p><p><a class="button" href="{}">{}</a></p>',
                sent,
                ngettext(
                    "Seit dem Versand ist %(count)d Person hinzugekommen.",
                    "Seit dem Versand sind %(count)d Personen hinzugekommen.",
                    count,
                )
                % {"count": count},
                reverse("admin:mailings_mailing_newcomers", args=[mailing.pk]),
                _("An die neu Hinzugekommenen senden …"),
            )
        links = [
            (reverse("admin:mailings_mailing_test", args=[mailing.pk]), _("Test an mich senden")),
            (reverse("admin:mailings_mailing_send", args=[mailing.pk]), _("Jetzt senden …")),
        ]
        return format_html_join(" · ", '<a class="button" href="{}">{}</a>', links)

    # --- test and send ---------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "<int:pk>/test/",
                self.admin_site.admin_view(self.test_view),
                name="mailings_mailing_test",
            ),
            path(
                "<int:pk>/senden/",
                self.admin_site.admin_view(self.send_view),
                name="mailings_mailing_send",
            ),
            path(
                "<int:pk>/nachsenden/",
                self.admin_site.admin_view(self.newcomers_view),
                name="mailings_mailing_newcomers",
            ),
            *super().get_urls(),
        ]

    def _confirm(self, request, mailing, *, title, question, button):
        return TemplateResponse(
            request,
            "admin/mailings/mailing/confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "mailing": mailing,
                "question": question,
                "button": button,
            },
        )

    def _mailing(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(Mailing, pk=pk)

    def _back(self, mailing):
        return HttpResponseRedirect(reverse("admin:mailings_mailing_change", args=[mailing.pk]))

    def test_view(self, request, pk: int):
        mailing = self._mailing(request, pk)
        if request.method != "POST":
            return self._confirm(
                request,
                mailing,
                title=_("Test an mich senden"),
                question=_(
                    "Die deutsche und die englische Fassung gehen an %(email)s, ausgefüllt für "
                    "die Vorschau-Empfänger (mit einem Beispiel-Link)."
                )
                % {"email": request.user.email or _("(keine Adresse hinterlegt)")},
                button=_("Test senden"),
            )
        try:
            services.send_test(mailing=mailing, user=request.user)
        except services.MailingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Zwei Testnachrichten (Deutsch und Englisch) gehen an %(email)s.")
                % {"email": request.user.email},
                messages.SUCCESS,
            )
        return self._back(mailing)

    def send_view(self, request, pk: int):
        mailing = self._mailing(request, pk)
        if request.method != "POST":
            count = services.recipients(mailing).count()
            return self._confirm(
                request,
                mailing,
                title=_("Rundschreiben senden"),
                question=ngettext(
                    "Das Rundschreiben geht jetzt an %(count)d Person. Das lässt sich nicht "
                    "rückgängig machen.",
                    "Das Rundschreiben geht jetzt an %(count)d Personen. Das lässt sich nicht "
                    "rückgängig machen.",
                    count,
                )
                % {"count": count},
                button=_("Ja, jetzt senden"),
            )
        return self._send_and_report(
            request,
            mailing,
            services.send,
            queued=lambda count: ngettext(
                "Das Rundschreiben ist für %(count)d Person eingereiht.",
                "Das Rundschreiben ist für %(count)d Personen eingereiht.",
                count,
            ),
        )

    def newcomers_view(self, request, pk: int):
        mailing = self._mailing(request, pk)
        if request.method != "POST":
            was_sent = mailing.status == Mailing.Status.SENT
            count = services.newcomers(mailing).count() if was_sent else 0
            if not count:
                # Nothing to ask about: say why on the mailing's page.
                self.message_user(
                    request,
                    services.NOBODY_NEW if was_sent else services.NOT_SENT_YET,
                    messages.WARNING,
                )
                return self._back(mailing)
            return self._confirm(
                request,
                mailing,
                title=_("An die neu Hinzugekommenen senden"),
                question=ngettext(
                    "Seit dem Versand gehört %(count)d Person zu den Empfängern, die das "
                    "Rundschreiben noch nicht bekommen hat. Sie bekommt es jetzt unverändert; "
                    "wer es schon hat, bekommt es nicht noch einmal.",
                    "Seit dem Versand gehören %(count)d Personen zu den Empfängern, die das "
                    "Rundschreiben noch nicht bekommen haben. Sie bekommen es jetzt unverändert; "
                    "wer es schon hat, bekommt es nicht noch einmal.",
                    count,
                )
                % {"count": count},
                button=_("Ja, jetzt senden"),
            )
        return self._send_and_report(
            request,
            mailing,
            services.send_to_newcomers,
            queued=lambda count: ngettext(
                "Das Rundschreiben ist für %(count)d weitere Person eingereiht.",
                "Das Rundschreiben ist für %(count)d weitere Personen eingereiht.",
                count,
            ),
        )

    def _send_and_report(self, request, mailing, send, *, queued):
        """Run one of the services' sends and say on the mailing's page what it did:
        `queued(count)` is the message for the messages queued, or the service's refusal."""
        try:
            count = send(mailing=mailing, user=request.user)
        except services.MailingError as error:
            self.message_user(request, error.message, messages.WARNING)
        else:
            self.message_user(request, queued(count) % {"count": count}, messages.SUCCESS)
        return self._back(mailing)


@admin.action(
    description=gettext_lazy("Rundschreiben an die Auswahl schreiben"), permissions=["view"]
)
def new_mailing_for_selection(modeladmin, request, queryset):
    """A draft mailing to the selected (filtered) registrations of the guest list."""
    if not request.user.has_perm("mailings.add_mailing"):
        raise PermissionDenied
    event = Event.objects.current()
    mailing = Mailing.objects.create(
        event=event,
        audience=Mailing.Audience.SELECTION,
        created_by=request.user,
        subject_de="",
        body_de="",
        subject_en="",
        body_en="",
    )
    mailing.selection.set(queryset.filter(status__in=Registration.ACTIVE_STATUSES))
    return HttpResponseRedirect(reverse("admin:mailings_mailing_change", args=[mailing.pk]))


# The guest list gets one more action; the registration app itself knows no mailings.
RegistrationAdmin.actions = [*RegistrationAdmin.actions, new_mailing_for_selection]
