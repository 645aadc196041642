"""Open Graph and Twitter card metadata, and the generated preview image."""

import io

import pytest
from lxml import html as lxml_html
from PIL import Image

from programme import preview_image
from programme.seed_programme import load_programme
from tests.public_pages import in_language, public_paths
from tests.structured import open_graph

pytestmark = pytest.mark.django_db

SITE = "https://veranstaltung.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE


def meta_names(client, url: str) -> dict[str, str]:
    document = lxml_html.fromstring(client.get(url).content)
    return {m.get("name"): m.get("content") for m in document.iter("meta") if m.get("name")}


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_public_page_has_open_graph_and_twitter_metadata(client, event, language):
    load_programme()
    for path in public_paths():
        url = in_language(path, language)
        graph = open_graph(client, url)
        names = meta_names(client, url)

        assert graph["og:url"] == SITE + url, url
        assert graph["og:title"].strip(), url
        assert graph["og:description"].strip(), url
        assert graph["og:locale"] == {"de": "de_DE", "en": "en_GB"}[language]
        assert graph["og:type"] == "website"
        assert graph["og:image"].startswith(f"{SITE}{in_language('/vorschau/', language)}")
        assert (graph["og:image:width"], graph["og:image:height"]) == ("1200", "630")
        assert graph["og:image:alt"]
        assert names["twitter:card"] == "summary_large_image"
        assert names["twitter:title"] == graph["og:title"]
        assert names["twitter:description"] == graph["og:description"]
        assert names["twitter:image"] == graph["og:image"]
        assert names["description"] == graph["og:description"]


def test_page_titles_and_descriptions_are_the_pages_own(client, event):
    load_programme()
    from programme.models import Session

    session = Session.objects.exclude(abstract_de="").order_by("start").first()

    graph = open_graph(client, session.get_absolute_url())

    assert graph["og:title"] == session.title
    assert graph["og:description"].split()[0] in session.abstract
    assert open_graph(client, "/programm/")["og:title"] == "Programm"
    assert open_graph(client, "/en/programm/")["og:title"] == "Programme"


def image_of(client, language_prefix: str = "") -> tuple[str, bytes]:
    url = open_graph(client, f"{language_prefix}/")["og:image"].removeprefix(SITE)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return url, response.content


def test_preview_image_is_a_1200_by_630_png_per_language(client, event):
    german_url, german = image_of(client)
    english_url, english = image_of(client, "/en")

    for content in (german, english):
        image = Image.open(io.BytesIO(content))
        assert image.format == "PNG"
        assert image.size == (1200, 630)
    assert german_url != english_url
    assert german != english


def test_preview_image_shows_the_facts_in_the_readers_language(event):
    german = preview_image.preview_facts(event, "de")
    english = preview_image.preview_facts(event, "en")

    assert german.when == "Donnerstag, 22. September 2016 · 10:00 bis 16:00 Uhr"
    assert english.when == "Thursday, 22 September 2016 · 10:00 to 16:00"
    assert german.title == event.title_de
    assert english.title == event.title_en
    assert german.address == english.address == "Reichstagufer 14, 10117 Berlin"
    assert german.admission.endswith("200 Plätze")
    assert english.admission.endswith("200 seats")


def test_changing_the_facts_draws_a_new_image_at_a_new_url(client, event, settings):
    old_url, old_image = image_of(client)

    event.title_de = "Neuer Titel der Abschlussveranstaltung"
    event.save()
    new_url, new_image = image_of(client)

    assert new_url != old_url
    assert new_image != old_image
    # A link shared before the change leads to the current image.
    response = client.get(old_url)
    assert response.status_code == 302
    assert response["Location"] == new_url
    # The image of the old facts is deleted; the new one is stored once.
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "previews").iterdir())
    digest = new_url.rsplit("/", 1)[1].removesuffix(".png")
    assert stored == [f"event-de-{digest}.png"]


def test_unchanged_facts_are_drawn_once_and_then_served_from_storage(client, event, monkeypatch):
    drawn = []
    original = preview_image.draw
    monkeypatch.setattr(preview_image, "draw", lambda facts: drawn.append(facts) or original(facts))

    image_of(client)
    image_of(client)

    assert len(drawn) == 1


def test_editing_a_fact_the_image_does_not_show_keeps_the_image(client, event):
    old_url, _image = image_of(client)

    event.public_transport_de = "S+U Friedrichstraße, dann fünf Minuten zu Fuß."
    event.save()

    assert image_of(client)[0] == old_url


def test_preview_image_url_is_cached_for_long(client, event):
    url, _image = image_of(client)

    assert client.get(url)["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_very_long_title_is_shortened_to_fit_the_image(event):
    event.title_de = "Sehr langer Titel " * 30
    event.venue_name_de = "Ein Veranstaltungsort mit einem außerordentlich langen Namen " * 3

    facts = preview_image.preview_facts(event, "de")
    image = Image.open(io.BytesIO(preview_image.draw(facts)))

    assert image.size == (1200, 630)
    font, lines = preview_image._fit(facts.title, 1056, 3, (64, 40), bold=True)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1056 for line in lines)
