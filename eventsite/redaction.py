"""Masking the secrets that links carry (personal registration links, password-reset and
email-confirmation keys), for what is kept after use: stored email bodies, the outbox
admin, the access log. Plain Python: gunicorn's master process imports it without Django.

A secret is a path segment or query value of at least 20 URL-safe characters with at
least four digits and a letter: registration tokens are 64 hex digits, allauth keys mix
base-36 and hex. Slugs ("digitale-verwaltung-in-der-praxis") have too few digits.
"""

from __future__ import annotations

import re

MASK = "…"

_URL = re.compile(r"https?://[^\s\"'<>]+")
_SEGMENT = re.compile(r"(?<=[/=])[A-Za-z0-9_\-:.~%]{20,}(?=[/?&#\s\"']|$)")


def _looks_secret(segment: str) -> bool:
    digits = sum(ch.isdigit() for ch in segment)
    return digits >= 4 and any(ch.isalpha() for ch in segment)


def mask_path_secrets(path: str) -> str:
    """A path, request line or URL with every secret-looking segment replaced by MASK."""
    return _SEGMENT.sub(lambda m: MASK if _looks_secret(m.group()) else m.group(), path)


def mask_link_secrets(text: str) -> str:
    """Text (an email body, plain or HTML) with the secrets of every link masked."""
    if not text:
        return text
    return _URL.sub(lambda m: mask_path_secrets(m.group()), text)


class SecretMaskingFilter:
    """A logging filter for the site's own log: Django logs the path of every failed
    request ("Not Found: /anmeldung/verwalten/<token>/"); the token is masked."""

    def filter(self, record) -> bool:
        message = record.getMessage()
        masked = mask_path_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
