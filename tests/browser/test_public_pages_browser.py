import pytest

from tests.browser.conftest import assert_no_axe_violations

PATHS = [
    "/",
    "/anfahrt/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
]


@pytest.mark.parametrize("language_prefix", ["", "/en"])
def test_public_pages_have_no_wcag_violations(site, page, language_prefix):
    for path in PATHS:
        page.goto(site.url(language_prefix + path))
        assert_no_axe_violations(page)
