"""Entry list and badges as PDF, the guest list as XLSX: read back as a person would."""

import datetime
import io
import re

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from registration import exports, printouts, services
from registration.models import Registration
from tests.registration.qr import decode_qr

CHANGELIST = reverse("admin:registration_registration_changelist")

LONG_ORGANISATION = (
    "Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit, Referat "
    "Digitalisierung der kommunalen Daseinsvorsorge und Verwaltungsmodernisierung"
)


@pytest.fixture
def guests(event, confirmed_registration, register):
    return {
        "zander": confirmed_registration("z@example.org", first_name="Zoë", last_name="Zander"),
        "oezdemir": confirmed_registration(
            "o@example.org",
            first_name="Ömer",
            last_name="Özdemir",
            academic_title="Prof. Dr.",
            organisation=LONG_ORGANISATION,
        ),
        "strauss": confirmed_registration(
            "s@example.org",
            first_name="Jörg",
            last_name="Strauß",
            organisation="Stadt Düren",
            category="model_municipality",
            model_municipality="dueren",
        ),
        "adler": confirmed_registration("a@example.org", first_name="Anna", last_name="Adler"),
        "held": register("h@example.org", first_name="Hanna", last_name="Unbestätigt"),
    }


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def body_of(response) -> bytes:
    # Read to the end: the test client then closes the response and the export's file.
    return b"".join(response.streaming_content)


def act(client, action, registrations):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [r.pk for r in registrations]}
    )


def test_german_alphabetical_order():
    names = ["Zander", "Özdemir", "Strauß", "Adler", "Ostermann", "Straub"]
    assert sorted(names, key=printouts.sort_key) == [
        "Adler",
        "Ostermann",
        "Özdemir",
        "Straub",
        "Strauß",
        "Zander",
    ]


def test_entry_list_is_alphabetical_confirmed_only_with_tick_column_and_page_numbers(
    admin_client, guests
):
    response = act(admin_client, "export_entry_list", list(guests.values()))
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert f'filename="einlassliste-{today}.pdf"' in response["Content-Disposition"]
    [text] = pdf_text(body_of(response))
    assert "Einlassliste" in text
    assert "Ausweis geprüft" in text
    assert "Seite 1 von 1" in text
    assert f"Gedruckt am {timezone.localdate():%d.%m.%Y}" in text
    order = [text.index(name) for name in ("Adler", "Özdemir", "Strauß", "Zander")]
    assert order == sorted(order)
    assert "Unbestätigt" not in text
    assert "Özdemir, Ömer, Prof. Dr." in text
    assert guests["strauss"].entry_code_display in text
    # The long organisation wraps onto two lines and ends with an ellipsis.
    assert "Bundesministerium für Umwelt" in text and "…" in text


def test_entry_list_numbers_its_pages(event, confirmed_registration, tmp_path):
    services.set_capacity(event=event, capacity=200)
    for i in range(printouts.ROWS_PER_PAGE + 3):
        confirmed_registration(f"p{i}@example.org", last_name=f"Person{i:03d}")
    out = io.BytesIO()
    pages = printouts.entry_list_pdf(Registration.objects.all(), out, event=event)
    texts = pdf_text(out.getvalue())
    assert pages == len(texts) == 2
    assert "Seite 1 von 2" in texts[0] and "Seite 2 von 2" in texts[1]


@pytest.mark.parametrize(
    ("action", "pages", "size"),
    [
        ("export_badges_a4", 1, (595, 842)),
        ("export_badges_a6", 4, (298, 420)),
    ],
)
def test_badges_carry_name_title_organisation_category(admin_client, guests, action, pages, size):
    response = act(admin_client, action, list(guests.values()))
    reader = pypdf.PdfReader(io.BytesIO(body_of(response)))
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    text = "\n".join(page.extract_text() for page in reader.pages)
    for part in (
        "Prof. Dr.",
        "Ömer",
        "Özdemir",
        "Strauß",
        "Stadt Düren",
        "Eine der acht Modellkommunen: Düren",
        "Kommunalverwaltung",
        guests["zander"].entry_code_display,
    ):
        assert part in text
    assert "Unbestätigt" not in text


def test_badge_qr_code_decodes_to_the_entry_code(event, guests, tmp_path):
    import subprocess

    out = tmp_path / "badge.pdf"
    with out.open("wb") as handle:
        printouts.badges_pdf(
            Registration.objects.filter(pk=guests["adler"].pk), handle, event=event, layout="a6"
        )
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(out), str(tmp_path / "page")], check=True)
    [png] = sorted(tmp_path.glob("page*.png"))
    assert decode_qr(png.read_bytes()) == ("QRCode", guests["adler"].entry_code)


def test_xlsx_has_real_types(admin_client, guests):
    Registration.objects.filter(pk=guests["adler"].pk).update(
        checked_in_at=timezone.now(), organisation='=HYPERLINK("http://x")'
    )
    response = act(admin_client, "export_xlsx", list(guests.values()))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(body_of(response))).active
    rows = list(sheet.values)
    header = rows[0]
    by_name = {
        row[header.index("Nachname")]: dict(zip(header, row, strict=True)) for row in rows[1:]
    }
    adler = by_name["Adler"]
    assert isinstance(adler["bestätigt am"], datetime.datetime)
    assert isinstance(adler["eingelassen am"], datetime.datetime)
    assert adler["Einverstanden mit Teilnehmendenliste"] is False
    assert adler["Organisation"] == '=HYPERLINK("http://x")'
    cell = next(
        c for c in sheet[2 + sorted(by_name).index("Adler")] if c.value == adler["Organisation"]
    )
    assert cell.data_type == "s"  # text, not a formula
    assert by_name["Unbestätigt"]["bestätigt am"] is None
    local = timezone.localtime(guests["adler"].confirmed_at).replace(tzinfo=None, microsecond=0)
    assert abs(adler["bestätigt am"] - local) < datetime.timedelta(seconds=1)


def test_filtered_list_exports_every_format(admin_client, guests):
    for kind in exports.EXPORTS:
        url = reverse("admin:registration_registration_export_kind", args=[kind])
        response = admin_client.get(url + "?status__exact=confirmed")
        assert response.status_code == 200, kind
        assert len(body_of(response)) > 100
    assert (
        admin_client.get(
            reverse("admin:registration_registration_export_kind", args=["nonsense"])
        ).status_code
        == 404
    )


def test_empty_fields_lay_out(event, confirmed_registration):
    confirmed_registration("e@example.org", first_name="X", last_name="Y", organisation="-")
    for layout in ("a4", "a6"):
        out = io.BytesIO()
        assert printouts.badges_pdf(Registration.objects.all(), out, event=event, layout=layout)
        assert re.search(r"\bX\b", pdf_text(out.getvalue())[0])
