"""The entry code scans: a regular QR code (never Micro QR) that decodes to the code."""

import io
import re

import pytest
from PIL import Image

from registration import emails
from registration.codes import entry_qr, entry_qr_png
from tests.registration.qr import decode_data_uri, decode_qr


@pytest.mark.parametrize("code", ["7KQMX3PD", "22222222", "ZZZZZZZZ"])
def test_entry_code_is_a_regular_qr_code_that_decodes_to_the_code(code):
    assert not entry_qr(code).is_micro
    assert decode_qr(entry_qr_png(code)) == ("QRCode", code)


def test_qr_image_is_large_enough_to_scan_from_a_phone_screen():
    image = Image.open(io.BytesIO(entry_qr_png("7KQMX3PD")))
    # 21 modules plus a quiet zone of 4 on each side, 10 px each.
    assert image.size == (290, 290)


def test_confirmation_email_attaches_a_scannable_qr_code(event, confirmed_registration, queued):
    registration = confirmed_registration("a@example.org")
    [message] = [m for m in queued if m["template"] == "registration/confirmed"]
    [png] = [a.content for a in message["attachments"] if a.filename.endswith(".png")]
    assert decode_qr(png) == ("QRCode", registration.entry_code)
    assert decode_qr(emails.qr_code_png(registration)) == ("QRCode", registration.entry_code)


def test_self_service_page_shows_a_scannable_qr_code_and_the_code_in_text(
    client, event, confirmed_registration
):
    registration = confirmed_registration("a@example.org")
    content = client.get(f"/anmeldung/verwalten/{registration.manage_token()}/").content.decode()
    [src] = re.findall(r'<img class="entry-qr" src="([^"]+)"', content)
    assert decode_data_uri(src) == ("QRCode", registration.entry_code)
    assert registration.entry_code_display in content
    assert f"QR-Code mit Ihrem Einlasscode {registration.entry_code_display}" in content


def test_self_service_page_has_no_qr_code_before_confirmation(client, event, register):
    registration = register("a@example.org")
    content = client.get(f"/anmeldung/verwalten/{registration.manage_token()}/").content.decode()
    assert 'class="entry-qr"' not in content
