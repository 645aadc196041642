"""A new gunicorn worker does its first-request work before its first request
(eventsite/warmup.py, called by eventsite/gunicorn.conf.py's post_worker_init)."""

import logging
import re
import runpy
from pathlib import Path

import pytest
from django.core.validators import EmailValidator
from django.utils.functional import empty
from django.utils.regex_helper import _lazy_re_compile

from eventsite.warmup import warm_up
from registration.templatetags import registration_tags

CONFIG = Path(__file__).resolve().parents[2] / "eventsite" / "gunicorn.conf.py"


@pytest.fixture
def cold_worker(monkeypatch):
    """What a freshly forked worker has: no rendered form, an uncompiled address pattern."""
    monkeypatch.setattr(registration_tags, "_empty_sign_up_fields", {})
    pattern = EmailValidator.domain_regex.pattern
    monkeypatch.setattr(EmailValidator, "domain_regex", _lazy_re_compile(pattern, re.IGNORECASE))


@pytest.mark.django_db
def test_the_worker_hook_renders_the_sign_up_form_in_every_language(cold_worker, client, event):
    runpy.run_path(str(CONFIG))["post_worker_init"](None)

    rendered = registration_tags._empty_sign_up_fields
    assert set(rendered) == {"de", "en"}
    # What the first visitors get is exactly what the warm-up rendered.
    assert rendered["de"] in client.get("/anmeldung/").content.decode()
    assert rendered["en"] in client.get("/en/anmeldung/").content.decode()
    assert 'name="email"' in rendered["de"] and "E-Mail-Adresse" in rendered["de"]
    assert "Email address" in rendered["en"]


def test_the_address_pattern_is_compiled_before_the_first_request(cold_worker):
    assert EmailValidator.domain_regex._wrapped is empty
    warm_up()
    assert EmailValidator.domain_regex._wrapped is not empty
    assert EmailValidator.domain_regex.match("example.org")


def test_a_worker_that_cannot_warm_up_still_starts(cold_worker, monkeypatch, caplog):
    def broken(form):
        raise RuntimeError("template missing")

    monkeypatch.setattr(registration_tags, "sign_up_fields", broken)
    with caplog.at_level(logging.ERROR, logger="eventsite.warmup"):
        warm_up()  # does not raise
    assert "Warm-up failed" in caplog.text
    assert registration_tags._empty_sign_up_fields == {}
