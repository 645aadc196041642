"""The public documentation page and the downloads of published files."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from documentation.models import Document
from programme.models import Event
from speakers.models import Slides


@require_safe
def index(request):
    event = Event.objects.current()
    if event is None:
        raise Http404("No event has been loaded yet.")
    documents = list(Document.objects.for_event_page(event))
    general = [document for document in documents if document.session_id is None]
    sessions: dict = {}
    for document in documents:
        if document.session_id is not None:
            sessions.setdefault(document.session, {"documents": [], "slides": []})
            sessions[document.session]["documents"].append(document)
    # The speakers' own slides, once organisers released them, belong here too.
    for slides in Slides.objects.released().select_related("session"):
        sessions.setdefault(slides.session, {"documents": [], "slides": []})
        sessions[slides.session]["slides"].append(slides)
    ordered = sorted(sessions.items(), key=lambda item: (item[0].start, item[0].pk))
    return render(
        request,
        "documentation/index.html",
        {"event": event, "general": general, "sessions": ordered},
    )


@require_safe
def download(request, pk: int, name: str):
    return _pdf(get_object_or_404(Document.objects.published().exclude(file=""), pk=pk))


@require_safe
@staff_member_required
@permission_required("documentation.view_document", raise_exception=True)
def staff_file(request, pk: int):
    """Organisers look at a file before they publish it."""
    response = _pdf(get_object_or_404(Document.objects.exclude(file=""), pk=pk))
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(document: Document) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
