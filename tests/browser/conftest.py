"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Every test in this folder is skipped with a reason where Chromium is absent."""

import pytest

from tests.conftest import requires_chromium

pytestmark = requires_chromium

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(requires_chromium)
            item.add_marker(pytest.mark.browser)


def assert_no_axe_violations(page, context: str = "") -> None:
    """Run axe-core (bundled, offline) on the page: no WCAG 2.0/2.1 A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, f"{context or page.url}\n{results.generate_report()}"


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the event loaded. Use site.url('/anmeldung/')."""
    from programme.seed import load_event

    load_event()

    class Site:
        base = live_server.url

        def url(self, path: str) -> str:
            return self.base + path

    return Site()
