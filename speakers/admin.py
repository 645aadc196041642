"""The speaker side in the admin: invitations and their state on the speaker list, slides,
notes for speakers, and the slot-change emails when a session is edited."""

from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from audit import Actor
from audit.admin import trail_html
from programme.admin import SessionAdmin, SpeakerAdmin
from programme.forms import SpeakerAdminForm
from programme.models import Session, Speaker
from speakers import services
from speakers.models import Slides, SpeakerAccess, SpeakerNote


def _date(value) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


class SpeakerAccessForm(SpeakerAdminForm):
    """The speaker form with the portal access fields (stored on SpeakerAccess)."""

    access_email = forms.EmailField(
        label=_("E-Mail-Adresse für die Einladung"),
        required=False,
        help_text=_("An diese Adresse geht die Einladung zum Portal für Referierende."),
    )
    access_language = forms.ChoiceField(
        label=_("Sprache der E-Mails"), choices=settings.LANGUAGES, initial="de", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        access = getattr(self.instance, "access", None) if self.instance.pk else None
        if access is not None:
            self.fields["access_email"].initial = access.email
            self.fields["access_language"].initial = access.language


admin.site.unregister(Speaker)


@admin.register(Speaker)
class SpeakerWithAccessAdmin(SpeakerAdmin):
    list_display = [
        *SpeakerAdmin.list_display,
        "invited",
        "last_login",
        "participation",
    ]
    form = SpeakerAccessForm
    actions = ["invite"]
    readonly_fields = [
        *SpeakerAdmin.readonly_fields,
        "invitation_state",
        "participation_state",
        "slides_list",
        "audit_trail",
    ]
    fieldsets = [
        *SpeakerAdmin.fieldsets,
        (
            _("Portal für Referierende"),
            {
                "fields": [
                    "access_email",
                    "access_language",
                    "invitation_state",
                    "participation_state",
                    "slides_list",
                ]
            },
        ),
        (_("Änderungsverlauf"), {"fields": ["audit_trail"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "access_email" in form.data or "access_language" in form.data:
            SpeakerAccess.objects.update_or_create(
                speaker=obj,
                defaults={
                    "email": form.cleaned_data.get("access_email") or "",
                    "language": form.cleaned_data.get("access_language") or "de",
                },
            )

    @admin.display(description=_("Einladung"))
    def invitation_state(self, speaker: Speaker) -> str:
        access = getattr(speaker, "access", None)
        if access is None or access.invited_at is None:
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
    def participation_state(self, speaker: Speaker) -> str:
        access = getattr(speaker, "access", None)
        if access is None:
            return SpeakerAccess.Participation.OPEN.label
        text = access.get_participation_display()
        if access.participation_changed_at:
            text = f"{text} ({_date(access.participation_changed_at)})"
        if access.withdrawal_reason:
            text = f"{text}: {access.withdrawal_reason}"
        return text

    @admin.display(description=_("Einträge"))
    def audit_trail(self, speaker: Speaker) -> str:
        return trail_html(speaker)

    @admin.display(description=_("Folien"))
    def slides_list(self, speaker: Speaker) -> str:
        items = Slides.objects.filter(speaker=speaker).select_related("session")
        if not items:
            return _("Noch keine Folien.")
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> ({})</p>',
            (
                (
                    reverse("speakers:admin_slides", args=[item.pk]),
                    item.session.title,
                    _("freigegeben") if item.is_released else _("nicht freigegeben"),
                )
                for item in items
            ),
        )

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
                outcome = services.invite(speaker=speaker, actor=Actor.organiser(request.user))
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


admin.site.unregister(Session)


@admin.register(Session)
class SessionWithSlotEmailsAdmin(SessionAdmin):
    """Editing a session tells its speakers what changed, once per save."""

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
    # A plain, labelled select: an empty select2 autocomplete box has a textbox with no
    # accessible name (an upstream fault, WCAG 4.1.2), and a note is added empty.
    list_select_related = ["session"]


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
                services.release_slides(
                    slides=slides, released=True, actor=Actor.organiser(request.user)
                )
        self.message_user(request, _("Freigegeben."), messages.SUCCESS)

    @admin.action(description=_("Freigabe zurücknehmen"))
    def withdraw_release(self, request, queryset):
        with transaction.atomic():
            for slides in queryset:
                services.release_slides(
                    slides=slides, released=False, actor=Actor.organiser(request.user)
                )
        self.message_user(request, _("Freigabe zurückgenommen."), messages.SUCCESS)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class StaffAuthenticatorAdmin(AuthenticatorAdmin):
    """Organisers may remove a lost phone's authenticator; they never create one for
    somebody else (and allauth's add form has unlabelled date inputs)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
