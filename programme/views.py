from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from programme.models import Event, Page


def _current_event_or_404() -> Event:
    event = Event.objects.current()
    if event is None:
        raise Http404("No event has been loaded yet (run: make run or manage.py load_event).")
    return event


@require_safe
def home(request):
    event = _current_event_or_404()
    return render(request, "programme/home.html", {"event": event})


@require_safe
def page(request, slug: str):
    text_page = get_object_or_404(Page, slug=slug)
    template = (
        "programme/directions.html" if slug == Page.Slug.DIRECTIONS else "programme/page.html"
    )
    return render(request, template, {"page": text_page})


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


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: the database may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request": request}))
