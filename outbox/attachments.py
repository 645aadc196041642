from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email, for example an .ics calendar entry or a QR code."""

    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"
