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


# The mask for printing many codes at once (badges). Without one, segno tries all eight
# masks and keeps the one with the lowest penalty score (fewest patterns that could confuse
# a scanner); in pure Python that was about 2 of the 3.4 ms of CPU a badge cost. Every
# mask gives a valid code. Mask 0 (a checkerboard) is the one segno itself picks most often
# for eight-character codes (about 3 in 10); the tests decode codes drawn with it with
# zxing-cpp. The email and the web pages keep the best mask: they show one code at a time.
BADGE_MASK = 0


def entry_qr(code: str, *, mask: int | None = None) -> segno.QRCode:
    """The entry code's QR code; with mask=None segno picks the best of the eight masks."""
    return segno.make_qr(code, error="m", boost_error=False, mask=mask)


def entry_qr_png(code: str, *, scale: int = PNG_SCALE) -> bytes:
    buffer = io.BytesIO()
    entry_qr(code).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def entry_qr_data_uri(code: str) -> str:
    """For an <img> on the site: the strict CSP allows data: images, no extra request."""
    return "data:image/png;base64," + base64.b64encode(entry_qr_png(code)).decode("ascii")
