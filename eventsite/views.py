"""Site-wide views: the front page, which brings the programme and the registration
together (neither app knows the other), the health check and the error pages."""

import logging
import sys

from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from eventsite.middleware import database_unavailable, database_unavailable_response
from programme.models import Event
from programme.pages import fill_in, page_values, sign_language_url
from registration.services import seat_status

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    event = Event.objects.current()
    if event is None:
        raise Http404("No event has been loaded yet (run: make run or manage.py load_event).")
    return render(
        request,
        "home.html",
        {
            "event": event,
            "description": fill_in(event.description, page_values(event)),
            "seats": seat_status(event),
            "sign_language_url": sign_language_url(),
        },
    )


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


def bad_request(request, exception):
    # Not Django's default handler: that one runs the CSRF check, which reads the body
    # again, and an unreadable body then ends in a 500.
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this while handling the exception: an outage raised outside a view
    # (the page cache renders views itself, sessions save late) gets the 503 page too.
    exception = sys.exc_info()[1]
    if database_unavailable(exception):
        return database_unavailable_response(request, exception)
    # Rendered without context processors: the database may be what failed.
    try:
        html = loader.get_template("500.html").render({"request": request})
    except Exception:  # the error page itself must never fail
        logger.exception("The 500 page could not be rendered")
        html = FALLBACK_SERVER_ERROR_HTML
    return HttpResponseServerError(html)


FALLBACK_SERVER_ERROR_HTML = (
    '<!DOCTYPE html><html lang="de"><meta charset="utf-8"><title>Fehler / Error</title>'
    "<h1>Ein Fehler ist aufgetreten / Something went wrong</h1>"
    "<p>Bitte versuchen Sie es später noch einmal. / Please try again later.</p></html>"
)
