"""The guest list as a CSV file for organisers (admin action and export button).

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
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from registration.models import Registration

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Text that a spreadsheet would read as a formula, turned into plain text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _when(moment) -> str:
    # ISO-like and in the event's time zone: Excel recognises it as a date in every locale.
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _columns():
    """(header, text for a registration) in file order. Built per call so the headers
    follow the language of the request."""
    yes, no = _("ja"), _("nein")
    return [
        (_("Name"), lambda r: r.full_name),
        (_("Anrede"), lambda r: r.get_salutation_display() if r.salutation else ""),
        (_("Akademischer Titel"), lambda r: r.academic_title),
        (_("Vorname"), lambda r: r.first_name),
        (_("Nachname"), lambda r: r.last_name),
        (_("Organisation"), lambda r: r.organisation),
        (_("Funktion"), lambda r: r.position),
        (_("Bereich"), lambda r: r.get_category_display()),
        (
            _("Modellkommune"),
            lambda r: r.get_model_municipality_display() if r.model_municipality else "",
        ),
        (_("E-Mail-Adresse"), lambda r: r.email),
        (_("Status"), lambda r: r.get_status_display()),
        (
            _("Kontingent"),
            lambda r: r.contingent.name if r.contingent_id else _("Allgemeiner Pool"),
        ),
        (_("Platz auf der Warteliste"), lambda r: str(r.waiting_position() or "")),
        (_("angelegt"), lambda r: _when(r.created_at)),
        (_("bestätigt am"), lambda r: _when(r.confirmed_at)),
        (_("eingelassen am"), lambda r: _when(r.checked_in_at)),
        (_("Einlasscode"), lambda r: r.entry_code_display),
        (_("Bedarf an Barrierefreiheit"), lambda r: r.accessibility_needs),
        (
            _("Einverstanden mit Teilnehmendenliste"),
            lambda r: yes if r.participant_list_consent else no,
        ),
        (_("Sprache"), lambda r: r.language),
    ]


def guest_list_csv(registrations: Iterable[Registration]) -> bytes:
    """The registrations as CSV bytes (UTF-8 with BOM, semicolons), in the given order.
    Rows loaded with Registration.objects.with_waiting_place() carry their place on the
    waiting list; others cost one query per waiting person."""
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([header for header, _value in columns])
    for registration in registrations:
        row = [value(registration) for _header, value in columns]
        writer.writerow([neutralise_formula(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_filename(now=None) -> str:
    return f"gaesteliste-{timezone.localdate(now):%Y-%m-%d}.csv"
