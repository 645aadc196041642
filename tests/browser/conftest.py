"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Every test in this folder is skipped with a reason where Chromium is absent. The checks
themselves live in tests/browser/helpers.py."""

import io

import pytest

from tests.browser.helpers import WCAG_21_AA, assert_no_axe_violations  # noqa: F401
from tests.conftest import requires_chromium

pytestmark = requires_chromium


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(requires_chromium)
            item.add_marker(pytest.mark.browser)


class Site:
    """The live server with the event loaded. Use site.url('/anmeldung/')."""

    def __init__(self, base: str):
        self.base = base

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seeded event, pages and programme, as `make run` has it."""
    from django.core.cache import cache
    from django.core.management import call_command

    # The shared cache is a database table that the flush between live-server tests
    # leaves alone: rate limits of one test must not reach the next.
    cache.clear()
    call_command("load_event", stdout=io.StringIO())
    return Site(live_server.url)


@pytest.fixture
def page(context):
    """Each test gets a fresh page that fails fast instead of hanging for 30 s."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


@pytest.fixture
def nojs_page(browser):
    """A page in a browser context with JavaScript switched off.

    The site promises every flow without JavaScript; tests using this page prove it."""
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def browser_context_args(browser_context_args):
    # A German browser, as most visitors have; English is reached through the switch.
    return {**browser_context_args, "locale": "de-DE", "viewport": {"width": 1280, "height": 800}}
