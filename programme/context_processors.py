from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject

from programme.exports import absolute_url
from programme.models import Event


def event(request):
    """The event is in every page's header and footer. Fetched only if the view's own
    context has none (most views pass the event they already read)."""
    return {"event": SimpleLazyObject(Event.objects.current)}


def page_links(request):
    """The page's canonical URL and its URL in every language (hreflang), both absolute.

    The canonical URL is the path without a query string: /programm/?a=b is /programm/."""
    path = request.path
    alternates = [
        (code, absolute_url(translate_url(path, code))) for code, _name in settings.LANGUAGES
    ]
    return {
        "canonical_url": absolute_url(path),
        "language_alternates": alternates,
        "default_language_url": alternates[0][1],
    }
