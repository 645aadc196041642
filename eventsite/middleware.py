"""Middleware of the whole site: the Content-Security-Policy and Permissions-Policy
headers, staff session expiry, and a clear 400 for request bodies nobody can read.

The public site uses no inline scripts or styles and no external assets, so the browser
can refuse everything else: an injected <script> or style would not run even if it
slipped past the escaping. Django's admin runs under a policy of its own that allows
inline code only with the per-request nonce (`request.csp_nonce`); Django's admin
templates need none.
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader

logger = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def admin_content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            # The admin's "add another" windows are pop-ups, not frames.
            "frame-ancestors 'self'",
        ]
    )


# No page of the site uses these browser features; an injected script cannot either.
# The check-in page (/checkin/) reads QR codes with the camera, on its own origin only.
_DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "serial",
    "hid",
    "publickey-credentials-get",
    "screen-wake-lock",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join([*(f"{feature}=()" for feature in _DENIED_FEATURES), "camera=()"])
CHECK_IN_PERMISSIONS_POLICY = ", ".join(
    [*(f"{feature}=()" for feature in _DENIED_FEATURES), "camera=(self)"]
)


def _is_check_in(path: str) -> bool:
    return path.startswith(("/checkin/", "/en/checkin/"))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.app_name == "admin":
            policy = admin_content_security_policy(request.csp_nonce)
        else:
            policy = CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy",
            CHECK_IN_PERMISSIONS_POLICY if _is_check_in(request.path) else PERMISSIONS_POLICY,
        )
        return response


STAFF_SEEN_KEY = "_staff_seen_at"


class StaffSessionExpiryMiddleware:
    """Staff sessions end after STAFF_SESSION_IDLE_HOURS without a request (a working
    day): every request of a staff member moves the end on. Other sessions keep
    SESSION_COOKIE_AGE. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only with a session cookie: looking at request.user reads the session, and that
        # would add "Vary: Cookie" to every anonymous (cacheable) page.
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        user = getattr(request, "user", None) if has_session else None
        if user is not None and user.is_authenticated and user.is_staff:
            # Moving the end on is a session write: at most once a minute, not per request.
            now = int(time.time())
            if now - request.session.get(STAFF_SEEN_KEY, 0) >= 60:
                request.session[STAFF_SEEN_KEY] = now
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_HOURS * 3600)
        return self.get_response(request)


class UnreadableRequestBodyMiddleware:
    """Answer a POST whose body cannot be parsed (a charset other than UTF-8 for a form,
    a broken multipart body, too large, too many fields) with the translated 400 page.

    Without this the CSRF check is the first to read request.POST; Django's 400 handler
    then runs the CSRF check again, reads the body again and fails again: a 500. Placed
    after LocaleMiddleware (the page is in the visitor's language) and before the CSRF
    middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (parsing is the point)
            except (BadRequest, MultiPartParserError, SuspiciousOperation) as error:
                from eventsite.views import bad_request

                logger.warning("Unreadable request body on %s: %s", request.path, error)
                return bad_request(request, error)
        return self.get_response(request)


# SQLSTATEs of a PostgreSQL that is there but cannot take the write for now: a read-only
# transaction (a standby, default_transaction_read_only) and insufficient resources (53…:
# disk full, out of memory, too many connections).
TEMPORARY_SQLSTATES = ("25006", "53")


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether an error means the database is away or refuses writes for a moment (a
    restart, a failover, a full disk), not a bug: then the answer is the 503 page."""
    if isinstance(exception, OperationalError | InterfaceError):
        # SQLite's "database or disk is full" and "attempt to write a readonly database"
        # are OperationalErrors too.
        return True
    if isinstance(exception, DatabaseError):
        sqlstate = getattr(exception.__cause__, "sqlstate", None) or ""
        return sqlstate.startswith(TEMPORARY_SQLSTATES)
    return False


def database_unavailable_response(request, exception: BaseException) -> HttpResponse:
    logger.error("Database unavailable on %s: %s", request.path, exception)
    # Rendered without context processors: they would query the database.
    html = loader.get_template("503.html").render(
        {"request": request, "not_saved": request.method == "POST"}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable or refuses writes (a restart, a failover, a full
    disk) a view's query fails: answer with the translated 503 page and Retry-After instead
    of a 500. Django reconnects on the next request by itself. Errors raised outside a view
    (in another middleware) reach eventsite.views.server_error, which answers the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)
