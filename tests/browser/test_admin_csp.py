"""Django's admin under its nonce-based Content-Security-Policy: every list, add form and
a change form load in Chromium without a single blocked script, style or image."""

import re

from tests.browser.test_accounts_and_admin_a11y import organiser_page  # noqa: F401


def test_admin_pages_cause_no_csp_violation(site, organiser_page):  # noqa: F811
    from registration import services
    from tests.registration.conftest import VALID

    page = organiser_page
    from programme.models import Event

    services.submit_registration(
        event=Event.objects.current(), data={**VALID, "email": "e@example.org"}, language="de"
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(site.url("/admin/"))
    links = page.locator("#content-main a[href^='/admin/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert links
    for link in links:
        response = page.goto(site.url(link))
        assert re.search(r"'nonce-[\w-]+'", response.headers["content-security-policy"])
        first_row = page.locator("#result_list tbody th a").first
        if first_row.count():
            first_row.click()
            page.wait_for_load_state("load")
    # A page with the calendar and clock widgets, the most script-heavy admin page.
    page.goto(site.url("/admin/registration/registrationsettings/"))
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_load_state("load")

    assert violations == []
