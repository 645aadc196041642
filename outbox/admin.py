from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eventsite.redaction import mask_link_secrets
from outbox import gallery
from outbox.models import (
    DeliveryAttempt,
    OutgoingAttachment,
    OutgoingEmail,
    PeriodicJobRun,
)
from outbox.services import cancel_emails, resend_emails


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ["started_at", "finished_at", "outcome", "error", "worker"]
    readonly_fields = fields


class OutgoingAttachmentInline(ReadOnlyInline):
    model = OutgoingAttachment
    fields = ["filename", "mimetype", "size_in_bytes"]
    readonly_fields = fields

    @admin.display(description=_("Größe in Bytes"))
    def size_in_bytes(self, attachment):
        return attachment.size


def _admin_link(obj):
    if obj is None:
        return "–"
    try:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return str(obj)
    return format_html('<a href="{}">{}</a>', url, obj)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "subject",
        "status",
        "attempts",
        "short_last_error",
        "sent_at",
        "created_at",
        "belongs_to",
    ]
    list_filter = ["status", "language", "template", "created_at"]
    search_fields = ["recipient", "subject", "message_id"]
    date_hierarchy = "created_at"
    actions = ["resend", "cancel"]
    inlines = [OutgoingAttachmentInline, DeliveryAttemptInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "recipient",
                    "subject",
                    "status",
                    "attempts",
                    "last_error",
                    "sent_at",
                    "next_attempt_at",
                    "created_at",
                    "about_link",
                    "resent_from",
                ]
            },
        ),
        (_("Inhalt"), {"fields": ["text_without_secrets", "html_without_secrets"]}),
        (
            _("Technische Angaben"),
            {
                "classes": ["collapse"],
                "fields": [
                    "from_email",
                    "reply_to",
                    "language",
                    "template",
                    "message_id",
                    "headers",
                    "lease_expires_at",
                    "claimed_by",
                ],
            },
        ),
    ]
    # Organisers read messages; they never edit what was (or will be) sent.
    readonly_fields = [field for _name, options in fieldsets for field in options["fields"]]

    # Personal links open a registration: organisers see them masked, also before sending.
    @admin.display(description=_("Text (Links ohne Schlüssel)"))
    def text_without_secrets(self, email):
        return format_html('<pre class="outbox-body">{}</pre>', mask_link_secrets(email.body_text))

    @admin.display(description=_("HTML-Fassung (Links ohne Schlüssel)"))
    def html_without_secrets(self, email):
        return format_html('<pre class="outbox-body">{}</pre>', mask_link_secrets(email.body_html))

    def has_add_permission(self, request):
        # Messages come from the site's processes, never typed in here.
        return False

    # --- the email gallery: every email the site sends, with sample data -------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("gallery/", wrap(self.gallery_view), name="mail_gallery"),
            path("gallery/<slug:name>/", wrap(self.gallery_email_view), name="mail_gallery_email"),
            path(
                "gallery/<slug:name>/<str:language>.html",
                wrap(self.gallery_html_view),
                name="mail_gallery_html",
            ),
            *super().get_urls(),
        ]

    def _gallery_entry(self, request, name: str):
        if not self.has_view_permission(request):
            raise Http404
        entry = gallery.get(name)
        if entry is None:
            raise Http404
        return entry

    def gallery_view(self, request):
        if not self.has_view_permission(request):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("E-Mail-Galerie"),
            "entries": gallery.entries(),
        }
        return TemplateResponse(request, "admin/mail/gallery.html", context)

    def gallery_email_view(self, request, name):
        entry = self._gallery_entry(request, name)
        samples = [gallery.render_sample(entry, language) for language in gallery.LANGUAGES]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": entry.title,
            "entry": entry,
            "samples": samples,
        }
        return TemplateResponse(request, "admin/mail/gallery_email.html", context)

    def gallery_html_view(self, request, name, language):
        entry = self._gallery_entry(request, name)
        if language not in gallery.LANGUAGES:
            raise Http404
        response = HttpResponse(gallery.render_sample(entry, language).html)
        # The HTML part as an email client shows it: its inline styles, nothing else, and
        # only inside the gallery page's frame.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "frame-ancestors 'self'; sandbox"
        )
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "gallery_url": reverse("admin:mail_gallery")}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("letzter Fehler"))
    def short_last_error(self, email):
        return Truncator(email.last_error).chars(80) or "–"

    def get_queryset(self, request):
        # One query per kind of object the listed messages are about, not one per row.
        return super().get_queryset(request).prefetch_related("about")

    @admin.display(description=_("gehört zu"))
    def belongs_to(self, email):
        return _admin_link(email.about)

    @admin.display(description=_("betrifft"))
    def about_link(self, email):
        return _admin_link(email.about)

    @admin.action(description=_("Ausgewählte E-Mails erneut senden"), permissions=["change"])
    def resend(self, request, queryset):
        # An email whose purpose has passed (a "please confirm" mail after confirmation)
        # would mislead its reader: ask first. The record it is about decides; the outbox
        # knows no domain model.
        stale = [
            email
            for email in queryset
            if email.about is not None
            and not getattr(email.about, "email_still_matches", lambda _template: True)(
                email.template
            )
        ]
        if stale and request.POST.get("resend_stale") != "yes":
            return TemplateResponse(
                request,
                "admin/mail/outgoingemail/resend_stale.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Nicht mehr passende E-Mails erneut senden?"),
                    "stale": stale,
                    "queryset": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        with transaction.atomic():
            copies, skipped = resend_emails(queryset)
        if copies:
            self.message_user(
                request,
                ngettext(
                    "%(count)d E-Mail wird erneut gesendet.",
                    "%(count)d E-Mails werden erneut gesendet.",
                    len(copies),
                )
                % {"count": len(copies)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d E-Mail wird gerade gesendet und wurde nicht erneut eingereiht.",
                    "%(count)d E-Mails werden gerade gesendet und wurden nicht erneut eingereiht.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Versand der ausgewählten E-Mails abbrechen"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        cancelled = cancel_emails(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d E-Mail abgebrochen.",
                "%(count)d E-Mails abgebrochen.",
                cancelled,
            )
            % {"count": cancelled}
            + (
                " " + str(_("Gesendete und gerade gesendete E-Mails lassen sich nicht abbrechen."))
                if cancelled < queryset.count()
                else ""
            ),
            messages.SUCCESS if cancelled else messages.WARNING,
        )


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_error", "worker"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False
