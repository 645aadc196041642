"""Decode entry-code QR codes with an independent decoder (zxing-cpp), as a phone would."""

from __future__ import annotations

import base64
import io

import zxingcpp
from PIL import Image


def decode_qr(png: bytes) -> tuple[str, str]:
    """(format name, text) of the one barcode in the image."""
    image = Image.open(io.BytesIO(png)).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, f"expected one barcode, found {len(results)}"
    return results[0].format.name, results[0].text


def decode_data_uri(uri: str) -> tuple[str, str]:
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    return decode_qr(base64.b64decode(uri[len(prefix) :]))
