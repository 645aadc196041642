"""The speaker portal and the invitation pages. Views stay thin: the rules are in
speakers/services.py."""

from __future__ import annotations

import datetime
import functools

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programme import exports
from programme.models import Event, Session
from programme.photos import UNUSED_VARIANTS_KEPT, delete_variants, store_variants
from speakers import services
from speakers.forms import NewLinkForm, ParticipationForm, ProfileForm, SetPasswordForm, SlidesForm
from speakers.models import Slides, SpeakerNote

PREVIEW_KEY = "speaker_profile_preview"
PREVIEW_VALID_FOR = UNUSED_VARIANTS_KEPT / 2


def speaker_required(view):
    """Logged in and linked to a speaker; the view gets `speaker`. Others see a page
    that explains, with 403: an organiser's account is no speaker's."""

    @functools.wraps(view)
    @login_required
    @never_cache
    def wrapper(request, *args, **kwargs):
        speaker = getattr(request.user, "speaker", None)
        if speaker is None:
            return render(request, "speakers/no_speaker.html", status=403)
        services.remember_language(speaker=speaker, language=translation.get_language())
        return view(request, *args, speaker=speaker, **kwargs)

    return wrapper


def _own_session(speaker, slug: str) -> Session:
    """One of the speaker's sessions, or 404 (also for a session of somebody else)."""
    return get_object_or_404(Session, slug=slug, session_speakers__speaker=speaker)


@require_safe
@speaker_required
def portal(request, speaker):
    access = services.access_for(speaker)
    sessions = list(
        Session.objects.filter(session_speakers__speaker=speaker)
        .for_timetable()
        .prefetch_related("speaker_notes")
    )
    my_roles = {link.session_id: link for link in speaker.session_roles.all()}
    slides = {item.session_id: item for item in Slides.objects.filter(speaker=speaker)}
    for session in sessions:
        session.my_role = my_roles[session.pk]
        session.others = [
            link for link in session.session_speakers.all() if link.speaker_id != speaker.pk
        ]
        session.my_slides = slides.get(session.pk)
    return render(
        request,
        "speakers/portal.html",
        {
            "speaker": speaker,
            "access": access,
            "sessions": sessions,
            "event_notes": SpeakerNote.objects.filter(session=None),
            "event": Event.objects.current(),
            "participation_form": ParticipationForm(),
        },
    )


@require_POST
@speaker_required
def participation(request, speaker):
    form = ParticipationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte prüfen Sie Ihre Angaben."))
        return redirect("speakers:portal")
    try:
        if form.cleaned_data["action"] == ParticipationForm.CONFIRM:
            services.confirm_participation(speaker=speaker)
            messages.success(request, _("Danke! Ihre Zusage ist beim Organisationsteam."))
        else:
            services.withdraw_participation(speaker=speaker, reason=form.cleaned_data["reason"])
            messages.success(request, _("Ihre Absage ist beim Organisationsteam angekommen."))
    except services.SpeakerError as error:
        messages.error(request, error.message)
    return redirect("speakers:portal")


@require_safe
@speaker_required
def portal_ics(request, speaker):
    sessions = Session.objects.filter(session_speakers__speaker=speaker).for_timetable()
    content = exports.calendar(list(sessions), Event.objects.current())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_("mein-auftritt")}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@speaker_required
def profile(request, speaker):
    if request.method == "POST" and "save" in request.POST:
        return _save_profile(request, speaker)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=speaker)
        if form.is_valid():
            return _preview_profile(request, speaker, form)
    else:
        form = ProfileForm(instance=speaker, initial=_pending_text(request))
    return render(request, "speakers/profile.html", {"speaker": speaker, "form": form})


def _pending_text(request) -> dict:
    return (request.session.get(PREVIEW_KEY) or {}).get("data", {})


def _discard_pending_photo(request) -> None:
    pending = request.session.pop(PREVIEW_KEY, None) or {}
    if pending.get("photo_key"):
        delete_variants(pending["photo_key"])


def _preview_still_valid(pending: dict) -> bool:
    # Half the time an unused photo is kept: the photo of a preview that may still be
    # saved is never deleted under it (photos.delete_unused_variants).
    try:
        stored_at = datetime.datetime.fromisoformat(pending["stored_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return timezone.now() - stored_at < PREVIEW_VALID_FOR


def _preview_profile(request, speaker, form):
    """Show the public card as it will look; nothing is changed until the speaker saves.
    A new photo is stored under its own key meanwhile and only then put in place."""
    _discard_pending_photo(request)
    data = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
    photo_key = store_variants(form.prepared_photo) if form.prepared_photo else None
    remove = bool(form.cleaned_data.get("remove_photo"))
    request.session[PREVIEW_KEY] = {
        "data": data,
        "photo_key": photo_key,
        "remove_photo": remove,
        "stored_at": timezone.now().isoformat(),
    }
    preview = form.instance  # changed in memory only: the form applied the cleaned data
    if photo_key:
        preview.photo_key = photo_key
    elif remove:
        preview.photo_key = ""
    return render(request, "speakers/profile_preview.html", {"speaker": preview, "data": data})


def _save_profile(request, speaker):
    pending = request.session.get(PREVIEW_KEY)
    if pending and not _preview_still_valid(pending):
        _discard_pending_photo(request)
        pending = None
    if not pending:
        messages.error(
            request,
            _("Die Vorschau ist abgelaufen. Bitte geben Sie Ihre Änderungen noch einmal ein."),
        )
        return redirect("speakers:profile")
    form = ProfileForm(pending["data"], instance=speaker)
    if not form.is_valid():  # the rules may have changed meanwhile: show why
        return render(request, "speakers/profile.html", {"speaker": speaker, "form": form})
    services.save_profile(
        speaker=speaker,
        values={field: form.cleaned_data[field] for field in services.PROFILE_FIELDS},
        photo_key=pending.get("photo_key") or "",
        remove_photo=bool(pending.get("remove_photo")),
    )
    request.session.pop(PREVIEW_KEY, None)
    messages.success(request, _("Ihr Profil ist gespeichert und öffentlich sichtbar."))
    return redirect("speakers:portal")


@require_http_methods(["GET", "POST"])
@speaker_required
def slides(request, speaker, slug: str):
    session = _own_session(speaker, slug)
    current = Slides.objects.filter(speaker=speaker, session=session).first()
    form = SlidesForm()
    if request.method == "POST" and "delete" in request.POST:
        if current is not None:
            services.delete_slides(slides=current)
            messages.success(request, _("Ihre Folien sind gelöscht."))
        return redirect("speakers:portal")
    if request.method == "POST":
        form = SlidesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.upload_slides(
                    speaker=speaker, session=session, upload=form.cleaned_data["file"]
                )
            except services.SpeakerError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Ihre Folien sind hochgeladen. Öffentlich erscheinen sie, sobald das "
                        "Organisationsteam sie freigibt."
                    ),
                )
                return redirect("speakers:portal")
    return render(
        request, "speakers/slides.html", {"session": session, "current": current, "form": form}
    )


def _pdf_response(item: Slides) -> FileResponse:
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.download_name,
        content_type="application/pdf",
    )


@require_safe
@speaker_required
def slides_download(request, speaker, pk: int):
    return _pdf_response(get_object_or_404(Slides, pk=pk, speaker=speaker))


@require_safe
def public_slides(request, slug: str, speaker_slug: str):
    item = get_object_or_404(
        Slides.objects.released().select_related("session", "speaker"),
        session__slug=slug,
        speaker__slug=speaker_slug,
    )
    return _pdf_response(item)


@require_safe
@staff_member_required
def admin_slides(request, pk: int):
    return _pdf_response(
        get_object_or_404(Slides.objects.select_related("session", "speaker"), pk=pk)
    )


# --- invitations ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    if not ratelimit.consume(request, action="speaker_invitation"):
        return render(request, "speakers/too_many_requests.html", status=429)
    check = services.check_invitation(token)
    if check.state != services.InvitationState.VALID:
        return render(
            request,
            "speakers/invitation_problem.html",
            {"state": check.state, "form": NewLinkForm()},
            status=410 if check.state != services.InvitationState.INVALID else 404,
        )
    speaker = check.access.speaker
    form = SetPasswordForm(request.POST or None, user=speaker.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.SpeakerError as error:
            return render(
                request,
                "speakers/invitation_problem.html",
                {"state": error.code, "form": NewLinkForm()},
                status=410,
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Willkommen! Ihr Passwort ist gespeichert."))
        return redirect("speakers:portal")
    return render(
        request,
        "speakers/accept_invitation.html",
        {"speaker": speaker, "email": check.access.email, "form": form},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def new_invitation_link(request):
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not ratelimit.consume(request, action="speaker_new_link", key=email):
            return render(request, "speakers/too_many_requests.html", status=429)
        services.request_new_invitation(email=email)
        return render(request, "speakers/new_link_sent.html", {"email": email})
    return render(
        request,
        "speakers/invitation_problem.html",
        {"state": "ask", "form": form},
        status=400 if form.errors else 200,
    )
