"""The printed programme: the whole seeded day on one A4 page, without navigation."""

import re

import pytest


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_seeded_programme_prints_on_one_a4_page(site, page, prefix):
    page.goto(site.url(f"{prefix}/programm/"))

    pdf = page.pdf(format="A4", prefer_css_page_size=True)

    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the programme prints on {pages} A4 pages"


def test_print_layout_hides_navigation_and_calendar_links(site, page):
    page.goto(site.url("/programm/"))
    page.emulate_media(media="print")

    assert page.locator(".main-nav").is_hidden()
    assert page.locator(".calendar-links").is_hidden()
    assert page.locator("td.timetable-calendar").first.is_hidden()
    assert page.locator("table.timetable").is_visible()
    assert page.get_by_role("link", name="Podiumsdiskussion: Die Modellkommunen").is_visible()
    assert page.locator(".timetable-row.is-break").count() == 3
