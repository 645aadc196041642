"""The rules behind Lighthouse's SEO audit, checked fast on every public page in both
languages (scripts/lighthouse_seo.py runs Lighthouse itself; docs/programme.md)."""

import pytest
from lxml import html as lxml_html

from programme.seed_programme import load_programme
from tests.public_pages import in_language, public_paths

pytestmark = pytest.mark.django_db

# Lighthouse's `link-text` list (English part, lighthouse 12) and the German words that
# say as little: a link must say where it leads.
UNDESCRIPTIVE_LINK_TEXTS = {
    "click here", "click this", "go", "here", "information", "learn more", "more",
    "more info", "more information", "right here", "read more", "see more", "start", "this",
    "hier", "hier klicken", "klicken sie hier", "mehr", "mehr erfahren", "mehr lesen",
    "weiter", "weiterlesen", "link", "dies", "informationen", "los",
}  # fmt: skip


def document(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "noindex" not in response.get("X-Robots-Tag", "")
    return lxml_html.fromstring(response.content)


@pytest.fixture
def pages(client, event):
    load_programme()
    return {
        in_language(path, language): (language, document(client, in_language(path, language)))
        for path in public_paths()
        for language in ("de", "en")
    }


def test_every_public_page_declares_its_language_title_and_description(pages):
    for url, (language, page) in pages.items():
        assert page.get("lang") == language, url
        assert page.findtext("head/title").strip(), url
        [description] = page.xpath("//head/meta[@name='description']/@content")
        assert len(description.strip()) >= 20, url
        assert page.xpath("//head/link[@rel='canonical']/@href"), url
        assert not page.xpath("//meta[@name='robots'][contains(@content, 'noindex')]"), url


def test_every_link_says_where_it_leads(pages):
    for url, (_language, page) in pages.items():
        for link in page.iter("a"):
            href = link.get("href") or ""
            assert href and not href.startswith("javascript:"), (url, href)
            text = " ".join(link.text_content().split()).lower()
            assert text or link.get("aria-label") or link.xpath(".//img[@alt!='']"), (url, href)
            assert text not in UNDESCRIPTIVE_LINK_TEXTS, (url, href, text)


def test_every_image_has_an_alt_attribute(pages):
    for url, (_language, page) in pages.items():
        for image in page.iter("img"):
            assert image.get("alt") is not None, (url, image.get("src"))


def test_the_home_link_in_the_header_is_descriptive(client, event):
    page = document(client, "/programm/")

    [home_link] = page.xpath("//nav[contains(@class, 'main-nav')]//a[@href='/']")
    assert home_link.text_content().strip() == "Startseite"
    [english] = document(client, "/en/programm/").xpath(
        "//nav[contains(@class, 'main-nav')]//a[@href='/en/']"
    )
    assert english.text_content().strip() == "Home page"
