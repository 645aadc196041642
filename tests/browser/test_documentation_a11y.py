"""The documentation page and the public pages after the event are axe-clean in German
and English."""

import pytest

from tests.browser.helpers import assert_no_axe_violations
from tests.browser.test_lifecycle_a11y import LANGUAGES


@pytest.fixture
def published(site, settings):
    from documentation import services
    from documentation.models import Document
    from programme.models import Event, Session

    settings.AFTER_THE_EVENT = True
    event = Event.objects.current()
    session = Session.objects.exclude(kind="break").order_by("start").first()
    Document.objects.create(
        event=event,
        kind=Document.Kind.REPORT,
        title_de="Abschlussbericht",
        title_en="Final report",
        url="https://www.example.org/bericht",
    )
    Document.objects.create(
        event=event,
        session=session,
        kind=Document.Kind.SLIDES,
        title_de="Folien der Eröffnung",
        title_en="Opening slides",
        url="https://www.example.org/folien",
    )
    services.publish(documents=Document.objects.all(), notify=False)
    return session


@pytest.mark.parametrize("language", ["de", "en"])
def test_documentation_and_pages_after_the_event_are_accessible(site, page, published, language):
    prefix = LANGUAGES[language]
    documentation = "/en/documentation/" if language == "en" else "/dokumentation/"
    page.goto(site.url(documentation))
    assert page.locator(".document-list li").count() == 2
    assert_no_axe_violations(page, f"documentation ({language})")

    for path in ("/", "/programm/", published.get_absolute_url(), "/anmeldung/"):
        page.goto(site.url(prefix + path))
        assert page.locator(".event-over").count() == 1, path
        assert_no_axe_violations(page, f"{path} after the event ({language})")
