"""Organisers' documentation: upload PDFs or enter links, per session or for the event,
then publish (with or without an email to the guests) or withdraw them."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TranslationAdmin

from documentation import services
from documentation.models import Document, Publication


class PrivateFileInput(forms.FileInput):
    """The stored file has no public URL (private storage): the form offers a new upload;
    the current file is linked in the read-only field "Aktuelle Datei"."""

    def format_value(self, value):
        return None


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # a link typed without a scheme means https://
    return field.formfield(**kwargs)


class DocumentForm(forms.ModelForm):
    class Meta:
        formfield_callback = _formfield
        model = Document
        fields = ["event", "session", "kind", "title", "description", "file", "url", "order"]
        widgets = {"file": PrivateFileInput(attrs={"accept": "application/pdf"})}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                self.pages = services.check_pdf(upload)
            except services.DocumentationError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return upload

    def clean(self):
        data = super().clean()
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if has_file == has_url:
            raise forms.ValidationError(
                _("Bitte laden Sie entweder eine PDF-Datei hoch oder geben Sie einen Link an."),
                code="file_or_link",
            )
        return data


@admin.register(Document)
class DocumentAdmin(TranslationAdmin):
    form = DocumentForm
    # A link typed without a scheme is meant as https:// (the admin builds the form fields).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "session", "is_published_display", "published_at"]
    list_filter = ["kind", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "session__title"]
    readonly_fields = ["current_file", "published_at", "size", "pages"]
    actions = ["publish_and_notify", "publish_quietly", "withdraw"]
    fieldsets = [
        (None, {"fields": ["event", "session", "kind", "title", "description", "order"]}),
        (
            gettext_lazy("Datei oder Link"),
            {
                "fields": ["current_file", "file", "url", "size", "pages"],
                "description": gettext_lazy(
                    "Nur PDF-Dateien (geprüft beim Hochladen). Neu angelegtes Material ist "
                    "zunächst nicht öffentlich: Veröffentlichen Sie es in der Liste mit einer "
                    "der Aktionen."
                ),
            },
        ),
        (gettext_lazy("Veröffentlichung"), {"fields": ["published_at"]}),
    ]

    @admin.display(description=gettext_lazy("Aktuelle Datei"))
    def current_file(self, obj):
        if not obj or not obj.file:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("documentation:staff_file", args=[obj.pk]),
            obj.download_name,
        )

    @admin.display(description=gettext_lazy("öffentlich"), boolean=True)
    def is_published_display(self, obj):
        return obj.is_published

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data:
            if obj.file:
                obj.size = obj.file.size
                obj.pages = getattr(form, "pages", None)
            else:
                obj.size = obj.pages = None
        super().save_model(request, obj, form, change)

    @admin.action(
        description=gettext_lazy("Veröffentlichen und Gäste per E-Mail informieren"),
        permissions=["change"],
    )
    def publish_and_notify(self, request, queryset):
        drafts = queryset.filter(published_at__isnull=True)
        if request.POST.get("post") != "yes":
            events = {document.event for document in drafts.select_related("event")}
            return TemplateResponse(
                request,
                "admin/documentation/document/publish_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Veröffentlichen und Gäste informieren"),
                    "queryset": queryset,
                    "drafts": list(drafts),
                    "recipients": sum(services.guests_to_notify(event).count() for event in events),
                    "action": "publish_and_notify",
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._publish(request, queryset, notify=True)

    @admin.action(description=gettext_lazy("Veröffentlichen, ohne E-Mail"), permissions=["change"])
    def publish_quietly(self, request, queryset):
        self._publish(request, queryset, notify=False)

    def _publish(self, request, queryset, *, notify: bool):
        outcome = services.publish(documents=queryset, by=request.user, notify=notify)
        if not outcome.published:
            self.message_user(
                request,
                _("Alles Ausgewählte war schon veröffentlicht; niemand bekommt eine E-Mail."),
                messages.WARNING,
            )
            return
        message = ngettext(
            "%(count)d Dokument veröffentlicht.",
            "%(count)d Dokumente veröffentlicht.",
            len(outcome.published),
        ) % {"count": len(outcome.published)}
        if notify:
            message += " " + ngettext(
                "%(count)d Gast wird per E-Mail informiert.",
                "%(count)d Gäste werden per E-Mail informiert.",
                outcome.notified,
            ) % {"count": outcome.notified}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Veröffentlichung zurücknehmen"), permissions=["change"])
    def withdraw(self, request, queryset):
        count = services.unpublish(documents=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d Dokument ist nicht mehr öffentlich.",
                "%(count)d Dokumente sind nicht mehr öffentlich.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["published_at", "published_by", "notices_sent"]
    readonly_fields = ["event", "published_at", "published_by", "documents"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(notice_count=Count("notices"))

    @admin.display(description=gettext_lazy("E-Mails an Gäste"))
    def notices_sent(self, obj):
        return obj.notice_count
