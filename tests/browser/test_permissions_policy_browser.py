"""Chromium understands every feature the Permissions-Policy names: an unknown one makes
the browser log an error on every page (and Lighthouse counts it)."""

import pytest


@pytest.mark.parametrize("path", ["/", "/en/", "/anmeldung/"])
def test_permissions_policy_causes_no_console_error(site, page, path):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(site.url(path))
    page.wait_for_load_state("load")
    assert [text for text in messages if "Permissions-Policy" in text] == []
