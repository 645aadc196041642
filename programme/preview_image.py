"""The link-preview image of the event (Open Graph, Twitter card, JSON-LD `image`).

1200 x 630 pixels, drawn with Pillow from the event's facts in the reader's language,
in the shipped DejaVu Sans (programme/fonts/, Bitstream Vera licence), so it looks the
same on every host. The file name carries a hash of the facts: when organisers change
the title, date, time, venue or hosts, pages point to a new URL, the new image is drawn
on its first request, and services that cached the old preview fetch the new one.
Drawn images are kept in the default storage (shared by all hosts, like speaker photos).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont

from programme.models import Event

WIDTH, HEIGHT = 1200, 630
FOLDER = "previews"
FONTS = Path(__file__).with_name("fonts")
# Raise when the drawing changes, so every cached image is drawn again.
LAYOUT_VERSION = "1"

BACKGROUND = "#0a2f4d"  # --color-hero-bg of the site's stylesheet
TEXT = "#ffffff"
MUTED = "#d6e2ee"  # --color-hero-muted
ACCENT = "#b8860b"  # --color-accent
ACCENT_TEXT = "#ffbf47"  # --color-focus: the accent, light enough for text on the background


@dataclass(frozen=True)
class PreviewFacts:
    """What the image shows, in one language. Its hash names the file."""

    language: str
    hosts: str
    title: str
    when: str
    venue: str
    address: str
    admission: str

    @property
    def digest(self) -> str:
        payload = json.dumps({"layout": LAYOUT_VERSION, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def file_name(self) -> str:
        return f"{FOLDER}/event-{self.language}-{self.digest}.png"


def preview_facts(event: Event, language: str) -> PreviewFacts:
    with translation.override(language):
        day = formats.date_format(event.date, "l") + ", " + formats.date_format(event.date)
        times = _("%(start)s bis %(end)s Uhr") % {
            "start": event.start_time.strftime("%H:%M"),
            "end": event.end_time.strftime("%H:%M"),
        }
        return PreviewFacts(
            language=language,
            hosts=" · ".join(event.host_list),
            title=event.title,
            when=f"{day} · {times}",
            venue=event.venue_name,
            address=event.venue_address,
            admission=ngettext(
                "Eintritt frei · Anmeldung erforderlich · %(count)d Platz",
                "Eintritt frei · Anmeldung erforderlich · %(count)d Plätze",
                event.capacity,
            )
            % {"count": event.capacity},
        )


def preview_path(event: Event, language: str) -> str:
    """The site path of the image for the current facts (`/vorschau/<hash>.png`)."""
    digest = preview_facts(event, language).digest
    with translation.override(language):
        return reverse("preview_image", kwargs={"digest": digest})


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _fit(text: str, width: int, max_lines: int, sizes: tuple[int, ...], *, bold: bool):
    """The largest font size at which the text fits in max_lines lines of width."""
    for size in sizes:
        font = _font(size, bold=bold)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
            return font, lines
    font = _font(sizes[-1], bold=bold)
    lines = _wrap(text, font, width)[:max_lines]
    # Too long even at the smallest size: cut the last line, with an ellipsis that fits.
    words = lines[-1].split()
    while True:
        last = " ".join(words).rstrip(".,;: ") + " …"
        if len(words) <= 1 or font.getlength(last) <= width:
            break
        words.pop()
    while font.getlength(last) > width and len(last) > 2:
        last = last[:-3] + " …"  # a single word longer than the line
    lines[-1] = last
    return font, lines


def draw(facts: PreviewFacts) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    margin = 72
    text_width = WIDTH - 2 * margin
    pen.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)

    y = 64
    hosts_font, hosts_lines = _fit(facts.hosts, text_width, 1, (28, 26, 24, 22, 20), bold=False)
    pen.text((margin, y), hosts_lines[0], font=hosts_font, fill=MUTED)
    y += 56

    title_font, title_lines = _fit(facts.title, text_width, 3, (64, 58, 52, 46, 40), bold=True)
    line_height = int(title_font.size * 1.18)
    for line in title_lines:
        pen.text((margin, y), line, font=title_font, fill=TEXT)
        y += line_height
    y += 20
    pen.rectangle((margin, y, margin + 120, y + 6), fill=ACCENT)
    y += 34

    for text, size, bold, colour in (
        (facts.when, 34, True, TEXT),
        (facts.venue, 30, False, TEXT),
        (facts.address, 30, False, MUTED),
    ):
        font, lines = _fit(text, text_width, 1, (size, size - 4, size - 8), bold=bold)
        pen.text((margin, y), lines[0], font=font, fill=colour)
        y += int(size * 1.45)

    footer_font, footer_lines = _fit(facts.admission, text_width, 1, (28, 26, 24), bold=True)
    pen.text((margin, HEIGHT - 76), footer_lines[0], font=footer_font, fill=ACCENT_TEXT)

    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def preview_png(event: Event, language: str) -> bytes:
    """The image for the current facts: from storage, or drawn and stored once.

    Images of earlier facts in this language are deleted when a new one is stored."""
    facts = preview_facts(event, language)
    if default_storage.exists(facts.file_name):
        with default_storage.open(facts.file_name, "rb") as stored:
            return stored.read()
    content = draw(facts)
    if not default_storage.exists(facts.file_name):  # another worker may have been quicker
        default_storage.save(facts.file_name, ContentFile(content))
    _delete_outdated(facts)
    return content


def _delete_outdated(current: PreviewFacts) -> None:
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    prefix = f"event-{current.language}-"
    for name in files:
        if name.startswith(prefix) and f"{FOLDER}/{name}" != current.file_name:
            default_storage.delete(f"{FOLDER}/{name}")
