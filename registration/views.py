"""Public registration pages. Each view validates a form, calls one service and turns a
refusal into a translated page with the fitting status code.

Pages behind a personal link (confirm, manage, email change) never change anything on GET
(mail scanners follow links) and are sent with no referrer to other sites, no indexing and
no caching.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from eventsite.client_address import client_ip
from programme.models import Event
from registration import access, certificates, services
from registration.forms import DetailsForm, EmailChangeForm, LostLinkForm, RegistrationForm
from registration.models import Registration, RegistrationSettings, TokenPurpose

# The HTTP status of each kind of refusal (the most specific class listed wins).
STATUS_OF_REFUSAL = {
    services.RegistrationClosed: 403,
    services.RateLimited: 429,
    services.InvalidLink: 404,
    services.LinkExpired: 410,
    services.NotPossible: 409,
    services.RegistrationError: 400,
}


def _current_event() -> Event:
    event = Event.objects.current()
    if event is None:
        raise Http404("No event has been loaded yet.")
    return event


def status_of(error: services.RegistrationError) -> int:
    return next(STATUS_OF_REFUSAL[cls] for cls in type(error).__mro__ if cls in STATUS_OF_REFUSAL)


def problem(request, error: services.RegistrationError, *, title: str | None = None):
    """A refusal as a friendly page, with the status code a client should see."""
    link_failed = isinstance(error, services.InvalidLink | services.LinkExpired)
    return render(
        request,
        "registration/problem.html",
        {"message": error.message, "title": title, "offer_lost_link": link_failed},
        status=status_of(error),
    )


def private_page(view):
    """For pages reached through a personal link: no referrer leaks the link to other
    sites, search engines do not index it, no shared cache keeps it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the
        # page's own POST forms (confirm, cancel), which Django's CSRF check rejects (403).
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store, max-age=0"
        return response

    return never_cache(wrapper)


def _manage_redirect(token: str):
    return redirect("registration:manage", token=token)


# --- sign-up -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def registration_form(request):
    event = services.event_for_sign_up()
    if event is None:
        raise Http404("No event has been loaded yet.")
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES)
    else:
        # The link of a personal invitation fills the code in (?code=...).
        form = RegistrationForm(initial={"invitation_code": request.GET.get("code", "")[:40]})
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            # Pretend success so a bot learns nothing; nothing is stored or sent.
            return redirect("registration:thanks")
        # The service checks the registration window itself: no seat count here, a
        # sign-up rush is all POSTs.
        try:
            services.submit_registration(
                event=event,
                data=form.cleaned_data,
                language=request.LANGUAGE_CODE,
                ip=client_ip(request),
            )
        except services.InvitationCodeRefused as error:
            # Shown at the field, with everything else the person typed kept.
            form.add_error("invitation_code", error.message)
        except services.RegistrationError as error:
            return problem(request, error)
        else:
            return redirect("registration:thanks")

    seats = services.seat_status(event)
    if not seats.is_open:
        error = services.RegistrationClosed()
        if request.method == "POST":
            return problem(request, error)
        window = RegistrationSettings.for_event(event)
        return render(
            request, "registration/closed.html", {"event": event, "seats": seats, "window": window}
        )
    has_code = bool(form["invitation_code"].value())
    return render(
        request,
        "registration/form.html",
        {
            "event": event,
            "form": form,
            "seats": seats,
            "has_code": has_code,
            "hold_hours": services.current_hold_hours(seats),
        },
        status=400 if form.is_bound else 200,
    )


def thanks(request):
    return render(request, "registration/thanks.html")


# --- confirmation ------------------------------------------------------------------------


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    if request.method != "POST":
        registration = Registration.objects.by_token(TokenPurpose.CONFIRM, token).first()
        if registration is None:
            return problem(request, services.InvalidLink())
        return render(request, "registration/confirm.html", {"registration": registration})
    try:
        registration = services.confirm_email(token=token)
    except services.RegistrationError as error:
        return problem(request, error)
    # The event the service locked: the page's header needs it, no second read; the place
    # on the waiting list as the service counted it.
    return render(
        request,
        "registration/confirmed.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": getattr(registration, "place_when_confirmed", None)
            or registration.waiting_position(),
        },
    )


# --- self-service --------------------------------------------------------------------------


def _with_registration(view):
    @functools.wraps(view)
    def wrapper(request, token: str, *args, **kwargs):
        try:
            registration = services.registration_for_manage_token(token)
        except services.RegistrationError as error:
            return problem(request, error)
        return view(request, registration, token, *args, **kwargs)

    return wrapper


@private_page
@require_http_methods(["GET", "HEAD"])
@_with_registration
def manage(request, registration, token):
    return render(
        request,
        "registration/manage.html",
        {
            "registration": registration,
            "token": token,
            "position": registration.waiting_position(),
            "certificate_available": certificates.available(registration),
            "email_form": EmailChangeForm(),
        },
    )


@private_page
@require_http_methods(["GET", "HEAD"])
@_with_registration
def personal_data(request, registration, token):
    """The person's own data (GDPR Art. 15), as a page and as JSON."""
    if not registration.is_active:
        return _manage_redirect(token)
    if request.GET.get("format") == "json":
        return access.json_response(registration)
    return access.html_response(
        request,
        registration,
        json_url=reverse("registration:personal_data", args=[token]) + "?format=json",
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@_with_registration
def edit_details(request, registration, token):
    if not registration.is_active:
        return _manage_redirect(token)
    form = DetailsForm(request.POST if request.method == "POST" else None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_details(registration=registration, data=form.cleaned_data)
        except services.RegistrationError as error:
            return problem(request, error)
        messages.success(request, _("Ihre Angaben sind gespeichert."))
        return _manage_redirect(token)
    return render(
        request,
        "registration/edit.html",
        {"form": form, "registration": registration, "token": token},
        status=400 if form.is_bound else 200,
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@_with_registration
def change_email(request, registration, token):
    if not registration.is_active:
        return _manage_redirect(token)
    form = EmailChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_email_change(
                registration=registration,
                new_email=form.cleaned_data["new_email"],
                ip=client_ip(request),
            )
        except services.NotPossible as error:
            form.add_error("new_email", error.message)
        except services.RegistrationError as error:
            return problem(request, error)
        else:
            messages.success(
                request,
                _(
                    "Wir haben einen Link an die neue Adresse geschickt. Erst wenn Sie ihm "
                    "folgen, ändern wir Ihre E-Mail-Adresse."
                ),
            )
            return _manage_redirect(token)
    return render(
        request,
        "registration/change_email.html",
        {"form": form, "registration": registration, "token": token},
        status=400 if form.is_bound else 200,
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@_with_registration
def cancel(request, registration, token):
    """GET asks "are you sure?"; only the POST of that page cancels."""
    if not registration.is_active:
        return _manage_redirect(token)
    if request.method == "POST":
        was_waiting = registration.status == Registration.Status.WAITING
        services.cancel(registration=registration)
        messages.success(
            request,
            _("Sie stehen nicht mehr auf der Warteliste.")
            if was_waiting
            else _("Ihre Anmeldung ist storniert."),
        )
        return _manage_redirect(token)
    return render(
        request, "registration/cancel.html", {"registration": registration, "token": token}
    )


def _participant_list(request, event):
    participants = Registration.objects.participant_list(event).only(
        "academic_title", "first_name", "last_name", "organisation"
    )
    return render(request, "registration/participant_list.html", {"participants": participants})


@private_page
@require_http_methods(["GET", "HEAD"])
@_with_registration
def participant_list(request, registration, token):
    """For guests who took part (checked in at the door): who else agreed to be listed."""
    if registration.checked_in_at is None:
        return render(
            request,
            "registration/problem.html",
            {
                "message": _(
                    "Die Teilnehmendenliste sehen nur Gäste, die am Einlass registriert wurden."
                ),
                "title": None,
                "offer_lost_link": False,
            },
            status=403,
        )
    return _participant_list(request, registration.event)


@private_page
@staff_member_required
@require_http_methods(["GET", "HEAD"])
def participant_list_for_staff(request):
    return _participant_list(request, _current_event())


@private_page
@require_http_methods(["GET", "HEAD"])
@_with_registration
def certificate(request, registration, token):
    try:
        content = certificates.pdf(registration)
    except certificates.CertificateNotAvailable as error:
        return render(
            request,
            "registration/problem.html",
            {"message": error.message, "title": None, "offer_lost_link": False},
            status=404,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.filename(registration)}"'
    )
    return response


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email_change(request, token: str):
    registration = Registration.objects.by_token(TokenPurpose.EMAIL_CHANGE, token).first()
    if registration is None:
        return problem(request, services.InvalidLink())
    if request.method != "POST":
        return render(
            request, "registration/confirm_email_change.html", {"registration": registration}
        )
    try:
        registration = services.confirm_email_change(token=token)
    except services.RegistrationError as error:
        return problem(request, error)
    return render(request, "registration/email_changed.html", {"registration": registration})


# --- lost link -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def lost_link(request):
    form = LostLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resend_link(email=form.cleaned_data["email"], ip=client_ip(request))
        except services.RegistrationError as error:
            return problem(request, error)
        return render(request, "registration/lost_link_sent.html")
    return render(
        request,
        "registration/lost_link.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
