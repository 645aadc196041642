"""Middleware of the whole site: a strict Content-Security-Policy, and a clear 400 for
request bodies nobody can read.

A strict Content-Security-Policy for the public site.

The site uses no inline scripts or styles and no external assets, so the browser can
refuse everything else: an injected <script> or style would not run even if it slipped
past the escaping. Django's admin is left out: it is not ours to keep inline-free.
"""

import logging

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError

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


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or match.app_name != "admin":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


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
                from programme.views import bad_request

                logger.warning("Unreadable request body on %s: %s", request.path, error)
                return bad_request(request, error)
        return self.get_response(request)
