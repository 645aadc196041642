"""Entry list and badges as PDF, the guest list as XLSX: read back as a person would."""

import datetime
import gc
import importlib
import io
import re
import subprocess
import sys
import tracemalloc

import openpyxl
import pypdf
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit import Actor
from registration import codes, exports, models, pdfstream, printouts, retention, services
from registration.models import Registration, new_entry_code
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
    assert sorted(names, key=models.sort_key) == [
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


def test_page_streams_are_compressed_binary_not_ascii85(event, confirmed_registration):
    """The PDFs are downloads: their page drawings are deflated only, without reportlab's
    default ASCII85 wrapping, which adds a quarter to every stream."""
    confirmed_registration("ascii@example.org", last_name="Adler")
    out = io.BytesIO()
    printouts.entry_list_pdf(Registration.objects.all(), out, event=event)
    page = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    contents = page["/Contents"].get_object()
    assert contents["/Filter"] in ("/FlateDecode", ["/FlateDecode"])


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


# --- long lists: the PDF is written in chunks, the database sorts --------------------------

# Shuffled on purpose; the German order is that of the list in the test below.
GUESTS_IN_ORDER = [
    ("Anna", "Adler"),
    ("Bernd", "Adler von Berg"),
    ("Carla", "Adlerberg"),
    ("Dora", "Ostermann"),
    ("Ömer", "Özdemir"),
    ("Erik", "Straub"),
    ("Jörg", "Strauß"),
    ("Émile", "Zander"),
    ("Zoë", "Zander"),
]


@pytest.fixture
def small_chunks(monkeypatch):
    """Entry lists of two rows a page, PDFs written two pages (or two badges) at a time: a
    few guests make a document of several chunks."""
    monkeypatch.setattr(printouts, "ROWS_PER_PAGE", 2)
    monkeypatch.setattr(pdfstream, "PAGES_PER_CHUNK", 2)
    monkeypatch.setattr(printouts, "BADGES_PER_CHUNK", 2)


@pytest.fixture
def many_guests(event, confirmed_registration):
    services.set_capacity(event=event, capacity=20)
    created = {}
    for index in (4, 8, 0, 6, 2, 7, 1, 5, 3):
        first, last = GUESTS_IN_ORDER[index]
        created[(first, last)] = confirmed_registration(
            f"guest{index}@example.org", first_name=first, last_name=last
        )
    return created


def assert_valid_xref(data: bytes) -> None:
    """Every object is where the cross-reference table says, as a viewer looks it up."""
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[start:].startswith(b"xref\n0 ")
    lines = data[start:].split(b"\n")
    size = int(lines[1].split()[1])
    assert lines[2] == b"0000000000 65535 f "
    for number, line in enumerate(lines[3 : 2 + size], start=1):
        offset, generation, kind = line.split()
        assert (generation, kind) == (b"00000", b"n")
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number), number
    assert b"/Size %d " % size in data[start:]


def render(path, tmp_path, resolution=30) -> list:
    """The pages as poppler draws them; poppler reports a damaged file on stderr."""
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), str(path), str(tmp_path / "page")],
        capture_output=True,
        check=True,
    )
    assert result.stderr == b""
    return sorted(tmp_path.glob("page*.png"))


def test_entry_list_of_three_chunks_has_every_guest_in_german_order(
    event, many_guests, small_chunks, tmp_path
):
    path = tmp_path / "list.pdf"
    with path.open("wb") as out:
        pages = printouts.entry_list_pdf(Registration.objects.all(), out, event=event)

    data = path.read_bytes()
    assert_valid_xref(data)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    texts = [page.extract_text() for page in reader.pages]
    assert pages == len(texts) == 5
    for number, text in enumerate(texts, start=1):
        assert f"Seite {number} von 5" in text
    assert reader.metadata.title == f"Einlassliste – {event}"
    everything = "\n".join(texts)
    positions = [everything.index(f"{last}, {first}") for first, last in GUESTS_IN_ORDER]
    assert positions == sorted(positions)
    for number, (first, last) in enumerate(GUESTS_IN_ORDER, start=1):
        assert re.search(rf"^{number}\s+{last}, {first}$", everything, re.MULTILINE), number
    assert len(render(path, tmp_path)) == 5


def test_badges_of_three_chunks_one_per_page_in_order_and_every_code_scans(
    event, many_guests, small_chunks, tmp_path
):
    chosen = [many_guests[name] for name in GUESTS_IN_ORDER[:5]]
    path = tmp_path / "badges.pdf"
    with path.open("wb") as out:
        pages = printouts.badges_pdf(
            Registration.objects.filter(pk__in=[r.pk for r in chosen]),
            out,
            event=event,
            layout="a6",
        )

    data = path.read_bytes()
    assert_valid_xref(data)
    texts = pdf_text(data)
    assert pages == len(texts) == 5
    for text, registration in zip(texts, chosen, strict=True):
        assert registration.first_name in text and registration.last_name in text
    pngs = render(path, tmp_path, resolution=150)
    assert [decode_qr(png.read_bytes()) for png in pngs] == [
        ("QRCode", registration.entry_code) for registration in chosen
    ]


def test_badge_mask_gives_codes_that_scan():
    """Badges use one fixed mask instead of the best of eight; every code still scans."""
    for code in ("22222222", "ZZZZZZZZ", "7KQMX3PD", *(new_entry_code() for _ in range(60))):
        png = io.BytesIO()
        codes.entry_qr(code, mask=codes.BADGE_MASK).save(png, kind="png", scale=4, border=4)
        assert decode_qr(png.getvalue()) == ("QRCode", code)


class _Discard:
    def write(self, data):
        return len(data)


def _peak_of_pages(pages: int) -> int:
    printouts._register_fonts()
    gc.collect()
    tracemalloc.start()
    document = pdfstream.ChunkedCanvas(_Discard(), pagesize=printouts.A6)
    for number in range(pages):
        document.canvas.setFont(printouts.REGULAR, 12)
        document.canvas.drawString(40, 200, f"Ärztin Nummer {number} – Straße")
        document.end_page()
    document.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


# Runs _peak_of_pages in a process of its own: argv[1] pages, argv[2] pages per chunk.
PEAK_SCRIPT = """
import sys
import django
django.setup()
from registration import pdfstream
from tests.registration.test_printouts import _peak_of_pages
pdfstream.PAGES_PER_CHUNK = int(sys.argv[2])
print(_peak_of_pages(int(sys.argv[1])))
"""


def _peak_of_pages_alone(pages: int, pages_per_chunk: int) -> int:
    """_peak_of_pages in a new process, where no other thread runs. tracemalloc counts
    every thread's allocations, and threads of earlier tests (a live server, for one) may
    allocate while it measures: in one full-suite run the larger run came out 68 KB
    higher, past the limit, and never alone. (Not a fork: a forked child shares this
    process's SQLite test database, and the other tests then failed with disk I/O
    errors.)"""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(pages), str(pages_per_chunk)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(result.stdout.split()[-1])


def test_pdf_writer_memory_does_not_grow_with_the_pages():
    small, large = _peak_of_pages_alone(100, 50), _peak_of_pages_alone(1000, 50)
    # Ten times the pages: the byte offsets (8 bytes an object) may grow, nothing else. One
    # Canvas for all pages would keep some 5 KB a page here.
    assert large - small < 64 * 1024, (small, large)


def _alphabetical_last_names():
    return [r.last_name for r in Registration.objects.filter(status="confirmed").alphabetical()]


def test_sort_name_follows_a_change_by_the_guest(guests):
    services.update_details(registration=guests["adler"], data={"last_name": "Zuse"})

    assert _alphabetical_last_names() == ["Özdemir", "Strauß", "Zander", "Zuse"]


def test_sort_name_follows_a_correction_by_the_organisers(admin_client, guests):
    services.change_details_by_organiser(
        registration=guests["zander"], data={"last_name": "Aalto", "first_name": "Alvar"}
    )

    assert _alphabetical_last_names() == ["Aalto", "Adler", "Özdemir", "Strauß"]


def test_sort_name_keeps_no_name_after_anonymisation(guests):
    retention.anonymise(registration=guests["strauss"], actor=Actor.organiser(None))

    stored = Registration.objects.values_list("sort_name", flat=True).get(pk=guests["strauss"].pk)
    assert bytes(stored) == models.sort_name("", "")


def test_migration_fills_the_sort_names_of_existing_registrations(guests):
    Registration.objects.update(sort_name=b"")
    migration = importlib.import_module("registration.migrations.0009_registration_sort_name")

    migration.fill_sort_names(apps, None)

    assert _alphabetical_last_names() == ["Adler", "Özdemir", "Strauß", "Zander"]
