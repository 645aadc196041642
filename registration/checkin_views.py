"""The door's pages at /checkin/, for staff with the check-in permission (group “Einlass”).

Without JavaScript the page is a search form and one POST form per guest. With JavaScript
(static/js/checkin.js) the same page searches the device's snapshot as one types, checks
in through the JSON endpoint below, keeps working offline and sends queued check-ins once
the network is back. Every write is one call into registration/checkin.py.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import uuid
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registration import checkin, services
from registration.forms import WalkInForm
from registration.models import Registration
from registration.views import _current_event

# Door staff log in where organisers do; the admin shows them nothing but this page's link.
LOGIN_URL = reverse_lazy("admin:login")
MAX_SYNC_BATCH = 500
# What the door page loads (templates/registration/checkin/base.html and door.html): the
# service worker keeps these for a reload while offline.
DOOR_ASSETS = [
    "css/site.css",
    "css/checkin.css",
    "img/favicon.svg",
    "vendor/jsqr/jsQR.js",
    "js/checkin.js",
]


def door_staff_only(view):
    """Logged-in staff with the check-in permission; others are sent to the login page
    (not logged in) or refused with 403 (logged in without the permission). Nothing of the
    door is cached anywhere."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store, max-age=0"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    guarded = permission_required(checkin.CHECK_IN_PERMISSION, raise_exception=True)(wrapper)
    return never_cache(login_required(guarded, login_url=LOGIN_URL))


def _texts() -> dict[str, str]:
    """The words the script shows, translated here (the script carries no language)."""
    return {
        "online": _("Online"),
        "offline": _("Offline: Einlass wird auf diesem Gerät gespeichert"),
        "snapshot_age": _("Gästeliste von %(time)s Uhr (vor %(minutes)s Min.)"),
        "no_snapshot": _("Noch keine Gästeliste auf diesem Gerät"),
        "queued": _("Warten auf Senden: %(count)s"),
        "check_in": _("Einlassen"),
        "checked_in": _("Eingelassen um %(time)s."),
        "checked_in_offline": _("Eingelassen um %(time)s (offline gespeichert, wird gesendet)."),
        "already": _("Bereits eingelassen um %(time)s von %(who)s."),
        "already_title": _("SCHON EINGELASSEN"),
        "admitted_title": _("EINLASS"),
        "refused_title": _("KEIN EINLASS"),
        "conflict_title": _("KONFLIKT"),
        "refused": _("Kein Einlass. %(reason)s"),
        "this_device": _("diesem Gerät"),
        "no_results": _("Niemand gefunden. Prüfen Sie die Schreibweise oder den Code."),
        "unknown_code": _("Dieser Code ist nicht auf der Gästeliste: %(code)s"),
        "camera_start": _("QR-Code scannen"),
        "camera_stop": _("Kamera aus"),
        "camera_failed": _("Die Kamera ließ sich nicht starten. Bitte suchen Sie nach Namen."),
        "session_ended": _("Bitte melden Sie sich neu an; die Einlässe bleiben gespeichert."),
        "undo": _("Einlass rückgängig machen"),
        "undo_offline": _("Rückgängig machen geht nur online."),
    }


# The header that marks a door page the service worker may keep for an offline reload.
OFFLINE_SHELL_HEADER = "X-Door-Offline-Shell"


@door_staff_only
@require_GET
def door(request):
    event = _current_event()
    query = request.GET.get("q", "").strip()[:100]
    result = request.session.pop("door_result", None)
    response = render(
        request,
        "registration/checkin/door.html",
        {
            "event": event,
            "query": query,
            "guests": checkin.find_guests(event, query) if query else [],
            "counts": checkin.door_counts(event),
            "result": result,
            "texts": _texts(),
        },
    )
    # Only the empty page is kept offline: a result or search results name guests, and a
    # result shown again on an offline reload would look like a check-in just made.
    if not query and result is None:
        response[OFFLINE_SHELL_HEADER] = "1"
    return response


def _back_to_door(request) -> HttpResponseRedirect:
    query = request.POST.get("q", "")[:100]
    url = reverse("registration:checkin")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@door_staff_only
@require_POST
def check_in(request, pk: int):
    try:
        result = checkin.check_in(event=_current_event(), registration_id=pk, by=request.user)
    except checkin.RegistrationError as error:
        request.session["door_result"] = {"outcome": "refused", "message": str(error.message)}
    else:
        request.session["door_result"] = result.as_dict()
    return _back_to_door(request)


@door_staff_only
@require_POST
def undo(request, pk: int):
    try:
        result = checkin.undo_check_in(event=_current_event(), registration_id=pk, by=request.user)
    except checkin.RegistrationError as error:
        request.session["door_result"] = {"outcome": "refused", "message": str(error.message)}
    else:
        request.session["door_result"] = result.as_dict()
    return _back_to_door(request)


@door_staff_only
@require_GET
def snapshot(request):
    return JsonResponse(checkin.door_snapshot(_current_event()))


def _parse_check_in(item) -> tuple[int, uuid.UUID, datetime.datetime]:
    registration_id = int(item["registration"])
    client_id = uuid.UUID(str(item["client_id"]))
    at = datetime.datetime.fromisoformat(str(item["at"]).replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise ValueError("time without a zone")
    return registration_id, client_id, at


@door_staff_only
@require_POST
def sync(request):
    """Check-ins a device made, online or queued offline: {"check_ins": [{"client_id",
    "registration", "at"}]}. Answers one result per client_id; sending again is harmless."""
    try:
        items = json.loads(request.body)["check_ins"]
        parsed = [_parse_check_in(item) for item in items[:MAX_SYNC_BATCH]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("Die Daten des Geräts sind unlesbar.")}, status=400)
    event = _current_event()
    results = []
    for registration_id, client_id, at in parsed:
        try:
            result = checkin.check_in(
                event=event,
                registration_id=registration_id,
                by=request.user,
                at=at,
                client_id=client_id,
            )
        except checkin.RegistrationError as error:
            results.append(
                {
                    "client_id": str(client_id),
                    "outcome": "unknown",
                    "message": str(error.message),
                    "id": registration_id,
                }
            )
        else:
            results.append({"client_id": str(client_id), **result.as_dict()})
    return JsonResponse({"results": results, "counts": checkin.door_counts(event)})


@require_GET
def service_worker(request):
    """The door's service worker, served from the door's own folder so that its scope is
    the door (a script under /static/ could not control /checkin/). Public: it holds only
    the door's URL and its static files' URLs."""
    door_url = reverse("registration:checkin")
    assets = [static(path) for path in DOOR_ASSETS]
    # With the header in it, a worker that kept door pages by another rule replaces its cache.
    version = hashlib.sha256(
        json.dumps([door_url, *assets, OFFLINE_SHELL_HEADER]).encode()
    ).hexdigest()[:12]
    response = render(
        request,
        "registration/checkin/service_worker.js",
        {
            "shell_header": json.dumps(OFFLINE_SHELL_HEADER),
            "door_url": json.dumps(door_url),
            "assets": json.dumps(assets),
            "version": json.dumps(version),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; never serve it stale.
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def door_logout(request):
    """Log out and wipe what this browser keeps of the guest list (the script clears it
    too, before the form is sent; Clear-Site-Data covers a browser without the script)."""
    logout(request)
    response = redirect(f"{LOGIN_URL}?{urlencode({'next': reverse('registration:checkin')})}")
    response["Clear-Site-Data"] = '"storage"'
    return response


@door_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def walk_in(request):
    """Register a person on the spot when a seat is free; they are checked in at once."""
    event = _current_event()
    form = WalkInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_walk_in(
                event=event, data=form.cleaned_data, by=request.user, language=request.LANGUAGE_CODE
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("registration:checkin_walk_in_done", pk=registration.pk)
    return render(
        request,
        "registration/checkin/walk_in.html",
        {"event": event, "form": form, "seats": services.seat_status(event)},
        status=400 if form.is_bound else 200,
    )


@door_staff_only
@require_GET
def walk_in_done(request, pk: int):
    """The entry confirmation to print (or show) for a person registered at the door."""
    event = _current_event()
    registration = get_object_or_404(Registration, event=event, pk=pk)
    return render(
        request,
        "registration/checkin/walk_in_done.html",
        {"event": event, "registration": registration},
    )
