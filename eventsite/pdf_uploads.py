"""One check for uploaded PDFs (speakers' slides, the event's documentation): a file is a
PDF when pypdf can read its pages, whatever its name or the browser's word say."""

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError


class PdfRejected(Exception):
    """Why an upload is not accepted: `reason` is "too_large", "not_a_pdf" or "encrypted".
    Callers turn it into their own translated message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def count_pdf_pages(upload, *, limit_bytes: int) -> int:
    """The number of pages of an unencrypted PDF of at most `limit_bytes`, or PdfRejected.
    Reads at most one byte more than the limit and leaves the upload at its start."""
    if upload.size is not None and upload.size > limit_bytes:
        raise PdfRejected("too_large")
    data = upload.read(limit_bytes + 1)
    upload.seek(0)
    if len(data) > limit_bytes:
        raise PdfRejected("too_large")
    if not data.startswith(b"%PDF-"):
        raise PdfRejected("not_a_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfRejected("encrypted")
        pages = len(reader.pages)
    except PdfRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError):
        raise PdfRejected("not_a_pdf") from None
    if pages == 0:
        raise PdfRejected("not_a_pdf")
    return pages
