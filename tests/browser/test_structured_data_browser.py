"""JSON-LD under the strict Content-Security-Policy: the data block is neither blocked
nor reported, and the browser reads the same data."""

import pytest


@pytest.mark.parametrize("path", ["/", "/programm/", "/en/"])
def test_json_ld_causes_no_csp_report_and_parses_in_the_browser(site, page, path):
    messages = []
    page.on("console", lambda message: messages.append((message.type, message.text)))

    response = page.goto(site.url(path))

    assert "script-src" not in response.headers["content-security-policy"]  # default-src rules
    name = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent).name"
    )
    assert name.startswith(("Abschlussveranstaltung", "Closing event"))
    # Chromium reports a blocked or refused script as "... violates the following Content
    # Security Policy directive ..." (other headers' warnings are not this test's subject).
    assert [m for m in messages if "Content Security Policy" in m[1] or "Refused" in m[1]] == []
