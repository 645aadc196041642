"""Being found correctly: robots.txt, sitemap.xml, canonical and hreflang links, security.txt."""

import datetime
import urllib.robotparser

import pytest
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from programme.seed_programme import load_programme
from registration import services
from tests.public_pages import in_language, public_paths
from tests.registration.conftest import VALID

pytestmark = pytest.mark.django_db

SITE = "https://veranstaltung.example.org"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE


def robots(client) -> urllib.robotparser.RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_txt_keeps_crawlers_from_personal_pages_checkin_and_logins(client, event):
    registration = services.submit_registration(
        event=event, data={**VALID}, language="de"
    ).registration
    private = [
        f"/anmeldung/bestaetigen/{registration.confirm_token()}/",
        f"/anmeldung/verwalten/{registration.manage_token()}/",
        f"/anmeldung/verwalten/{registration.manage_token()}/stornieren/",
        "/anmeldung/email-bestaetigen/abc/",
        "/checkin/",
        "/admin/",
        "/konto/login/",
    ]
    parser = robots(client)

    for path in private:
        for language in ("de", "en"):
            assert not parser.can_fetch("*", SITE + in_language(path, language)), path


def test_robots_txt_lets_crawlers_read_every_public_page_and_names_the_sitemap(client, event):
    load_programme()
    parser = robots(client)

    for path in public_paths():
        for language in ("de", "en"):
            assert parser.can_fetch("Googlebot", SITE + in_language(path, language)), path
    assert parser.site_maps() == [f"{SITE}/sitemap.xml"]


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    locations = document.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert len(locations) == len(set(locations)), "a page is listed twice"
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link", namespaces=SITEMAP_NS)
        }
        for url in document.findall("s:url", namespaces=SITEMAP_NS)
    }


def test_sitemap_lists_every_public_page_in_both_languages_with_alternates(client, event):
    load_programme()

    entries = sitemap_entries(client)

    indexed = [path for path in public_paths() if path != "/anmeldung/link-vergessen/"]
    for path in indexed:
        german, english = SITE + path, SITE + "/en" + path
        assert german in entries and english in entries, path
        expected = {"de": german, "en": english, "x-default": german}
        assert entries[german] == entries[english] == expected
    assert not [loc for loc in entries if "/verwalten/" in loc or "/checkin/" in loc]


def test_sitemap_lists_the_documentation_page(client, event):
    entries = sitemap_entries(client)

    german, english = f"{SITE}/dokumentation/", f"{SITE}/en/documentation/"
    assert entries[german] == entries[english] == {"de": german, "en": english, "x-default": german}


def test_sitemap_follows_the_programme(client, event):
    load_programme()
    from programme.models import Session

    session = Session.objects.first()
    session.slug = "neu-im-programm"
    session.save()

    assert f"{SITE}/programm/neu-im-programm/" in sitemap_entries(client)


def head_links(client, url: str) -> tuple[str, dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    document = lxml_html.fromstring(response.content)
    [canonical] = document.xpath("//head/link[@rel='canonical']/@href")
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in document.xpath("//head/link[@rel='alternate'][@hreflang]")
    }
    return canonical, alternates


def test_every_public_page_has_a_canonical_link_and_reciprocal_hreflang(client, event):
    load_programme()
    for path in public_paths():
        german, english = SITE + path, SITE + "/en" + path
        for url in (path, "/en" + path):
            canonical, alternates = head_links(client, url)
            assert canonical == SITE + url
            assert alternates == {"de": german, "en": english, "x-default": german}, url


def test_canonical_link_drops_the_query_string(client, event):
    canonical, _alternates = head_links(client, "/programm/?utm_source=newsletter")

    assert canonical == f"{SITE}/programm/"


def security_fields(client) -> dict[str, str]:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)


def test_security_txt_names_the_contact_and_expires_within_a_year(client, settings):
    settings.SECURITY_CONTACT = "sicherheit@example.org"

    fields = security_fields(client)

    assert fields["Contact"] == "mailto:sicherheit@example.org"
    assert fields["Canonical"] == f"{SITE}/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "de, en"
    expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%S%z")
    assert timezone.now() + datetime.timedelta(days=90) < expires
    assert expires < timezone.now() + datetime.timedelta(days=365)


def test_security_txt_takes_a_web_form_as_contact(client, settings):
    settings.SECURITY_CONTACT = "https://veranstaltung.example.org/sicherheit"

    assert security_fields(client)["Contact"] == "https://veranstaltung.example.org/sicherheit"


def test_security_txt_contact_is_the_one_docs_security_md_names(client, settings):
    import re
    from pathlib import Path

    docs = (Path(settings.BASE_DIR) / "docs" / "security.md").read_text(encoding="utf-8")
    [placeholder] = re.findall(r"placeholder \*\*([^*]+@[^*]+)\*\*", docs)

    assert security_fields(client)["Contact"] == f"mailto:{placeholder}"
