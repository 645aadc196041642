"""The checkers themselves: each one must fail on a page that has the problem it looks for,
otherwise a green run of the accessibility tests would prove nothing."""

import pytest

from tests.browser.helpers import (
    assert_errors_announced,
    assert_focus_order_is_sensible,
    assert_no_axe_violations,
    assert_reflows,
    tab_through,
)

GOOD_PAGE = """<!DOCTYPE html><html lang="de"><head><title>Gut</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 a:focus-visible, button:focus-visible { outline: 3px solid #000; }
 .skip { position: absolute; top: -10rem; } .skip:focus { top: 0; }
</style></head><body>
<a class="skip" href="#main">Zum Inhalt</a>
<header><nav aria-label="Haupt"><a href="/a">Eins</a> <a href="/b">Zwei</a></nav></header>
<main id="main" tabindex="-1"><h1>Titel</h1><p><a href="/c">Drei</a></p></main>
</body></html>"""


def test_a_good_page_passes_every_check(page):
    page.set_content(GOOD_PAGE)

    assert_no_axe_violations(page)
    assert_focus_order_is_sensible(tab_through(page))
    assert_reflows_content(page, GOOD_PAGE)


def assert_reflows_content(page, html):
    # assert_reflows reloads the URL; set_content pages have none, so use a data: URL.
    import base64

    assert_reflows(page, "data:text/html;base64," + base64.b64encode(html.encode()).decode())


def test_axe_check_fails_on_an_image_without_alternative_text(page):
    page.set_content(GOOD_PAGE.replace("<h1>Titel</h1>", '<h1>Titel</h1><img src="x.png">'))

    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_focus_check_fails_when_focus_is_invisible(page):
    page.set_content(
        GOOD_PAGE.replace("</style>", "*:focus-visible { outline: none !important; }</style>")
    )

    with pytest.raises(AssertionError, match="focus is not visible"):
        assert_focus_order_is_sensible(tab_through(page))


def test_focus_check_fails_when_tabindex_breaks_the_reading_order(page):
    page.set_content(GOOD_PAGE.replace('href="/c"', 'href="/c" tabindex="1"'))

    with pytest.raises(AssertionError):
        assert_focus_order_is_sensible(tab_through(page))


def test_reflow_check_fails_on_a_wide_fixed_box(page):
    wide = GOOD_PAGE.replace("<h1>Titel</h1>", '<h1>Titel</h1><pre class="wide">x</pre>')
    wide = wide.replace("</style>", ".wide { width: 900px; }</style>")

    with pytest.raises(AssertionError, match=r"scrolls horizontally at 320 px wide.*pre\.wide"):
        assert_reflows_content(page, wide)


FORM_WITH_ERRORS = """<!DOCTYPE html><html lang="de"><head><title>Formular</title></head><body>
<main>
 <div class="error-summary" role="alert" tabindex="-1">
  <h2>Bitte korrigieren</h2><ul><li><a href="#id_name">Name fehlt</a></li></ul>
 </div>
 <form><label for="id_name">Name</label>
  <input id="id_name" aria-invalid="true" aria-describedby="id_name_error">
  <p id="id_name_error">Name fehlt</p>
  <label for="id_email">E-Mail</label>{email}
  <button>Senden</button></form>
</main></body></html>"""


def test_error_check_passes_when_every_invalid_field_is_linked_and_described(page):
    page.set_content(FORM_WITH_ERRORS.format(email='<input id="id_email">'))

    assert assert_errors_announced(page) == ["id_name"]


def test_error_check_fails_when_an_invalid_field_is_not_in_the_summary(page):
    page.set_content(FORM_WITH_ERRORS.format(email='<input id="id_email" aria-invalid="true">'))

    with pytest.raises(AssertionError, match="no link to #id_email"):
        assert_errors_announced(page)
