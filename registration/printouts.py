"""Printed documents for the door: the entry list for the security check and name badges.

PDFs are drawn with reportlab in the DejaVu Sans font the site ships in programme/fonts/
(every German and most European letters; licence in programme/fonts/DejaVu-LICENSE.txt),
so no machine needs a font installed and nothing is downloaded. The registrations come
from the database in chunks, already in alphabetical order (Registration.sort_name), and
the pages go to the file a few hundred at a time (registration/pdfstream.py), so memory
stays the same for 100 and for 100,000 guests. QR codes are drawn as few rectangles as
possible.

Layout rules that keep odd data tidy: every text is fitted into its box (a long
organisation wraps onto a second line, then ends with “…”; a long name is set smaller),
and an empty field leaves its place empty instead of moving the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import programme
from registration.codes import BADGE_MASK, entry_qr
from registration.models import Registration
from registration.pdfstream import ChunkedCanvas

FONT_DIR = Path(programme.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
CHUNK = 2000


@functools.cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


# --- order and data ------------------------------------------------------------------------


def alphabetical(queryset) -> Iterator[Registration]:
    """The registrations by last name, first name (German order, see models.sort_key), in chunks
    from the database: the database sorts, one chunk of rows is held at a time."""
    return queryset.alphabetical().iterator(chunk_size=CHUNK)


def admitted(queryset):
    """Only confirmed registrations go on the entry list and get a badge."""
    return queryset.filter(status=Registration.Status.CONFIRMED)


def _fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Break text into at most max_lines lines of the width; the last one ends with “…”
    when the text does not fit."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while pdfmetrics.stringWidth(current, font, size) > width:  # one very long word
            cut = len(current)
            while cut > 1 and pdfmetrics.stringWidth(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        kept[-1] = last.rstrip() + "…"
        return kept
    return lines


def _fit_size(text: str, font: str, largest: float, smallest: float, width: float) -> float:
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _printed_at() -> str:
    now = timezone.localtime()
    return _("Gedruckt am %(date)s um %(time)s Uhr") % {
        "date": formats.date_format(now, "SHORT_DATE_FORMAT"),
        "time": formats.time_format(now, "H:i"),
    }


# --- the entry list ------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
ROW_H = 10 * mm
HEADER_H = 34 * mm
FOOTER_H = 12 * mm
ROWS_PER_PAGE = int((PAGE_H - 2 * MARGIN - HEADER_H - FOOTER_H) // ROW_H)
# x positions: number, name, organisation, code, ID checked.
COLUMNS = [MARGIN, MARGIN + 11 * mm, MARGIN + 68 * mm, MARGIN + 129 * mm, MARGIN + 153 * mm]
COLUMN_END = PAGE_W - MARGIN


def entry_list_pdf(queryset, out, *, event) -> int:
    """The confirmed registrations of the selection as an entry list for the venue's
    security check, alphabetical, with a box to tick after checking the photo ID.
    Writes to `out`; returns the number of pages."""
    _register_fonts()
    queryset = admitted(queryset)
    total = queryset.count()
    pages = max(1, -(-total // ROWS_PER_PAGE))
    document = ChunkedCanvas(
        out, pagesize=A4, title=_("Einlassliste") + f" – {event}", author=str(event)
    )
    printed = _printed_at()
    rows = alphabetical(queryset)
    number = 0
    for page in range(1, pages + 1):
        canvas = document.canvas
        _entry_list_header(canvas, event, total, printed)
        y = PAGE_H - MARGIN - HEADER_H
        for _row in range(ROWS_PER_PAGE):
            registration = next(rows, None)
            if registration is None:
                break
            number += 1
            _entry_list_row(canvas, y, number, registration)
            y -= ROW_H
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN, MARGIN, printed)
        canvas.drawRightString(
            COLUMN_END, MARGIN, _("Seite %(page)s von %(pages)s") % {"page": page, "pages": pages}
        )
        document.end_page()
    document.close()
    return pages


def _entry_list_header(canvas, event, total, printed):
    top = PAGE_H - MARGIN
    canvas.setFont(BOLD, 14)
    canvas.drawString(MARGIN, top - 6 * mm, _("Einlassliste"))
    canvas.setFont(REGULAR, 9)
    title = _fit_lines(str(event), REGULAR, 9, COLUMN_END - MARGIN, 1)[0]
    canvas.drawString(MARGIN, top - 11 * mm, title)
    when = formats.date_format(timezone.localtime(event.starts_at), "DATE_FORMAT")
    place = _fit_lines(f"{when}, {event.venue_name}", REGULAR, 9, COLUMN_END - MARGIN, 1)[0]
    canvas.drawString(MARGIN, top - 15.5 * mm, place)
    canvas.drawString(
        MARGIN,
        top - 20 * mm,
        _("%(count)s Personen, alphabetisch nach Nachname") % {"count": total},
    )
    y = top - HEADER_H + 3 * mm
    canvas.setFont(BOLD, 8.5)
    for x, label in zip(
        COLUMNS,
        ["#", _("Name"), _("Organisation"), _("Einlasscode"), _("Ausweis geprüft")],
        strict=True,
    ):
        canvas.drawString(x, y, label)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y - 2 * mm, COLUMN_END, y - 2 * mm)


def _entry_list_row(canvas, y, number, registration):
    baseline = y - 3.8 * mm
    canvas.setFont(REGULAR, 8.5)
    canvas.drawString(COLUMNS[0], baseline, str(number))
    name = ", ".join(p for p in (registration.last_name, registration.first_name) if p)
    if registration.academic_title:
        name = f"{name}, {registration.academic_title}"
    for index, line in enumerate(_fit_lines(name, BOLD, 9, COLUMNS[2] - COLUMNS[1] - 3 * mm, 2)):
        canvas.setFont(BOLD, 9)
        canvas.drawString(COLUMNS[1], baseline - index * 3.8 * mm, line)
    canvas.setFont(REGULAR, 8.5)
    for index, line in enumerate(
        _fit_lines(registration.organisation, REGULAR, 8.5, COLUMNS[3] - COLUMNS[2] - 3 * mm, 2)
    ):
        canvas.drawString(COLUMNS[2], baseline - index * 3.8 * mm, line)
    canvas.setFont(REGULAR, 8.5)
    canvas.drawString(COLUMNS[3], baseline, registration.entry_code_display)
    box = 5 * mm
    canvas.setLineWidth(0.8)
    canvas.rect(COLUMNS[4] + 8 * mm, y - 2 * mm - box, box, box)
    canvas.setLineWidth(0.25)
    canvas.setStrokeGray(0.6)
    canvas.line(MARGIN, y - ROW_H, COLUMN_END, y - ROW_H)
    canvas.setStrokeGray(0)


# --- badges --------------------------------------------------------------------------------

# A common label sheet: 2 x 4 labels of 105 x 74 mm on A4, no margins (e.g. Avery
# Zweckform 3427 and its like). One badge per A6 page is the other format.
LABEL_W, LABEL_H = 105 * mm, PAGE_H / 4
# Badges per chunk of the PDF (pdfstream): until its chunk is written a badge's drawing
# takes some 10 KB on an A4 sheet, 20 KB on a page of its own, so a chunk of 500 badges
# (63 A4 sheets or 500 A6 cards) holds 5 to 10 MiB.
BADGES_PER_CHUNK = 500
LAYOUTS = {
    "a4": {"pagesize": A4, "columns": 2, "rows": 4, "badge": (LABEL_W, LABEL_H)},
    "a6": {"pagesize": (A6[0], A6[1]), "columns": 1, "rows": 1, "badge": A6},
}


def badges_pdf(queryset, out, *, event, layout: str = "a4") -> int:
    """Name badges for the confirmed registrations of the selection: name, academic
    title, organisation, category and the entry code as QR code. Returns pages."""
    _register_fonts()
    spec = LAYOUTS[layout]
    page_w, page_h = spec["pagesize"]
    badge_w, badge_h = spec["badge"]
    per_page = spec["columns"] * spec["rows"]
    document = ChunkedCanvas(
        out,
        pagesize=spec["pagesize"],
        title=_("Namensschilder") + f" – {event}",
        pages_per_chunk=-(-BADGES_PER_CHUNK // per_page),
    )
    pages = 0
    slot = 0
    for registration in alphabetical(admitted(queryset)):
        if slot == per_page:
            document.end_page()
            slot = 0
        if slot == 0:
            pages += 1
        canvas = document.canvas
        column, row = slot % spec["columns"], slot // spec["columns"]
        x = column * badge_w
        y = page_h - (row + 1) * badge_h
        _badge(canvas, x, y, badge_w, badge_h, registration, event, large=layout == "a6")
        slot += 1
    if pages == 0:
        canvas = document.canvas
        canvas.setFont(REGULAR, 10)
        canvas.drawString(15 * mm, page_h - 20 * mm, _("Keine bestätigten Anmeldungen ausgewählt."))
        pages = 1
    document.end_page()
    document.close()
    return pages


def _badge(canvas, x, y, width, height, registration, event, *, large: bool):
    pad = 8 * mm if large else 6 * mm
    scale = 1.4 if large else 1.0
    inner = width - 2 * pad
    # Thin cutting guide; labels on a sheet are cut already, an A6 card is not.
    canvas.setLineWidth(0.25)
    canvas.setStrokeGray(0.75)
    canvas.rect(x, y, width, height)
    canvas.setStrokeGray(0)

    top = y + height - pad
    event_name = str(event.short_title or event)
    event_size = _fit_size(event_name, REGULAR, 7 * scale, 6, inner)
    canvas.setFont(REGULAR, event_size)
    event_line = _fit_lines(event_name, REGULAR, event_size, inner, 1)
    canvas.drawString(x + pad, top - 7 * scale, event_line[0] if event_line else "")

    qr_size = (34 if large else 24) * mm
    text_width = inner - qr_size - 4 * mm if not large else inner
    cursor = top - 18 * scale
    if registration.academic_title:
        canvas.setFont(REGULAR, 10 * scale)
        canvas.drawString(x + pad, cursor, registration.academic_title[:60])
        cursor -= 13 * scale
    name_size = _fit_size(registration.first_name, BOLD, 20 * scale, 11 * scale, text_width)
    canvas.setFont(BOLD, name_size)
    canvas.drawString(x + pad, cursor - name_size, registration.first_name)
    cursor -= name_size * 1.2
    last_size = _fit_size(registration.last_name, BOLD, 20 * scale, 9 * scale, text_width)
    for line in _fit_lines(registration.last_name, BOLD, last_size, text_width, 2):
        canvas.setFont(BOLD, last_size)
        canvas.drawString(x + pad, cursor - last_size, line)
        cursor -= last_size * 1.2
    cursor -= 3 * scale
    canvas.setFont(REGULAR, 9.5 * scale)
    for line in _fit_lines(registration.organisation, REGULAR, 9.5 * scale, text_width, 3):
        canvas.drawString(x + pad, cursor - 9.5 * scale, line)
        cursor -= 9.5 * scale * 1.25

    # Category as a band along the bottom: the door and the hosts see it from afar.
    band = 9 * mm if large else 7 * mm
    canvas.setFillGray(0.15)
    canvas.rect(x, y, width, band, stroke=0, fill=1)
    canvas.setFillGray(1)
    category = registration.get_category_display()
    if registration.model_municipality:
        category = f"{category}: {registration.get_model_municipality_display()}"
    category_size = _fit_size(category, BOLD, 8.5 * scale, 7, inner)
    canvas.setFont(BOLD, category_size)
    canvas.drawString(
        x + pad, y + band / 2 - 3 * scale, _fit_lines(category, BOLD, category_size, inner, 1)[0]
    )
    canvas.setFillGray(0)

    qr_x = x + width - pad - qr_size if not large else x + (width - qr_size) / 2
    qr_y = y + band + 3 * mm
    _draw_qr(canvas, registration.entry_code, qr_x, qr_y, qr_size)
    canvas.setFont(REGULAR, 7 * scale)
    canvas.drawCentredString(qr_x + qr_size / 2, qr_y - 1 * mm, registration.entry_code_display)


def _draw_qr(canvas, code: str, x: float, y: float, size: float) -> None:
    """The regular QR code, drawn as vector rectangles (sharp at any printer resolution):
    one rectangle per run of dark modules in a row, not one per module."""
    matrix = list(entry_qr(code, mask=BADGE_MASK).matrix_iter(scale=1, border=2))
    cell = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * cell
        start = None
        for col_index, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col_index
            elif not dark and start is not None:
                path.rect(x + start * cell, top, (col_index - start) * cell, cell)
                start = None
    canvas.drawPath(path, stroke=0, fill=1)
