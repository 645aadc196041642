"""The download links above the admin's guest list: one per export format, each carrying
the list's current filters and search, and each download holding exactly the guests the
filtered list shows (the printouts only the confirmed ones among them)."""

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pypdf
import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from registration import exports

CHANGELIST = reverse("admin:registration_registration_changelist")
FILTERS = {"category__exact": "municipality", "q": "Düren"}


@pytest.fixture
def guests(event, register, confirmed_registration):
    """Two of the four match the filters: Anna (confirmed) and Bernd (unconfirmed)."""
    return {
        "anna": confirmed_registration(
            "anna@example.org", first_name="Anna", last_name="Adler", organisation="Stadt Düren"
        ),
        "bernd": register(
            "bernd@example.org", first_name="Bernd", last_name="Bäcker", organisation="Stadt Düren"
        ),
        "clara": confirmed_registration(
            "clara@example.org",
            first_name="Clara",
            last_name="Cramer",
            organisation="Hochschule Harz",
        ),
        "dora": confirmed_registration(
            "dora@example.org",
            first_name="Dora",
            last_name="Dietz",
            organisation="Stadt Düren",
            category="science",
        ),
    }


def download_links(response) -> dict[str, str]:
    """Link text -> href of the download section, as a browser would follow them."""
    page = response.content.decode()
    section = re.search(r'<section class="module guest-list-downloads".*?</section>', page, re.S)
    assert section, "no download section above the guest list"
    return {
        re.sub(r"\s+", " ", text).strip(): html.unescape(href)
        for href, text in re.findall(
            r'<a class="button" href="([^"]+)" download>(.*?)</a>', section[0]
        )
    }


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def names_in(kind: str, data: bytes) -> set[str]:
    """The guests' surnames found in a download of that kind."""
    surnames = {"Adler", "Bäcker", "Cramer", "Dietz"}
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        return {row[rows[0].index("Nachname")] for row in rows[1:]}
    if kind == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
        return {row[rows[0].index("Nachname")] for row in rows[1:]}
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return {name for name in surnames if name in text}


def test_one_link_per_format_each_with_the_filters_and_search(admin_client, guests):
    links = download_links(admin_client.get(CHANGELIST, FILTERS))

    assert list(links) == [
        "Gästeliste (CSV, für Excel)",
        "Gästeliste (Excel, .xlsx)",
        "Einlassliste (PDF)",
        "Namensschilder, 8 pro A4-Bogen (PDF)",
        "Namensschilder, einzeln A6 (PDF)",
    ]
    for kind, href in zip(exports.EXPORTS, links.values(), strict=True):
        url = urlsplit(href)
        assert url.path == reverse("admin:registration_registration_export_kind", args=[kind])
        assert parse_qs(url.query) == {key: [value] for key, value in FILTERS.items()}


def test_each_download_holds_only_the_filtered_guests(admin_client, guests):
    links = download_links(admin_client.get(CHANGELIST, FILTERS))

    found = {}
    for kind, href in zip(exports.EXPORTS, links.values(), strict=True):
        response = admin_client.get(href)
        assert response.status_code == 200, kind
        assert response["Content-Type"] == exports.EXPORTS[kind].content_type
        found[kind] = names_in(kind, body_of(response))

    assert found == {
        "csv": {"Adler", "Bäcker"},
        "xlsx": {"Adler", "Bäcker"},
        # The printouts are for the door: only the confirmed guest among the two.
        "entry-list": {"Adler"},
        "badges-a4": {"Adler"},
        "badges-a6": {"Adler"},
    }


def test_page_and_error_flag_are_not_carried_so_every_page_is_exported(admin_client, guests):
    links = download_links(admin_client.get(CHANGELIST, {"q": "Düren", "p": "1"}))

    for href in links.values():
        assert parse_qs(urlsplit(href).query) == {"q": ["Düren"]}


def test_unfiltered_list_links_export_everyone(admin_client, guests):
    links = download_links(admin_client.get(CHANGELIST))

    csv_link = links["Gästeliste (CSV, für Excel)"]
    assert names_in("csv", body_of(admin_client.get(csv_link))) == {
        "Adler",
        "Bäcker",
        "Cramer",
        "Dietz",
    }


def test_section_says_how_many_are_in_the_downloads(admin_client, guests):
    page = admin_client.get(CHANGELIST, FILTERS).content.decode()
    assert "enthält die 2 Anmeldungen" in page
    page = admin_client.get(CHANGELIST, {"q": "Hochschule"}).content.decode()
    assert "enthält die 1 Anmeldung," in page


def test_links_and_note_in_english(admin_client, guests):
    response = admin_client.get("/en" + CHANGELIST, FILTERS)
    page = response.content.decode()
    assert "Download the filtered list" in page
    links = download_links(response)
    assert list(links) == [
        "Guest list (CSV, for Excel)",
        "Guest list (Excel, .xlsx)",
        "Entry list (PDF)",
        "Name badges, 8 per A4 sheet (PDF)",
        "Name badges, single A6 (PDF)",
    ]
    assert all(urlsplit(href).path.startswith("/en/admin/") for href in links.values())


def test_view_only_staff_get_the_links_and_the_downloads(guests):
    staff = User.objects.create_user("viewer", "viewer@example.org", "x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client = Client()
    client.force_login(staff)

    links = download_links(client.get(CHANGELIST, FILTERS))

    response = client.get(links["Einlassliste (PDF)"])
    assert names_in("entry-list", body_of(response)) == {"Adler"}
