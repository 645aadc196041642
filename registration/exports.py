"""The guest-list downloads of the admin, in every format, as files that stream.

Each export is written to a temporary file on disk while the rows come from the database
in chunks, then sent from that file: memory stays bounded however long the list is, and a
failure half-way sends an error instead of half a file.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable

from django.contrib.admin.models import CHANGE, LogEntry
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.models import Event
from registration import export, printouts

LOG_CHUNK = 2000


@dataclasses.dataclass(frozen=True)
class Export:
    write: Callable  # (queryset, binary file) -> None
    content_type: str
    name: str  # file name without date and extension, translated
    extension: str
    what: str  # for the admin log
    label: str  # the download link above the admin's guest list

    def filename(self) -> str:
        return f"{_(self.name)}-{timezone.localdate():%Y-%m-%d}.{self.extension}"

    def log_message(self) -> str:
        return _("Exportiert: %(what)s") % {"what": _(self.what)}


def _event_document(function, **kwargs):
    def write(queryset, out):
        event = Event.objects.current()
        function(queryset, out, event=event, **kwargs)

    return write


EXPORTS = {
    "csv": Export(
        export.write_guest_list_csv,
        "text/csv; charset=utf-8",
        gettext_lazy("gaesteliste"),
        "csv",
        gettext_lazy("Gästeliste als CSV"),
        gettext_lazy("Gästeliste (CSV, für Excel)"),
    ),
    "xlsx": Export(
        export.write_guest_list_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("gaesteliste"),
        "xlsx",
        gettext_lazy("Gästeliste als Excel-Datei"),
        gettext_lazy("Gästeliste (Excel, .xlsx)"),
    ),
    "entry-list": Export(
        _event_document(printouts.entry_list_pdf),
        "application/pdf",
        gettext_lazy("einlassliste"),
        "pdf",
        gettext_lazy("Einlassliste als PDF"),
        gettext_lazy("Einlassliste (PDF)"),
    ),
    "badges-a4": Export(
        _event_document(printouts.badges_pdf, layout="a4"),
        "application/pdf",
        gettext_lazy("namensschilder"),
        "pdf",
        gettext_lazy("Namensschilder als PDF (A4)"),
        gettext_lazy("Namensschilder, 8 pro A4-Bogen (PDF)"),
    ),
    "badges-a6": Export(
        _event_document(printouts.badges_pdf, layout="a6"),
        "application/pdf",
        gettext_lazy("namensschilder-a6"),
        "pdf",
        gettext_lazy("Namensschilder als PDF (A6)"),
        gettext_lazy("Namensschilder, einzeln A6 (PDF)"),
    ),
}


def log_export(user, queryset, message: str) -> int:
    """One admin log entry per person whose data was exported, written in chunks."""
    count = 0
    ids = list(queryset.values_list("pk", flat=True))
    model = queryset.model
    for start in range(0, len(ids), LOG_CHUNK):
        chunk = list(model.objects.filter(pk__in=ids[start : start + LOG_CHUNK]).only("pk"))
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=chunk, action_flag=CHANGE, change_message=message
        )
        count += len(chunk)
    return count


def write_file(queryset, kind: str):
    """The export in a temporary file, positioned at its start."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    EXPORTS[kind].write(queryset, out)
    out.seek(0)
    return out


def file_response(queryset, kind: str) -> FileResponse:
    spec = EXPORTS[kind]
    response = FileResponse(
        write_file(queryset, kind),
        as_attachment=True,
        filename=spec.filename(),
        content_type=spec.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response
