"""Scanning with the camera, end to end: Chromium's fake camera plays a video made here
from the guest's QR code (the same image the confirmation email carries), the check-in
page's scanner reads it and the guest is checked in.

Headless Chromium on Linux has no BarcodeDetector, so this exercises the self-hosted
fallback (jsQR) that every browser without the detector relies on; where the detector
exists, the test removes it first so that the fallback is what is tested."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from registration.codes import entry_qr_png
from registration.models import CheckIn, Registration
from tests.browser.test_checkin_browser import _door_user, _guest
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

WIDTH, HEIGHT = 640, 480


def write_y4m(path, image: Image.Image, frames: int = 10) -> None:
    """A greyscale YUV4MPEG2 video (4:2:0) of `image`, the format Chromium's fake camera
    reads: per frame the full-size luma plane, then two quarter-size chroma planes."""
    luma = image.convert("L").tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def camera_frame(code: str) -> Image.Image:
    """The code's QR image as a phone screen held up to the camera: on a grey background,
    smaller than the frame, slightly rotated."""
    qr = Image.open(io.BytesIO(entry_qr_png(code))).convert("L").resize((300, 300))
    frame = Image.new("L", (WIDTH, HEIGHT), 200)
    frame.paste(qr.rotate(4, expand=True, fillcolor=255), (150, 80))
    return frame


@pytest.fixture
def camera_browser(browser_type, browser_type_launch_args, tmp_path, guests):
    video = tmp_path / "qr.y4m"
    write_y4m(video, camera_frame(guests["erika"].entry_code))
    browser = browser_type.launch(
        **{
            **browser_type_launch_args,
            "args": [
                *browser_type_launch_args["args"],
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        }
    )
    yield browser
    browser.close()


@pytest.fixture
def guests(site):
    return {
        "erika": _guest("erika@example.org", "Erika", "Müßig", "Stadt Düren"),
        "jorg": _guest("jorg@example.org", "Jörg", "Çelik"),
    }


def test_camera_reads_the_qr_code_and_checks_the_guest_in(site, camera_browser, guests):
    client = Client()
    client.force_login(_door_user("anna"))
    context = camera_browser.new_context(
        locale="de-DE", viewport={"width": 390, "height": 844}, permissions=["camera"]
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.base}]
    )
    # The fallback library is what must read the code here (see the module docstring).
    context.add_init_script("delete window.BarcodeDetector;")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(site.url("/checkin/"))
    expect(page.locator("#door-age")).to_contain_text("Gästeliste von")
    assert page.evaluate("() => 'BarcodeDetector' in window") is False
    assert page.evaluate("() => typeof window.jsQR") == "function"

    page.get_by_role("button", name="QR-Code scannen").click()

    expect(page.locator("#door-result")).to_contain_text("EINLASS")
    expect(page.locator("#door-result")).to_contain_text("Erika Müßig")
    expect(page.locator("#door-q")).to_have_value(guests["erika"].entry_code_display)
    expect(page.locator("#door-queued")).to_have_text("Warten auf Senden: 0")
    erika = Registration.objects.get(pk=guests["erika"].pk)
    assert erika.checked_in_at is not None
    assert erika.checked_in_by.username == "anna"
    assert not Registration.objects.filter(pk=guests["jorg"].pk, checked_in_at__isnull=False)
    # The camera keeps running: holding the same code up again checks nobody in twice.
    page.wait_for_timeout(1500)
    assert CheckIn.objects.filter(outcome=CheckIn.Outcome.CHECKED_IN).count() == 1
    page.get_by_role("button", name="Kamera aus").click()
    expect(page.locator("#door-video")).to_be_hidden()
    context.close()
