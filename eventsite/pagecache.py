"""A cache of the public pages, shared by every process on every host.

What is cached: the pages in PUBLIC_PAGES, for visitors without a session or message
cookie (organisers and speakers who are logged in always get a fresh page), per language
and path, only when the rendered page used no CSRF token, set no cookie and touched no
session. The cache is Django's default cache: the database cache by default (all hosts
share the database), Redis when CACHE_REDIS_URL is set.

When a cached page is stale, three keys decide, read in one round trip (get_many):

- the content version: a random token replaced whenever something a page shows changes
  (bump_version()): every save or delete of a programme model (event, pages, sessions,
  speakers, their roles), of the registration window, and every change an organiser
  makes in the admin (each leaves a LogEntry: capacity, registration status, ...).
  A page rendered under another version is rendered again;
- the seat figures: the event's seat status, recomputed at most every
  PAGE_CACHE_SEATS_SECONDS (default 5) seconds by whichever request finds it missing. A
  page rendered under other figures is rendered again. So the seat figure on a cached
  page lags registrations by at most that long (plus rendering), and an organiser's
  change shows at once;
- the page itself, with the version and figures it was rendered under, its ETag (a hash
  of the body) and the time it was rendered (Last-Modified). A request with a matching
  If-None-Match or If-Modified-Since gets 304 Not Modified.

A missing or evicted key means "changed": nothing can stay stale because the cache
dropped something. When the cache itself fails, the page is rendered as if uncached.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

# URL names of the pages that show the same content to every anonymous visitor.
PUBLIC_PAGES = {
    "home",
    "programme",
    "session",
    "speakers",
    "speaker",
    "directions",
    "imprint",
    "privacy",
    "accessibility",
    "easy_language",
}
# Models whose saves and deletes change what a public page shows, besides every model of
# these apps. Registrations themselves are not here: their effect on a page is the seat
# figure, which the seat key covers (a rush must not invalidate every page per sign-up).
WATCHED_APPS = {"programme", "documentation"}
WATCHED_MODELS = {"registration.registrationsettings", "admin.logentry", "speakers.slides"}

VERSION_KEY = "pagecache:version"
SEATS_KEY = "pagecache:seats"
PAGE_KEY = "pagecache:page:{language}:{path_hash}"
# Cookies that mean the visitor may see something personal (a logged-in header, a
# one-time message after a redirect).
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}


def bump_version() -> None:
    """Mark every cached page as stale, on every host."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label not in WATCHED_APPS and sender._meta.label_lower not in (
        WATCHED_MODELS
    ):
        return
    try:
        current = apps.get_model(sender._meta.label)
    except LookupError:
        current = None
    if sender is not current:
        # A migration's historical model: `migrate` bumps the version once at its end.
        return
    try:
        # Now: with the database cache the new version commits together with the change.
        # Again after the commit: with Redis a page rendered between the first bump and
        # the commit (still showing the old data) must not keep the new version.
        bump_version()
        transaction.on_commit(bump_version)
    except Exception:
        logger.exception("The page cache could not be invalidated")


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"pagecache-{signal}")


def after_migrate(sender, using="default", **kwargs) -> None:
    """`migrate` creates the database cache's table, and a deployment (new templates, new
    data) starts with every cached page stale. Also runs after a test database flush."""
    from django.core.management import call_command

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and sender is not with_models[-1]:
        return
    call_command("createcachetable", database=using, verbosity=0)
    try:
        bump_version()
    except Exception:
        logger.exception("The page cache could not be invalidated")


def _seat_figures() -> str:
    from programme.models import Event
    from registration.services import seat_status

    event = Event.objects.current()
    return repr(seat_status(event)) if event else "no event"


class PageCacheMiddleware:
    """Serve PUBLIC_PAGES from the shared cache; the last middleware, so it sees the
    resolved view and every other middleware still handles the cached response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._cacheable_request(request):
            return None
        key = PAGE_KEY.format(
            language=request.LANGUAGE_CODE,
            path_hash=hashlib.sha256(request.path.encode()).hexdigest()[:32],
        )
        try:
            version, figures, entry = self._lookup(key)
        except Exception:
            logger.exception("The page cache is unavailable; rendering without it")
            return None
        if entry is None or entry["version"] != version or entry["seats"] != figures:
            response = view_func(request, *view_args, **view_kwargs)
            if not self._cacheable_response(request, response):
                return response
            entry = {
                "version": version,
                "seats": figures,
                "content": response.content,
                "headers": {
                    name: value
                    for name, value in response.items()
                    if name.lower() not in {"content-length", "set-cookie"}
                },
                "etag": '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"',
                "rendered_at": int(time.time()),
            }
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("The page cache could not store a page")
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["rendered_at"])
        # Browsers may keep the page but ask every time (and get 304 while unchanged).
        response["Cache-Control"] = "no-cache"
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=entry["rendered_at"],
            response=response,
        )

    @staticmethod
    def _cacheable_request(request) -> bool:
        match = request.resolver_match
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in {"GET", "HEAD"}
            and not request.META.get("QUERY_STRING")
            and match is not None
            and not match.namespace
            and match.url_name in PUBLIC_PAGES
            and not PERSONAL_COOKIES & set(request.COOKIES)
        )

    @staticmethod
    def _lookup(key: str) -> tuple[str, str, dict | None]:
        found = cache.get_many([VERSION_KEY, SEATS_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
        seats = found.get(SEATS_KEY)
        if seats is None or seats["version"] != version:
            seats = {"version": version, "figures": _seat_figures()}
            cache.set(SEATS_KEY, seats, settings.PAGE_CACHE_SEATS_SECONDS)
        return version, seats["figures"], found.get(key)

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        """Only what every anonymous visitor would get alike."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        session = getattr(request, "session", None)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (
            session is not None and session.accessed
        ):
            return False
        cache_control = response.get("Cache-Control", "")
        if "no-store" in cache_control or "private" in cache_control:
            return False
        return "cookie" not in response.get("Vary", "").lower()
