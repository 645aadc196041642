"""How the site is found: robots.txt, sitemap.xml (both languages) and security.txt.

All three name absolute URLs of SITE_URL, whatever host a request came in on.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from programme.models import Page, Session, Speaker

# Personal pages (links with a token from an email), the door's check-in and the logins:
# their pages already say noindex; robots.txt keeps crawlers from fetching them at all.
# Each as (URL name, example arguments, how many path segments make the prefix).
PRIVATE_URLS = [
    ("registration:confirm", {"token": "x"}, 2),
    ("registration:manage", {"token": "x"}, 2),
    ("registration:confirm_email_change", {"token": "x"}, 2),
    ("registration:checkin", {}, 1),
    ("admin:index", {}, 1),
    ("account_login", {}, 1),  # /konto/: logins, password reset, speaker portal
]

# security.txt (RFC 9116) is generated from the current settings, so its Expires date
# can move along; half a year keeps it well inside the RFC's "less than a year".
SECURITY_TXT_LIFETIME = datetime.timedelta(days=180)


def private_prefixes() -> list[str]:
    """/anmeldung/verwalten/, /en/anmeldung/verwalten/, /checkin/, ... in every language."""
    prefixes: list[str] = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for url_name, kwargs, depth in PRIVATE_URLS:
                segments = reverse(url_name, kwargs=kwargs).strip("/").split("/")
                if segments[0] == code:
                    depth += 1
                prefix = "/" + "/".join(segments[:depth]) + "/"
                if prefix not in prefixes:
                    prefixes.append(prefix)
    return prefixes


def _text(content: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in private_prefixes())]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return _text("\n".join(lines))


def security_contact() -> str:
    """Where to report a vulnerability: a mailto: or https: URI (see docs/security.md)."""
    contact = settings.SECURITY_CONTACT
    return contact if ":" in contact else f"mailto:{contact}"


@require_safe
def security_txt(request):
    today = (
        timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    expires = (today + SECURITY_TXT_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        f"Contact: {security_contact()}",
        f"Expires: {expires}",
        "Preferred-Languages: de, en",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
        "",
    ]
    return _text("\n".join(lines))


# --- sitemap.xml ---------------------------------------------------------------------


class _SiteSitemap(Sitemap):
    """Every entry in German and English, each naming the other (hreflang) and x-default."""

    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class FixedPagesSitemap(_SiteSitemap):
    priority = 0.8

    def items(self) -> list[str]:
        # The directions are a text page: TextPagesSitemap lists them.
        return ["home", "programme", "speakers", "registration:form", "documentation:index"]

    def location(self, item: str) -> str:
        return reverse(item)


class TextPagesSitemap(_SiteSitemap):
    priority = 0.3

    def items(self):
        return Page.objects.order_by("slug")

    def lastmod(self, page: Page):
        return page.updated_at


class SessionsSitemap(_SiteSitemap):
    priority = 0.6

    def items(self):
        return Session.objects.order_by("start", "pk")

    def lastmod(self, session: Session):
        return session.updated_at


class SpeakersSitemap(_SiteSitemap):
    priority = 0.5

    def items(self):
        return Speaker.objects.order_by("slug")


SITEMAPS = {
    "pages": FixedPagesSitemap,
    "texts": TextPagesSitemap,
    "sessions": SessionsSitemap,
    "speakers": SpeakersSitemap,
}
