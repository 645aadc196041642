"""The guest list as CSV and Excel files for organisers (admin actions and export buttons).

Made for the spreadsheet most organisers open it with, Excel in German:
- UTF-8 with a byte order mark: without the BOM Excel reads the file as Windows-1252 and
  turns “Düren” into “DÃ¼ren”;
- semicolons between cells: German Excel expects the list separator of the German locale
  (the comma is the decimal separator there) and would put every row into one column;
- a cell that starts with =, +, -, @, a tab or a carriage return gets an apostrophe in front,
  so a name like “=HYPERLINK(…)” typed into the public form is shown as text and never run
  as a formula (CSV injection, OWASP).
The file holds personal data: the admin logs every export (registration/admin.py).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from registration.models import Registration

CHUNK = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Text that a spreadsheet would read as a formula, turned into plain text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _when(moment) -> str:
    # ISO-like and in the event's time zone: Excel recognises it as a date in every locale.
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _columns():
    """(header, typed value of a registration) in file order: text, a datetime, a number,
    a yes/no or None. Built per call so the headers follow the language of the request;
    CSV turns the values into text (_as_text), the Excel file keeps their types."""
    # Labels translated once per export, not once per row (get_FOO_display translates
    # every choice on every call: most of the time of a long export).
    label = {
        field: {value: str(text) for value, text in choices}
        for field, choices in (
            ("salutation", Registration.Salutation.choices),
            ("category", Registration.Category.choices),
            ("model_municipality", Registration.ModelMunicipality.choices),
            ("status", Registration.Status.choices),
        )
    }
    return [
        (_("Name"), lambda r: r.full_name),
        (_("Anrede"), lambda r: label["salutation"].get(r.salutation, "") if r.salutation else ""),
        (_("Akademischer Titel"), lambda r: r.academic_title),
        (_("Vorname"), lambda r: r.first_name),
        (_("Nachname"), lambda r: r.last_name),
        (_("Organisation"), lambda r: r.organisation),
        (_("Funktion"), lambda r: r.position),
        (_("Bereich"), lambda r: label["category"].get(r.category, r.category)),
        (
            _("Modellkommune"),
            lambda r: (
                label["model_municipality"].get(r.model_municipality, "")
                if r.model_municipality
                else ""
            ),
        ),
        (_("E-Mail-Adresse"), lambda r: r.email),
        (_("Status"), lambda r: label["status"].get(r.status, r.status)),
        (
            _("Kontingent"),
            lambda r: r.contingent.name if r.contingent_id else _("Allgemeiner Pool"),
        ),
        (_("Platz auf der Warteliste"), lambda r: r.waiting_position()),
        (_("angelegt"), lambda r: r.created_at),
        (_("bestätigt am"), lambda r: r.confirmed_at),
        (_("eingelassen am"), lambda r: r.checked_in_at),
        (_("Einlasscode"), lambda r: r.entry_code_display),
        (_("Bedarf an Barrierefreiheit"), lambda r: r.accessibility_needs),
        (
            _("Einverstanden mit Teilnehmendenliste"),
            lambda r: bool(r.participant_list_consent),
        ),
        (_("Sprache"), lambda r: r.language),
    ]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        return _when(value)
    return neutralise_formula(str(value))


def guest_list_csv(registrations: Iterable[Registration]) -> bytes:
    """The registrations as CSV bytes (UTF-8 with BOM, semicolons), in the given order.
    Rows loaded with Registration.objects.with_waiting_place() carry their place on the
    waiting list; others cost one query per waiting person."""
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([header for header, _value in columns])
    for registration in registrations:
        writer.writerow([_as_text(value(registration)) for _header, value in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _rows(queryset, columns) -> Iterator[list]:
    rows = queryset.select_related("contingent").with_waiting_place()
    for registration in rows.iterator(chunk_size=CHUNK):
        yield [value(registration) for _header, value in columns]


def write_guest_list_csv(queryset, out: BinaryIO) -> None:
    """The same CSV, written row by row from the database in chunks (bounded memory)."""
    columns = _columns()
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([header for header, _value in columns])
    for row in _rows(queryset, columns):
        writer.writerow([_as_text(value) for value in row])
    text.flush()
    text.detach()


def write_guest_list_xlsx(queryset, out: BinaryIO) -> None:
    """The guest list as an Excel workbook with real types: times as dates (in the
    event's time zone; Excel has none), the waiting place as a number, consent as
    TRUE/FALSE. openpyxl's write-only mode streams the rows to disk as they come."""
    columns = _columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Gästeliste"))
    sheet.freeze_panes = "A2"
    header = []
    for title, _value in columns:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in _rows(queryset, columns):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(out)


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "DD.MM.YYYY HH:MM"
        return cell
    if isinstance(value, str) and value.startswith("="):
        # Text, never a formula, whatever a person typed into the public form.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_filename(now=None, extension: str = "csv") -> str:
    return f"gaesteliste-{timezone.localdate(now):%Y-%m-%d}.{extension}"
