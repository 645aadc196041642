"""The entry code as a QR code: one definition for the email, the self-service page, the
check-in confirmation and the badges.

Always a regular QR code. `segno.make()` picks a Micro QR code for data this short, which
most phone cameras and door scanners cannot read; `segno.make_qr()` never does. Error level
M survives a scratched print or a cracked phone screen. An eight-character code fits into
the smallest regular version (21 x 21 modules), so each module can be large.
"""

from __future__ import annotations

import base64
import io

import segno

# Pixels per module in the PNG: 29 modules with the quiet zone, so 290 px. Shown at about
# 240 CSS px on a phone, that is scanned from arm's length.
PNG_SCALE = 10
QUIET_ZONE = 4  # modules; the standard asks for four


def entry_qr(code: str) -> segno.QRCode:
    return segno.make_qr(code, error="m", boost_error=False)


def entry_qr_png(code: str, *, scale: int = PNG_SCALE) -> bytes:
    buffer = io.BytesIO()
    entry_qr(code).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def entry_qr_data_uri(code: str) -> str:
    """For an <img> on the site: the strict CSP allows data: images, no extra request."""
    return "data:image/png;base64," + base64.b64encode(entry_qr_png(code)).decode("ascii")
