"""The speaker side in the admin: invitations and their state on the speaker list, slides,
notes for speakers, and the slot-change emails when a session is edited."""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from programme.admin import SessionAdmin, SpeakerAdmin
from programme.models import Session, Speaker
from speakers import services
from speakers.models import Slides, SpeakerAccess, SpeakerNote


class SpeakerAccessInline(admin.StackedInline):
    model = SpeakerAccess
    can_delete = False
    fields = [
        ("email", "language"),
        "invitation_state",
        "participation_display",
    ]
    readonly_fields = ["invitation_state", "participation_display"]
    verbose_name = _("Zugang zum Portal für Referierende")
    verbose_name_plural = verbose_name

    @admin.display(description=_("Einladung"))
    def invitation_state(self, access: SpeakerAccess) -> str:
        if access.invited_at is None:
            return _("noch nicht eingeladen")
        if access.invitation_used_at:
            return _("angenommen am %(date)s") % {"date": _date(access.invitation_used_at)}
        if access.invitation_is_open:
            return _("eingeladen am %(date)s, Link gültig bis %(until)s") % {
                "date": _date(access.invited_at),
                "until": _date(access.invitation_expires_at),
            }
        return _("eingeladen am %(date)s") % {"date": _date(access.invited_at)}

    @admin.display(description=_("Teilnahme"))
    def participation_display(self, access: SpeakerAccess) -> str:
        text = access.get_participation_display()
        if access.participation_changed_at:
            text = f"{text} ({_date(access.participation_changed_at)})"
        if access.withdrawal_reason:
            text = f"{text}: {access.withdrawal_reason}"
        return text


def _date(value) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


class SlidesInline(admin.TabularInline):
    model = Slides
    extra = 0
    fields = ["session", "pages", "uploaded_at", "download", "released"]
    readonly_fields = ["session", "pages", "uploaded_at", "download", "released"]
    can_delete = True
    verbose_name_plural = _("Folien (freigeben in der Liste „Folien“)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Datei"))
    def download(self, slides: Slides) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("speakers:admin_slides", args=[slides.pk]),
            _("PDF herunterladen"),
        )

    @admin.display(boolean=True, description=_("freigegeben"))
    def released(self, slides: Slides) -> bool:
        return slides.is_released


admin.site.unregister(Speaker)


@admin.register(Speaker)
class SpeakerWithAccessAdmin(SpeakerAdmin):
    list_display = [
        *SpeakerAdmin.list_display,
        "invited",
        "last_login",
        "participation",
    ]
    inlines = [SpeakerAccessInline, *SpeakerAdmin.inlines, SlidesInline]
    actions = ["invite"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("access", "user")

    @admin.display(description=_("eingeladen"), ordering="access__invited_at")
    def invited(self, speaker: Speaker) -> str:
        access = getattr(speaker, "access", None)
        return _date(access.invited_at) if access and access.invited_at else "–"

    @admin.display(description=_("zuletzt eingeloggt"), ordering="user__last_login")
    def last_login(self, speaker: Speaker) -> str:
        return _date(speaker.user.last_login) if speaker.user and speaker.user.last_login else "–"

    @admin.display(
        description=_("Teilnahme bestätigt"), ordering="access__participation_changed_at"
    )
    def participation(self, speaker: Speaker) -> str:
        access = getattr(speaker, "access", None)
        if access is None or access.participation == SpeakerAccess.Participation.OPEN:
            return "–"
        return f"{access.get_participation_display()} {_date(access.participation_changed_at)}"

    @admin.action(description=_("Zum Portal für Referierende einladen"))
    def invite(self, request, queryset):
        invited, login_links, problems = [], [], []
        for speaker in queryset.select_related("user"):
            try:
                outcome = services.invite(speaker=speaker)
            except services.SpeakerError as error:
                problems.append(str(error.message))
                continue
            (invited if outcome == "invited" else login_links).append(speaker.full_name)
        if invited:
            self.message_user(
                request,
                ngettext(
                    "Einladung mit persönlichem Link verschickt an: %(names)s.",
                    "Einladungen mit persönlichem Link verschickt an: %(names)s.",
                    len(invited),
                )
                % {"names": ", ".join(invited)},
                messages.SUCCESS,
            )
        if login_links:
            self.message_user(
                request,
                _("Bereits mit Konto, Login-Link verschickt an: %(names)s.")
                % {"names": ", ".join(login_links)},
                messages.SUCCESS,
            )
        for problem in problems:
            self.message_user(request, problem, messages.ERROR)


class SpeakerNoteInline(TranslationStackedInline):
    model = SpeakerNote
    extra = 0
    fields = ["title", "body", "order"]
    verbose_name_plural = _("Hinweise für die Mitwirkenden dieses Programmpunkts")


admin.site.unregister(Session)


@admin.register(Session)
class SessionWithNotesAdmin(SessionAdmin):
    """Editing a session tells its speakers what changed, once per save."""

    inlines = [*SessionAdmin.inlines, SpeakerNoteInline]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The state before this save, taken before the form touches anything.
        request._slot_before = None
        if object_id and request.method == "POST":
            session = Session.objects.filter(pk=object_id).first()
            if session is not None:
                request._slot_before = services.SlotState.of(session)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_slot_before", None)
        if change and before is not None:
            count = services.notify_slot_change(session=form.instance, before=before)
            if count:
                self.message_user(
                    request,
                    ngettext(
                        "Die Änderung geht per E-Mail an %(count)d Mitwirkende/n.",
                        "Die Änderung geht per E-Mail an %(count)d Mitwirkende.",
                        count,
                    )
                    % {"count": count},
                )


@admin.register(SpeakerNote)
class SpeakerNoteAdmin(TranslationAdmin):
    list_display = ["title", "session", "order", "updated_at"]
    list_filter = [("session", admin.EmptyFieldListFilter)]
    fields = ["title", "body", "session", "order"]
    autocomplete_fields = ["session"]


@admin.register(Slides)
class SlidesAdmin(admin.ModelAdmin):
    list_display = ["session", "speaker", "pages", "uploaded_at", "released_at", "download"]
    list_filter = [("released_at", admin.EmptyFieldListFilter)]
    actions = ["release", "withdraw_release"]
    fields = ["session", "speaker", "pages", "size", "uploaded_at", "released_at", "download"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session", "speaker")

    @admin.display(description=_("Datei"))
    def download(self, slides: Slides) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("speakers:admin_slides", args=[slides.pk]),
            _("PDF herunterladen"),
        )

    @admin.action(description=_("Freigeben: auf der öffentlichen Seite anbieten"))
    def release(self, request, queryset):
        with transaction.atomic():
            for slides in queryset:
                services.release_slides(slides=slides, released=True)
        self.message_user(request, _("Freigegeben."), messages.SUCCESS)

    @admin.action(description=_("Freigabe zurücknehmen"))
    def withdraw_release(self, request, queryset):
        with transaction.atomic():
            for slides in queryset:
                services.release_slides(slides=slides, released=False)
        self.message_user(request, _("Freigabe zurückgenommen."), messages.SUCCESS)
