import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programme import exports
from programme.models import Event, Page, Session, Speaker
from programme.pages import fill_in, page_values
from programme.preview_image import preview_path, preview_png


def _current_event_or_404() -> Event:
    event = Event.objects.current()
    if event is None:
        raise Http404("No event has been loaded yet (run: make run or manage.py load_event).")
    return event


@require_safe
def page(request, slug: str):
    text_page = get_object_or_404(Page, slug=slug)
    event = Event.objects.current()
    template = (
        "programme/directions.html" if slug == Page.Slug.DIRECTIONS else "programme/page.html"
    )
    context = {
        "event": event,
        "page": text_page,
        "body": fill_in(text_page.body, page_values(event)),
    }
    return render(request, template, context)


@require_safe
def programme(request):
    sessions = list(Session.objects.for_timetable())
    return render(
        request,
        "programme/programme.html",
        {
            "sessions": sessions,
            "has_unconfirmed_times": any(not session.time_confirmed for session in sessions),
        },
    )


@require_safe
def session_detail(request, slug: str):
    session = get_object_or_404(Session.objects.for_timetable(), slug=slug)
    return render(request, "programme/session.html", {"session": session})


@require_safe
def speakers(request):
    speakers = sorted(Speaker.objects.with_sessions(), key=lambda speaker: speaker.sort_key)
    return render(request, "programme/speakers.html", {"speakers": speakers})


@require_safe
def speaker_detail(request, slug: str):
    speaker = get_object_or_404(Speaker.objects.with_sessions(), slug=slug)
    return render(request, "programme/speaker.html", {"speaker": speaker})


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def programme_ics(request):
    event = _current_event_or_404()
    sessions = Session.objects.for_timetable()
    return _calendar_response(exports.calendar(sessions, event), "programm.ics")


@require_safe
def session_ics(request, slug: str):
    event = _current_event_or_404()
    session = get_object_or_404(Session.objects.for_timetable(), slug=slug)
    return _calendar_response(exports.calendar([session], event), f"{session.slug}.ics")


@require_safe
def speaker_ics(request, slug: str):
    """One person's sessions, for subscribing to their slots."""
    event = _current_event_or_404()
    speaker = get_object_or_404(Speaker, slug=slug)
    sessions = Session.objects.for_timetable().filter(session_speakers__speaker=speaker)
    name = _("Programm: %(name)s") % {"name": speaker.full_name}
    return _calendar_response(exports.calendar(sessions, event, name=name), f"{speaker.slug}.ics")


@require_safe
def schedule_json(request):
    event = _current_event_or_404()
    schedule = exports.frab_schedule(list(Session.objects.for_timetable()), event)
    return HttpResponse(
        json.dumps(schedule, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


@require_safe
def schedule_xml(request):
    event = _current_event_or_404()
    schedule = exports.frab_schedule(list(Session.objects.for_timetable()), event)
    return HttpResponse(exports.frab_xml(schedule), content_type="application/xml; charset=utf-8")


@require_safe
def preview_image(request, digest: str):
    """The link-preview image. Its URL names the facts it shows; a URL of earlier facts
    leads to the current image."""
    event = _current_event_or_404()
    language = get_language() or settings.LANGUAGE_CODE
    current = preview_path(event, language)
    if request.path != current:
        return redirect(current)
    response = HttpResponse(preview_png(event, language), content_type="image/png")
    # The URL changes whenever the image does.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
