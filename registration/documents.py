"""Checking an uploaded press card or assignment note: what it is, not what it is called."""

from __future__ import annotations

import io

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_PRESS_DOCUMENT_BYTES = 10 * 1024 * 1024
# Large enough for a phone photo of a press card, small enough to refuse decompression bombs.
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


class DocumentRejected(Exception):
    def __init__(self, message, code: str):
        self.message = message
        self.code = code
        super().__init__(str(message))


def check_press_document(upload) -> str:
    """Accept a real PDF or a JPEG/PNG image up to 10 MB; returns the file ending to store
    it under. Raises DocumentRejected with a translated message otherwise."""
    if upload.size > MAX_PRESS_DOCUMENT_BYTES:
        raise DocumentRejected(
            _("Die Datei ist größer als 10 MB. Bitte laden Sie eine kleinere Datei hoch."),
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) < 1:
                raise PdfReadError("no pages")
        except Exception as error:  # pypdf raises many kinds for broken files
            raise DocumentRejected(
                _("Diese PDF-Datei ist beschädigt oder leer. Bitte prüfen Sie die Datei."),
                code="broken_pdf",
            ) from error
        return ".pdf"
    try:
        with Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise DocumentRejected(
                    _("Das Bild ist zu groß. Bitte laden Sie ein kleineres Bild hoch."),
                    code="too_many_pixels",
                )
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise DocumentRejected(
            _("Bitte laden Sie eine PDF-Datei oder ein Bild im Format JPEG oder PNG hoch."),
            code="wrong_type",
        ) from error
    return IMAGE_FORMATS[kind]
