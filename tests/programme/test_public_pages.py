import pytest
from django.urls import reverse
from django.utils import translation

from programme.models import Page
from tests.html import executable_scripts

PUBLIC_URL_NAMES = ["home", "directions", "imprint", "privacy", "accessibility", "easy_language"]


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("name", PUBLIC_URL_NAMES)
def test_german_page_answers_with_event_facts(client, event, name):
    response = client.get(url_in("de", name))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "22.09.2016" in html
    assert "Presse- und Besucherzentrum des Bundespresseamts" in html
    assert "Reichstagufer 14" in html
    assert "Bundesministerium des Innern (BMI)" in html
    assert "Hochschule Harz" in html
    assert 'href="/en' in html  # the language switch


@pytest.mark.parametrize("name", PUBLIC_URL_NAMES)
def test_english_page_answers_under_en_prefix(client, event, name):
    url = url_in("en", name)
    assert url.startswith("/en/")

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "22.09.2016" in html
    assert "Press and Visitor Centre of the Federal Press Office" in html
    assert "Federal Ministry of the Interior (BMI)" in html
    assert "Harz University of Applied Sciences" in html


def test_language_switch_keeps_the_page(client, event):
    html = client.get("/anfahrt/").content.decode()

    assert 'href="/en/anfahrt/" hreflang="en"' in html


def test_home_names_hosts_municipalities_and_call_to_register(client, event):
    html = client.get("/").content.decode()

    assert "Bundesministerium des Innern (BMI)" in html
    assert "Hochschule Harz" in html
    for municipality in [
        "Düren", "Gütersloh", "Halle (Saale)", "Norderstedt", "Ibbenbüren",
        "Cochem-Zell", "Heidekreis", "Ortenaukreis",
    ]:  # fmt: skip
        assert municipality in html
    assert 'href="/anmeldung/"' in html


def test_directions_page_links_openstreetmap_and_mentions_photo_id(client, event):
    html = client.get("/anfahrt/").content.decode()

    assert "https://www.openstreetmap.org/search?query=Reichstagufer%2014" in html
    assert "Lichtbildausweis" in html
    assert "<iframe" not in html


def test_unknown_page_shows_404_in_site_layout(client, event):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Diese Seite gibt es nicht" in html
    assert 'class="site-header"' in html
    assert 'href="/impressum/"' in html


def test_english_404_is_english(client, event):
    response = client.get("/en/does-not-exist/")

    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_organiser_edit_of_page_text_shows_without_deployment(client, event):
    Page.objects.filter(slug=Page.Slug.IMPRINT).update(body_de="## Anbieter\n\nStadt Beispiel")

    html = client.get("/impressum/").content.decode()

    assert "<h2>Anbieter</h2>" in html
    assert "Stadt Beispiel" in html


def test_page_markdown_cannot_inject_script(client, event):
    Page.objects.filter(slug=Page.Slug.IMPRINT).update(
        body_de='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="y">'
    )

    html = client.get("/impressum/").content.decode()

    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_pages_have_no_inline_styles_or_scripts_or_external_assets(client, event):
    for name in PUBLIC_URL_NAMES:
        html = client.get(url_in("de", name)).content.decode()
        assert "style=" not in html
        assert executable_scripts(html) == []
        assert 'src="http' not in html
        assert '<link rel="stylesheet" href="/static/' in html
